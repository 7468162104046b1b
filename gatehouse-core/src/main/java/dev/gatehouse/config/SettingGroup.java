package dev.gatehouse.config;

import java.util.List;
import java.util.Objects;

/**
 * Settings a module contributes, documented under one heading. Implement it with a public
 * no-argument constructor and list the class in
 * {@code META-INF/services/dev.gatehouse.config.SettingGroup}: like JDBC drivers, groups on the
 * class path are discovered with {@link java.util.ServiceLoader}, so a properties file may name
 * the module's settings as soon as the module is on the class path (and an unknown name is still
 * an error). Parsing, validation, {@link GatehouseConfig#toString()} and the generated
 * documentation treat contributed settings exactly like Gatehouse's own. A group may also
 * contribute {@linkplain SettingFamily setting families}, settings repeated per id, and
 * {@linkplain #check check} rules that span several settings.
 *
 * <pre>{@code
 * public final class OidcSettings implements SettingGroup {
 *     public static final Setting<String> OIDC_CALLBACK_URL = Setting.define("oidc-callback-url",
 *             ValueType.urlPath(), "/oidc/callback", "Where providers send users back to.");
 *     public static final SettingFamily<String> ISSUER = SettingFamily.define("oidc", "issuer",
 *             ValueType.externalUrl(), "The provider's issuer URL.");
 *
 *     public String title() { return "OpenID Connect"; }
 *     public List<SettingKey<?>> settings() { return List.of(OIDC_CALLBACK_URL); }
 *     public List<SettingFamily<?>> families() { return List.of(ISSUER); }
 * }
 * }</pre>
 *
 * <p>Implementations are stateless and thread-safe; they are instantiated once per class loader.
 */
public interface SettingGroup {

    /** The heading of the group in the documentation, e.g. {@code OpenID Connect}. */
    String title();

    /** The settings, in documentation order; their names must not clash with any other setting's. */
    List<SettingKey<?>> settings();

    /**
     * The setting families, in documentation order, listed after the settings; none by default.
     * Their names must not clash with any other family's or setting's, in properties or the environment
     * (a family prefix extending another, such as {@code oidc} and {@code oidc-x}, clashes too): the
     * settings registry refuses to load otherwise.
     */
    default List<SettingFamily<?>> families() {
        return List.of();
    }

    /**
     * Rules involving several settings of this group, e.g. "every id in {@code oidc-providers} has an
     * issuer", checked by {@link GatehouseConfig.Builder#build()} once Gatehouse's own settings are
     * complete and consistent (so every {@link Setting} has a value). No problems by default.
     *
     * @param config the configuration about to be returned
     * @return one message per problem, naming the settings involved (never a secret value);
     *         empty when all is well
     */
    default List<String> check(GatehouseConfig config) {
        return List.of();
    }

    /** A fixed group. */
    static SettingGroup of(String title, List<? extends SettingKey<?>> settings) {
        Objects.requireNonNull(title, "title");
        List<SettingKey<?>> copy = List.copyOf(settings);
        return new SettingGroup() {
            @Override
            public String title() {
                return title;
            }

            @Override
            public List<SettingKey<?>> settings() {
                return copy;
            }
        };
    }
}
