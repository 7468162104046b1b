package dev.gatehouse.passkeys;

import dev.gatehouse.config.OptionalSetting;
import dev.gatehouse.config.Setting;
import dev.gatehouse.config.SettingGroup;
import dev.gatehouse.config.SettingKey;
import dev.gatehouse.config.ValueType;
import java.time.Duration;
import java.util.List;

/**
 * The settings of {@link PasskeysFeature} and {@link Passkeys}, named after Flask-Security's
 * {@code SECURITY_WEBAUTHN} and {@code SECURITY_WAN_*}. Found on the class path
 * ({@code META-INF/services/dev.gatehouse.config.SettingGroup}).
 */
public final class PasskeySettings implements SettingGroup {

    /** Whether passkeys are offered. */
    public static final Setting<Boolean> WEBAUTHN = Setting.define("webauthn", ValueType.bool(), false,
            "Whether users may register passkeys (WebAuthn) and sign in and re-authenticate with them. Flask-Security's"
                    + " SECURITY_WEBAUTHN.");

    /** The relying party id: a registrable domain suffix of the site's host. */
    public static final OptionalSetting<String> WAN_RP_ID = OptionalSetting.define("wan-rp-id", ValueType.line(),
            "The WebAuthn relying-party id, the host (or a registrable suffix of it) passkeys are bound to, e.g."
                    + " example.com; unset: the host of external-url. Changing it orphans every registered passkey.");

    /** The name authenticators show. */
    public static final Setting<String> WAN_RP_NAME = Setting.define("wan-rp-name", ValueType.line(), "Gatehouse",
            "The relying-party name authenticators show when a passkey is created. Flask-Security's SECURITY_WAN_RP_NAME.");

    /** The origins browsers may run the ceremonies from. */
    public static final Setting<List<String>> WAN_ALLOWED_ORIGINS = Setting.define("wan-allowed-origins",
            ValueType.listOf(ValueType.externalUrl()), List.of(),
            "The origins (scheme://host[:port]) whose pages may register and use passkeys; empty: the origin of"
                    + " external-url. An assertion from any other origin is refused.");

    /** Whether authenticators must verify the user. */
    public static final Setting<UserVerification> WAN_USER_VERIFICATION = Setting.define("wan-user-verification",
            ValueType.choice(UserVerification.class), UserVerification.PREFERRED,
            "Whether authenticators must verify the user (PIN, biometrics): required, preferred or discouraged;"
                    + " required also refuses credentials and assertions without the UV flag.");

    /** How long a registration ceremony may take. */
    public static final Setting<Duration> WAN_REGISTER_TIMEOUT = Setting.define("wan-register-timeout",
            ValueType.duration(Duration.ofSeconds(10), Duration.ofMinutes(10)), Duration.ofSeconds(60),
            "How long a registration ceremony (its challenge) stays valid. Flask-Security's SECURITY_WAN_REGISTER_TIMEOUT.");

    /** How long a sign-in or re-authentication ceremony may take. */
    public static final Setting<Duration> WAN_SIGNIN_TIMEOUT = Setting.define("wan-signin-timeout",
            ValueType.duration(Duration.ofSeconds(10), Duration.ofMinutes(10)), Duration.ofSeconds(60),
            "How long a sign-in or re-authentication ceremony (its challenge) stays valid. Flask-Security's"
                    + " SECURITY_WAN_SIGNIN_TIMEOUT.");

    /** Whether passkeys may be registered and used as a first factor. */
    public static final Setting<Boolean> WAN_ALLOW_AS_FIRST_FACTOR = Setting.define("wan-allow-as-first-factor",
            ValueType.bool(), true,
            "Whether passkeys may sign users in on their own (usage first, passwordless); false: every new passkey is"
                    + " a second factor (usage secondary) and /wan-signin serves only the second step of a sign-in."
                    + " Flask-Security's SECURITY_WAN_ALLOW_AS_FIRST_FACTOR.");

    /** Whether a first-factor passkey with user verification counts as both factors. */
    public static final Setting<Boolean> WAN_ALLOW_AS_MULTI_FACTOR = Setting.define("wan-allow-as-multi-factor",
            ValueType.bool(), true,
            "Whether a passkey sign-in whose authenticator verified the user (PIN, biometrics: the UV flag) counts as"
                    + " two factors, so that a user with a second factor needs no second step; without user verification"
                    + " the second step follows. Flask-Security's SECURITY_WAN_ALLOW_AS_MULTI_FACTOR.");

    /** Which passkeys re-authenticate at {@code /wan-verify}. */
    public static final Setting<List<String>> WAN_ALLOW_AS_VERIFY = Setting.define("wan-allow-as-verify",
            ValueType.listOf(ValueType.line()), List.of("first", "secondary"),
            "Which passkeys (by usage: first, secondary) may re-authenticate a signed-in user at /wan-verify; empty:"
                    + " none. Flask-Security's SECURITY_WAN_ALLOW_AS_VERIFY.");

    /** Whether a passkey sign-in may name the account. */
    public static final Setting<Boolean> WAN_ALLOW_USER_HINTS = Setting.define("wan-allow-user-hints", ValueType.bool(), true,
            "Whether a first-factor passkey sign-in may name the account (identity), so that the browser offers that"
                    + " account's passkeys; false: identity is ignored and the browser offers the discoverable passkeys"
                    + " it holds. Flask-Security's SECURITY_WAN_ALLOW_USER_HINTS.");

    /** Where passkeys are listed and registered. */
    public static final Setting<String> WAN_REGISTER_URL = Setting.define("wan-register-url", ValueType.urlPath(),
            "/wan-register", "Where a signed-in user lists passkeys (GET) and registers one (POST, then POST <url>/<state>).");

    /** Where a passkey sign-in happens. */
    public static final Setting<String> WAN_SIGNIN_URL = Setting.define("wan-signin-url", ValueType.urlPath(),
            "/wan-signin", "Where users sign in with a passkey (POST, then POST <url>/<state>).");

    /** Where a passkey is deleted. */
    public static final Setting<String> WAN_DELETE_URL = Setting.define("wan-delete-url", ValueType.urlPath(),
            "/wan-delete", "Where a signed-in user deletes a passkey by name (POST).");

    /** Where a passkey is renamed; Flask-Security has no such endpoint. */
    public static final Setting<String> WAN_RENAME_URL = Setting.define("wan-rename-url", ValueType.urlPath(),
            "/wan-rename", "Where a signed-in user renames a passkey (POST name, new_name); Gatehouse's own, Flask-Security"
                    + " has none.");

    /** Where a signed-in user re-authenticates with a passkey. */
    public static final Setting<String> WAN_VERIFY_URL = Setting.define("wan-verify-url", ValueType.urlPath(),
            "/wan-verify", "Where a signed-in user re-authenticates with a passkey (POST, then POST <url>/<state>),"
                    + " refreshing the session's freshness.");

    @Override
    public String title() {
        return "Passkeys (gatehouse-passkeys)";
    }

    @Override
    public List<SettingKey<?>> settings() {
        return List.of(WEBAUTHN, WAN_RP_ID, WAN_RP_NAME, WAN_ALLOWED_ORIGINS, WAN_USER_VERIFICATION, WAN_REGISTER_TIMEOUT,
                WAN_SIGNIN_TIMEOUT, WAN_ALLOW_AS_FIRST_FACTOR, WAN_ALLOW_AS_MULTI_FACTOR, WAN_ALLOW_AS_VERIFY,
                WAN_ALLOW_USER_HINTS, WAN_REGISTER_URL, WAN_SIGNIN_URL, WAN_DELETE_URL, WAN_RENAME_URL,
                WAN_VERIFY_URL);
    }
}
