package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL_URL;
import static dev.gatehouse.config.Settings.CHANGE_URL;
import static dev.gatehouse.config.Settings.CHANGE_USERNAME_URL;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.CONFIRM_URL;
import static dev.gatehouse.config.Settings.LOCKOUT_ENABLED;
import static dev.gatehouse.config.Settings.LOCKOUT_UNLOCK;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.LOGOUT_METHODS;
import static dev.gatehouse.config.Settings.LOGOUT_URL;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.REGISTER_URL;
import static dev.gatehouse.config.Settings.RESET_URL;
import static dev.gatehouse.config.Settings.SESSIONS_URL;
import static dev.gatehouse.config.Settings.SESSION_MANAGEMENT;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_RECOVERY;
import static dev.gatehouse.config.Settings.USERNAME_RECOVERY_URL;
import static dev.gatehouse.config.Settings.US_SIGNIN_URL;
import static dev.gatehouse.config.Settings.VERIFY_URL;
import static dev.gatehouse.twofactor.TwoFactorSettings.MULTI_FACTOR_RECOVERY_CODES;
import static dev.gatehouse.twofactor.TwoFactorSettings.MULTI_FACTOR_RECOVERY_CODES_URL;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_SETUP_URL;
import static dev.gatehouse.twofactor.TwoFactorSettings.US_SETUP_URL;
import static dev.gatehouse.twofactor.TwoFactorSettings.US_VERIFY_URL;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.twofactor.TwoFactorSettings;
import dev.gatehouse.config.LockoutUnlock;
import dev.gatehouse.config.LogoutMethod;
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
                    links.value("home", config.get(POST_LOGIN_VIEW));
                    links.path("login", config.get(LOGIN_URL));
                    links.path("verify", config.get(VERIFY_URL));
                    if (!config.get(LOGOUT_METHODS).isEmpty()) {
                        links.path("logout", config.get(LOGOUT_URL));
                        links.value("logout_form", config.get(LOGOUT_METHODS).contains(LogoutMethod.POST));
                    }
                }, web -> new SessionEndpoints(web).routes()),
                new Feature("register", config -> config.get(REGISTERABLE),
                        (config, links) -> links.path("register", config.get(REGISTER_URL)),
                        web -> new RegisterEndpoints(web).endpoints()),
                new Feature("confirm", config -> config.get(CONFIRMABLE),
                        (config, links) -> links.path("send_confirmation", config.get(CONFIRM_URL)),
                        web -> new ConfirmEndpoints(web).endpoints()),
                new Feature("recover", config -> config.get(RECOVERABLE),
                        (config, links) -> links.path("forgot_password", config.get(RESET_URL)),
                        web -> new RecoveryEndpoints(web).endpoints()),
                new Feature("change-password", config -> config.get(CHANGEABLE),
                        (config, links) -> links.path("change_password", config.get(CHANGE_URL)),
                        web -> new ChangePasswordEndpoints(web).endpoints()),
                new Feature("change-email", config -> config.get(CHANGE_EMAIL),
                        (config, links) -> links.path("change_email", config.get(CHANGE_EMAIL_URL)),
                        web -> new ChangeEmailEndpoints(web).endpoints()),
                new Feature("username", config -> config.get(USERNAME_ENABLE), (config, links) -> {
                    links.path("change_username", config.get(CHANGE_USERNAME_URL));
                    if (config.get(USERNAME_RECOVERY)) {
                        links.path("recover_username", config.get(USERNAME_RECOVERY_URL));
                    }
                }, web -> new UsernameEndpoints(web).endpoints()),
                new Feature("passwordless", config -> config.get(UNIFIED_SIGNIN),
                        (config, links) -> links.path("us_signin", config.get(US_SIGNIN_URL)),
                        web -> new PasswordlessEndpoints(web).endpoints()),
                new Feature("unlock", config -> config.get(LOCKOUT_ENABLED) && !config.get(LOCKOUT_UNLOCK).equals(LockoutUnlock.TIME),
                        (config, links) -> { }, web -> new UnlockEndpoints(web).endpoints()),
                new Feature("two-factor-signin", config -> config.get(TwoFactorSettings.TWO_FACTOR), (config, links) -> { },
                        web -> new SecondStepEndpoints(web).endpoints()),
                new Feature("sessions", config -> config.get(SESSION_MANAGEMENT),
                        (config, links) -> links.path("sessions", config.get(SESSIONS_URL)),
                        web -> new ActiveSessionsEndpoints(web).endpoints()),
                new Feature("two-factor-setup", config -> config.get(TWO_FACTOR),
                        (config, links) -> links.path("two_factor_setup", config.get(TWO_FACTOR_SETUP_URL)),
                        web -> new TwoFactorSetupEndpoints(web).endpoints()),
                new Feature("recovery-codes", config -> config.get(MULTI_FACTOR_RECOVERY_CODES),
                        (config, links) -> links.path("mf_recovery_codes", config.get(MULTI_FACTOR_RECOVERY_CODES_URL)),
                        web -> new RecoveryCodesEndpoints(web).endpoints()),
                new Feature("unified-setup", config -> config.get(UNIFIED_SIGNIN), (config, links) -> {
                    links.path("us_setup", config.get(US_SETUP_URL));
                    links.path("us_verify", config.get(US_VERIFY_URL));
                }, web -> new UnifiedSetupEndpoints(web).endpoints()));
    }
}
