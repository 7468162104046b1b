package dev.gatehouse.web;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.SettingKey;
import dev.gatehouse.session.Authentication;
import java.util.List;
import java.util.Optional;

/**
 * A unit of the web layer — a group of endpoints with its pages — contributing its routes and its
 * page links as one, switched on or off by configuration; the way a Javalin plugin sits behind
 * {@code JavalinConfig}. Gatehouse's own groups (sign-in, registration, confirmation, ...) are
 * features registered by default; a module adds one with
 * {@link WebOptions.Builder#feature(WebFeature)}, without {@code gatehouse-web} knowing it.
 *
 * <p>A feature of a module declares its own settings in the module's
 * {@link dev.gatehouse.config.SettingGroup} (found on the class path, so properties files may set
 * them), names them in {@link #settings}, and reads them from {@link GatehouseConfig} in
 * {@link #isEnabled}, {@link #links} and {@link #routes}.
 */
public interface WebFeature {

    /** A short name, unique among the features, e.g. {@code register}; for errors and logs. */
    String name();

    /**
     * The feature's own settings, if it has any; the web layer refuses to start when one of them is
     * not registered (its {@code SettingGroup} missing from {@code META-INF/services}).
     */
    default List<SettingKey<?>> settings() {
        return List.of();
    }

    /** Whether configuration switches the feature on; only then are its links and routes asked for. */
    default boolean isEnabled(GatehouseConfig config) {
        return true;
    }

    /** Adds the links the pages show for this feature (the templates' {@code urls}). None by default. */
    default void links(GatehouseConfig config, PageLinks links) {
    }

    /**
     * The routes to mount, built on the shared {@code toolkit}; called once when the web layer
     * starts. Every route passes the web layer's door first (security headers, request charset);
     * a handler that needs a signed-in user calls {@link WebToolkit#enforce}.
     */
    List<WebRoute> routes(WebToolkit toolkit);

    /**
     * Origins (e.g. {@code https://login.example.com}) outside this site that the feature's form
     * posts end up redirected to, such as an external provider's sign-in page: the default
     * Content-Security-Policy lets forms reach them ({@code form-action}), since browsers apply
     * it to the redirect that answers a form. None by default.
     */
    default List<String> formTargets(GatehouseConfig config) {
        return List.of();
    }

    /**
     * Scripts the feature adds to pages (its own or Gatehouse's, such as {@code gatehouse/login}):
     * served by Gatehouse and allowed by those pages' Content-Security-Policy only; see
     * {@link PageScript}. Two features may not add scripts of the same file name. None by default.
     */
    default List<PageScript> scripts(GatehouseConfig config) {
        return List.of();
    }

    /**
     * Called by the logout endpoint when a user signs out, after the request's CSRF check and
     * before the sign-in ends (its session and the data kept with it still exist): a feature whose
     * sign-in must also end elsewhere, such as at an external provider's logout endpoint, returns
     * the absolute URL to send the browser to instead of {@code post-logout-view}; JSON clients
     * get it as {@code location}. The first feature that returns one wins. Empty by default.
     *
     * @param ending how the request authenticated: the sign-in being ended
     */
    default Optional<String> onLogout(Exchange x, Authentication ending) {
        return Optional.empty();
    }

    /**
     * A second factor this feature provides ({@link SecondStepMethod}), asked once after
     * {@link #routes}: its users then need a second step after any first factor, and
     * {@link WebToolkit#secondFactors()} counts them. None by default.
     */
    default Optional<SecondStepMethod> secondStep(WebToolkit toolkit) {
        return Optional.empty();
    }
}
