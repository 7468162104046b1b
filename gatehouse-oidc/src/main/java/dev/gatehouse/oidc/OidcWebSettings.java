package dev.gatehouse.oidc;

import dev.gatehouse.config.OptionalSetting;
import dev.gatehouse.config.Setting;
import dev.gatehouse.config.SettingGroup;
import dev.gatehouse.config.SettingKey;
import dev.gatehouse.config.ValueType;
import java.util.List;

/**
 * The settings of {@link OidcFeature}, the web side of signing in with a provider: its paths (named
 * after Flask-Security's {@code SECURITY_OAUTH_START_URL} and {@code SECURITY_OAUTH_RESPONSE_URL})
 * and how a first sign-in meets local accounts. Found on the class path
 * ({@code META-INF/services/dev.gatehouse.config.SettingGroup}), so properties files and
 * {@code GATEHOUSE_*} variables set them like Gatehouse's own.
 */
public final class OidcWebSettings implements SettingGroup {

    /** Where a sign-in with a provider starts: {@code POST <oauth-start-url>/<provider id>}. */
    public static final Setting<String> OAUTH_START_URL = Setting.define("oauth-start-url", ValueType.urlPath(),
            "/login/oauthstart", "Where sign-in with a provider starts: POST <oauth-start-url>/<provider id> (with the CSRF token);"
                    + " GET lists the providers for JSON clients. Flask-Security's SECURITY_OAUTH_START_URL.");

    /** Where the provider sends the browser back: {@code GET <oauth-response-url>/<provider id>}. */
    public static final Setting<String> OAUTH_RESPONSE_URL = Setting.define("oauth-response-url", ValueType.urlPath(),
            "/login/oauthresponse", "Where providers send the browser back: <external-url><oauth-response-url>/<provider id>"
                    + " is the redirect URI to register at each provider. Flask-Security's SECURITY_OAUTH_RESPONSE_URL.");

    /** Where a signed-in user proves it is them again with a provider: {@code POST <oauth-verify-start-url>/<provider id>}. */
    public static final Setting<String> OAUTH_VERIFY_START_URL = Setting.define("oauth-verify-start-url", ValueType.urlPath(),
            "/login/oauth-verify-start", "Where a signed-in user re-authenticates with a linked provider instead of a password:"
                    + " POST <oauth-verify-start-url>/<provider id> (the verify page's buttons). Flask-Security's"
                    + " SECURITY_OAUTH_VERIFY_START_URL; the provider answers at oauth-response-url as for sign-in.");

    /** The signed-in user's linked providers: list, link, unlink. */
    public static final Setting<String> OAUTH_IDENTITIES_URL = Setting.define("oauth-identities-url", ValueType.urlPath(),
            "/oauth-identities", "Where signed-in users see, link (POST <url>/<provider id>/link) and remove"
                    + " (POST <url>/unlink) the providers they sign in with.");

    /** Whether a first sign-in with a provider may create a local account. */
    public static final Setting<Boolean> OAUTH_CREATE_ACCOUNTS = Setting.define("oauth-create-accounts", ValueType.bool(),
            true, "Whether a first sign-in with a provider whose identity no account has creates one (only when registerable"
                    + " is on, and only for an email address the provider verified).");

    /** Whether a provider's verified email may link its identity to the existing account with that email. */
    public static final Setting<Boolean> OAUTH_LINK_VERIFIED_EMAIL = Setting.define("oauth-link-verified-email",
            ValueType.bool(), false, "Whether a first sign-in with a provider that asserts email_verified=true links the"
                    + " identity to the existing account with that email address; off, the user signs in with the password"
                    + " and links the provider from the account page.");

    /** Where the provider sends the browser after signing out there. */
    public static final OptionalSetting<String> OAUTH_POST_LOGOUT_URL = OptionalSetting.define("oauth-post-logout-url",
            ValueType.externalUrl(), "Absolute URL the provider sends the browser to after its own sign-out"
                    + " (post_logout_redirect_uri, to register at the provider); unset: <external-url> followed by post-logout-view.");

    /** Whether the device-code grant's endpoints are mounted. */
    public static final Setting<Boolean> OAUTH_DEVICE_ENABLED = Setting.define("oauth-device-enabled", ValueType.bool(),
            false, "Whether sign-in with the device-code grant (RFC 8628) is offered: POST <oauth-device-url>/<provider id>"
                    + " starts it and shows a user code to enter at the provider; POST <oauth-device-url>/<provider id>/poll"
                    + " finishes it. Off by default: a user code can be phished, so offer it only where the app needs it.");

    /** Where the device-code sign-in starts and is polled. */
    public static final Setting<String> OAUTH_DEVICE_URL = Setting.define("oauth-device-url", ValueType.urlPath(),
            "/login/device", "Where the device-code sign-in lives: POST <oauth-device-url>/<provider id> starts it,"
                    + " POST <oauth-device-url>/<provider id>/poll polls it (both with the CSRF token).");

    @Override
    public String title() {
        return "Sign-in with a provider (gatehouse-oidc web)";
    }

    @Override
    public List<SettingKey<?>> settings() {
        return List.of(OAUTH_START_URL, OAUTH_RESPONSE_URL, OAUTH_VERIFY_START_URL, OAUTH_IDENTITIES_URL, OAUTH_CREATE_ACCOUNTS,
                OAUTH_LINK_VERIFIED_EMAIL, OAUTH_POST_LOGOUT_URL, OAUTH_DEVICE_ENABLED, OAUTH_DEVICE_URL);
    }
}
