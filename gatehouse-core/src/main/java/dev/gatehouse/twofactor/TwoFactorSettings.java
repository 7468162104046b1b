package dev.gatehouse.twofactor;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.OptionalSetting;
import dev.gatehouse.config.Setting;
import dev.gatehouse.config.SettingGroup;
import dev.gatehouse.config.SettingKey;
import dev.gatehouse.config.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of two-factor authentication ({@link TwoFactor}), recovery codes and unified
 * sign-in setup, named after Flask-Security's {@code SECURITY_TWO_FACTOR_*},
 * {@code SECURITY_MULTI_FACTOR_RECOVERY_*}, {@code SECURITY_TOTP_*}, {@code SECURITY_SMS_*} and
 * {@code SECURITY_US_*} in kebab-case. Found on the class path
 * ({@code META-INF/services/dev.gatehouse.config.SettingGroup}).
 */
public final class TwoFactorSettings implements SettingGroup {

    private static final ValueType<List<FactorMethod>> METHODS = ValueType.listOf(ValueType.choice(FactorMethod.class));
    private static final ValueType<Duration> CODE_VALIDITY = ValueType.duration(Duration.ofSeconds(30), Duration.ofMinutes(10));

    /** Turns two-factor authentication on. */
    public static final Setting<Boolean> TWO_FACTOR = Setting.define("two-factor", ValueType.bool(), false,
            "Offer two-factor authentication: users may set up a second factor (authenticator app, email or SMS code),"
                    + " asked for after every first factor. Flask-Security's SECURITY_TWO_FACTOR.");

    /** Which second factors users may set up. */
    public static final Setting<List<FactorMethod>> TWO_FACTOR_ENABLED_METHODS = Setting.define("two-factor-enabled-methods",
            METHODS, List.of(FactorMethod.AUTHENTICATOR, FactorMethod.EMAIL),
            "Second factors users may choose: authenticator, email, sms (sms needs sms-service or an SmsSender)."
                    + " Flask-Security's default adds sms.");

    /** Whether every user must have a second factor. */
    public static final Setting<Boolean> TWO_FACTOR_REQUIRED = Setting.define("two-factor-required", ValueType.bool(), false,
            "Every user must set up a second factor, during their next sign-in if they have none.");

    /** Roles whose members must have a second factor. */
    public static final Setting<List<String>> TWO_FACTOR_REQUIRED_ROLES = Setting.define("two-factor-required-roles",
            ValueType.listOf(ValueType.line()), List.of(),
            "Roles whose members must set up a second factor (as two-factor-required, for them only); Gatehouse's addition.");

    /** Whether the second factor is asked for at every sign-in. */
    public static final Setting<Boolean> TWO_FACTOR_ALWAYS_VALIDATE = Setting.define("two-factor-always-validate",
            ValueType.bool(), true,
            "Ask for the second factor at every sign-in; false offers 'trust this browser' for two-factor-login-validity.");

    /** How long a trusted browser skips the second factor. */
    public static final Setting<Duration> TWO_FACTOR_LOGIN_VALIDITY = Setting.define("two-factor-login-validity",
            ValueType.duration(Duration.ofMinutes(1), Duration.ofDays(365)), Duration.ofDays(30),
            "How long a browser the user chose to trust skips the second factor (the tf_validity cookie); ended early by"
                    + " a security-stamp change.");

    /** How long an emailed code is valid. */
    public static final Setting<Duration> TWO_FACTOR_MAIL_VALIDITY = Setting.define("two-factor-mail-validity", CODE_VALIDITY,
            Duration.ofMinutes(5), "How long a second-factor code sent by email is valid (at most 10 minutes).");

    /** How long a code sent by SMS is valid. */
    public static final Setting<Duration> TWO_FACTOR_SMS_VALIDITY = Setting.define("two-factor-sms-validity", CODE_VALIDITY,
            Duration.ofMinutes(2), "How long a second-factor code sent by SMS is valid (at most 10 minutes).");

    /** How many 30-second steps around now an authenticator code may be off. */
    public static final Setting<Integer> TWO_FACTOR_TOTP_WINDOW = Setting.define("two-factor-totp-window",
            ValueType.integer(0, 4), 1,
            "Authenticator codes of this many 30-second steps before or after now are accepted too (clock drift);"
                    + " Flask-Security's TWO_FACTOR_AUTHENTICATOR_VALIDITY counts seconds (120).");

    /** How long a two-factor setup may take. */
    public static final Setting<Duration> TWO_FACTOR_SETUP_WITHIN = Setting.define("two-factor-setup-within",
            ValueType.duration(Duration.ofMinutes(1), Duration.ofHours(2)), Duration.ofMinutes(30),
            "How long a started second-factor setup stays open for its code.");

    /** Whether users who lost their factor may have a code emailed. */
    public static final Setting<Boolean> TWO_FACTOR_RESCUE_EMAIL = Setting.define("two-factor-rescue-email", ValueType.bool(),
            true, "Let users who lost their second factor have a one-time code emailed to them (two-factor-rescue-url).");

    /** The issuer authenticator apps show. */
    public static final OptionalSetting<String> TOTP_ISSUER = OptionalSetting.define("totp-issuer", ValueType.line(),
            "The issuer authenticator apps show beside the account (otpauth URI); unset: site-name.");

    /** Whether recovery codes are offered. */
    public static final Setting<Boolean> MULTI_FACTOR_RECOVERY_CODES = Setting.define("multi-factor-recovery-codes",
            ValueType.bool(), false,
            "Let users generate single-use recovery codes that stand in for their second factor.");

    /** How many recovery codes a set has. */
    public static final Setting<Integer> MULTI_FACTOR_RECOVERY_CODES_N = Setting.define("multi-factor-recovery-codes-n",
            ValueType.integer(1, 50), 10,
            "How many recovery codes are generated at once; Flask-Security's default is 5.");

    /** Which SMS sender to use. */
    public static final Setting<SmsService> SMS_SERVICE = Setting.define("sms-service", ValueType.choice(SmsService.class),
            SmsService.NONE,
            "How SMS codes are sent unless the application gives Gatehouse an SmsSender: none (no sms method) or files"
                    + " (development: written into mail-folder, never sent).");

    /** Which methods users may enable for unified sign-in. */
    public static final Setting<List<FactorMethod>> US_ENABLED_METHODS = Setting.define("us-enabled-methods", METHODS,
            List.of(FactorMethod.EMAIL, FactorMethod.AUTHENTICATOR),
            "Methods users may set up for unified sign-in (us-setup-url) besides their password: email, authenticator, sms.");

    /** How long a unified sign-in setup may take. */
    public static final Setting<Duration> US_SETUP_WITHIN = Setting.define("us-setup-within",
            ValueType.duration(Duration.ofMinutes(1), Duration.ofHours(2)), Duration.ofMinutes(30),
            "How long a started unified sign-in setup stays open for its code.");

    /** Second-factor setup page. */
    public static final Setting<String> TWO_FACTOR_SETUP_URL = Setting.define("two-factor-setup-url", ValueType.urlPath(),
            "/tf-setup", "Second-factor setup page and endpoint.");

    /** Where the second-factor code is entered. */
    public static final Setting<String> TWO_FACTOR_TOKEN_VALIDATION_URL = Setting.define("two-factor-token-validation-url",
            ValueType.urlPath(), "/tf-validate", "Where the second-factor code is entered after the first factor.");

    /** Where a user with several factors picks one. */
    public static final Setting<String> TWO_FACTOR_SELECT_URL = Setting.define("two-factor-select-url", ValueType.urlPath(),
            "/tf-select", "Where a user with more than one second factor picks the one to use.");

    /** Where a user who lost the factor asks for help. */
    public static final Setting<String> TWO_FACTOR_RESCUE_URL = Setting.define("two-factor-rescue-url", ValueType.urlPath(),
            "/tf-rescue", "Where a user who lost the second factor asks for an emailed code or uses a recovery code.");

    /** Where recovery codes are shown and regenerated. */
    public static final Setting<String> MULTI_FACTOR_RECOVERY_CODES_URL = Setting.define("multi-factor-recovery-codes-url",
            ValueType.urlPath(), "/mf-recovery-codes", "Where a signed-in user generates recovery codes.");

    /** Where a recovery code is entered instead of the second factor. */
    public static final Setting<String> MULTI_FACTOR_RECOVERY_URL = Setting.define("multi-factor-recovery-url",
            ValueType.urlPath(), "/mf-recovery", "Where a recovery code is entered instead of the second factor.");

    /** Unified sign-in setup page. */
    public static final Setting<String> US_SETUP_URL = Setting.define("us-setup-url", ValueType.urlPath(), "/us-setup",
            "Where a signed-in user chooses the methods of unified sign-in.");

    /** Re-authentication by code. */
    public static final Setting<String> US_VERIFY_URL = Setting.define("us-verify-url", ValueType.urlPath(), "/us-verify",
            "Re-authentication with a one-time code (refreshes freshness).");

    /** Sends the code of re-authentication by code. */
    public static final Setting<String> US_VERIFY_SEND_CODE_URL = Setting.define("us-verify-send-code-url",
            ValueType.urlPath(), "/us-verify/send-code", "Sends the one-time code for us-verify-url.");

    @Override
    public String title() {
        return "Two-factor authentication";
    }

    @Override
    public List<SettingKey<?>> settings() {
        return List.of(TWO_FACTOR, TWO_FACTOR_ENABLED_METHODS, TWO_FACTOR_REQUIRED, TWO_FACTOR_REQUIRED_ROLES,
                TWO_FACTOR_ALWAYS_VALIDATE, TWO_FACTOR_LOGIN_VALIDITY, TWO_FACTOR_MAIL_VALIDITY, TWO_FACTOR_SMS_VALIDITY,
                TWO_FACTOR_TOTP_WINDOW, TWO_FACTOR_SETUP_WITHIN, TWO_FACTOR_RESCUE_EMAIL, TOTP_ISSUER,
                MULTI_FACTOR_RECOVERY_CODES, MULTI_FACTOR_RECOVERY_CODES_N, SMS_SERVICE, US_ENABLED_METHODS, US_SETUP_WITHIN,
                TWO_FACTOR_SETUP_URL, TWO_FACTOR_TOKEN_VALIDATION_URL, TWO_FACTOR_SELECT_URL, TWO_FACTOR_RESCUE_URL,
                MULTI_FACTOR_RECOVERY_CODES_URL, MULTI_FACTOR_RECOVERY_URL, US_SETUP_URL, US_VERIFY_URL, US_VERIFY_SEND_CODE_URL);
    }

    @Override
    public List<String> check(GatehouseConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.get(TWO_FACTOR) && config.get(TWO_FACTOR_ENABLED_METHODS).isEmpty()) {
            problems.add("two-factor is true but two-factor-enabled-methods is empty; name at least one of authenticator,"
                    + " email, sms");
        }
        if ((config.get(TWO_FACTOR_REQUIRED) || !config.get(TWO_FACTOR_REQUIRED_ROLES).isEmpty()) && !config.get(TWO_FACTOR)) {
            problems.add("two-factor-required or two-factor-required-roles is set but two-factor is false; turn two-factor on");
        }
        return problems;
    }
}
