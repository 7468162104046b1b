package dev.gatehouse.web;

import dev.gatehouse.config.GatehouseConfig;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Gatehouse's own endpoint groups as {@link WebFeature}s, in mounting order, each switched on by
 * its Flask-Security setting ({@code registerable}, {@code confirmable}, ...).
 */
final class BuiltInFeatures {

    private BuiltInFeatures() {
    }

    /** A feature made of a switch, links and an endpoint group built on the toolkit. */
    private record Feature(String name, Predicate<GatehouseConfig> enabled, BiConsumer<GatehouseConfig, PageLinks> links,
            Function<WebToolkit, List<WebRoute>> routes) implements WebFeature {

        @Override
        public boolean isEnabled(GatehouseConfig config) {
            return enabled.test(config);
        }

        @Override
        public void links(GatehouseConfig config, PageLinks pageLinks) {
            links.accept(config, pageLinks);
        }

        @Override
        public List<WebRoute> routes(WebToolkit toolkit) {
            return routes.apply(toolkit);
        }
    }

    static List<WebFeature> all() {
        return List.of(
                new Feature("session", config -> true, (config, links) -> {
                    links.value("home", config.postLoginView());
                    links.path("login", config.loginUrl());
                    links.path("verify", config.verifyUrl());
                    if (!config.logoutMethods().isEmpty()) {
                        links.path("logout", config.logoutUrl());
                        links.value("logout_form", config.logoutMethods().contains("POST"));
                    }
                }, web -> new SessionEndpoints(web).routes()),
                new Feature("register", GatehouseConfig::registerable,
                        (config, links) -> links.path("register", config.registerUrl()),
                        web -> new RegisterEndpoints(web).endpoints()),
                new Feature("confirm", GatehouseConfig::confirmable,
                        (config, links) -> links.path("send_confirmation", config.confirmUrl()),
                        web -> new ConfirmEndpoints(web).endpoints()),
                new Feature("recover", GatehouseConfig::recoverable,
                        (config, links) -> links.path("forgot_password", config.resetUrl()),
                        web -> new RecoveryEndpoints(web).endpoints()),
                new Feature("change-password", GatehouseConfig::changeable,
                        (config, links) -> links.path("change_password", config.changeUrl()),
                        web -> new ChangePasswordEndpoints(web).endpoints()),
                new Feature("change-email", GatehouseConfig::changeEmail,
                        (config, links) -> links.path("change_email", config.changeEmailUrl()),
                        web -> new ChangeEmailEndpoints(web).endpoints()),
                new Feature("username", GatehouseConfig::usernameEnable, (config, links) -> {
                    links.path("change_username", config.changeUsernameUrl());
                    if (config.usernameRecovery()) {
                        links.path("recover_username", config.usernameRecoveryUrl());
                    }
                }, web -> new UsernameEndpoints(web).endpoints()),
                new Feature("passwordless", GatehouseConfig::unifiedSignin,
                        (config, links) -> links.path("us_signin", config.usSigninUrl()),
                        web -> new PasswordlessEndpoints(web).endpoints()),
                new Feature("unlock", config -> config.lockoutEnabled() && !config.lockoutUnlock().equals("time"),
                        (config, links) -> { }, web -> new UnlockEndpoints(web).endpoints()),
                new Feature("sessions", GatehouseConfig::sessionManagement,
                        (config, links) -> links.path("sessions", config.sessionsUrl()),
                        web -> new ActiveSessionsEndpoints(web).endpoints()));
    }
}
