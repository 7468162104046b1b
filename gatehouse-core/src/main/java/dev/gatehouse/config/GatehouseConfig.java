package dev.gatehouse.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Gatehouse's configuration: one immutable, validated set of every setting, each with a typed
 * getter named after it ({@code token-max-age} &rarr; {@link #tokenMaxAge()}).
 *
 * <h2>Assembling it</h2>
 * A {@link Builder} takes settings from code, a properties file and the environment:
 * <pre>{@code
 * GatehouseConfig config = GatehouseConfig.builder()
 *         .registerable(true)                           // the application's choices
 *         .fromPropertiesFile(Path.of("gatehouse.properties"))
 *         .fromEnvironment()                            // GATEHOUSE_REGISTERABLE=false, GATEHOUSE_SECRET=...
 *         .build();
 * }</pre>
 * <ul>
 *   <li><b>What you call last wins.</b> Each call overrides what earlier calls set, setting by
 *       setting; settings no call mentions keep their defaults. The order above (code, then file,
 *       then environment) lets an operator switch any feature without recompiling.</li>
 *   <li><b>Names.</b> Settings are named like Flask-Security's {@code SECURITY_*} settings,
 *       without the prefix, in kebab-case: {@code token-max-age} in code and properties files
 *       (also {@code gatehouse.token-max-age}), {@code GATEHOUSE_TOKEN_MAX_AGE} in the
 *       environment. {@code docs/configuration.md} lists them all.</li>
 *   <li><b>Formats.</b> Booleans are {@code true} or {@code false}; durations {@code 500ms},
 *       {@code 30s}, {@code 15m}, {@code 2h}, {@code 5d} or ISO-8601 ({@code PT1H30M}); lists are
 *       comma-separated. Surrounding whitespace is ignored, and an empty value unsets a setting
 *       that has no default.</li>
 *   <li><b>Fail fast.</b> A malformed value or an unknown name fails the call that supplied it with
 *       an {@link InvalidConfigurationException} naming the setting (all problems of a file or of
 *       the environment together); {@link Builder#build()} then checks the secret is set and that
 *       settings agree with each other.</li>
 *   <li><b>No default secret.</b> {@code secret} must be set, to at least 32 bytes.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. {@link #toString()} lists the settings that differ from their
 * defaults and never reveals a secret, the SMTP password or the database URL.
 */
public final class GatehouseConfig {

    /** Prefix of the environment variables Gatehouse reads. */
    static final String ENV_PREFIX = "GATEHOUSE_";
    /** Optional prefix of property keys, for files shared with other components. */
    static final String PROPERTIES_PREFIX = "gatehouse.";
    private static final String SEE_DOCS = "; the settings are listed in docs/configuration.md";

    /** Every setting with a value; optional settings that are unset are absent. */
    private final Map<Setting<?>, Object> values;

    private GatehouseConfig(Map<Setting<?>, Object> values) {
        this.values = Map.copyOf(values);
    }

    /** A builder with every setting at its default (and no secret). */
    public static Builder builder() {
        return new Builder();
    }

    private <T> T value(Setting<T> setting) {
        return setting.cast(values.get(setting));
    }

    private <T> Optional<T> optional(Setting<T> setting) {
        return Optional.ofNullable(setting.cast(values.get(setting)));
    }

    // ------------------------------------------------------------------ typed getters, registry order

    /** {@code secret}: Signs sessions, cookies and tokens: at least 32 random bytes. Required; there is no default. */
    public Secret secret() {
        return value(Settings.SECRET);
    }

    /** {@code secret-previous}: Earlier secrets, still accepted when verifying but never used to sign: key rotation. */
    public List<Secret> secretPrevious() {
        return value(Settings.SECRET_PREVIOUS);
    }

    /** {@code password-salt}: HMAC salt of password hashes imported from Flask-Security; not needed otherwise. */
    public Optional<Secret> passwordSalt() {
        return optional(Settings.PASSWORD_SALT);
    }

    /** {@code password-hash}: Algorithm for new password hashes; existing hashes of the other algorithms still verify. */
    public String passwordHash() {
        return value(Settings.PASSWORD_HASH);
    }

    /** {@code password-length-min}: Fewest characters a new password may have. */
    public int passwordLengthMin() {
        return value(Settings.PASSWORD_LENGTH_MIN);
    }

    /** {@code password-length-max}: Most characters a new password may have; bounds the cost of hashing attacker input. */
    public int passwordLengthMax() {
        return value(Settings.PASSWORD_LENGTH_MAX);
    }

    /** {@code password-check-breached}: Refuse new passwords found in the Have I Been Pwned list; strict also refuses when it cannot be reached. */
    public String passwordCheckBreached() {
        return value(Settings.PASSWORD_CHECK_BREACHED);
    }

    /** {@code password-complexity-checker}: Estimate the strength of new passwords (zxcvbn) and refuse weak ones; Flask-Security's default is none. */
    public String passwordComplexityChecker() {
        return value(Settings.PASSWORD_COMPLEXITY_CHECKER);
    }

    /** {@code zxcvbn-minimum-score}: Lowest zxcvbn score (0-4) a new password may have; 3 means about 10^10 guesses. */
    public int zxcvbnMinimumScore() {
        return value(Settings.ZXCVBN_MINIMUM_SCORE);
    }

    /** {@code registerable}: Let visitors create their own accounts. */
    public boolean registerable() {
        return value(Settings.REGISTERABLE);
    }

    /** {@code confirmable}: New users confirm their email address through an emailed link. */
    public boolean confirmable() {
        return value(Settings.CONFIRMABLE);
    }

    /** {@code login-without-confirmation}: With confirmable, still let users sign in before they have confirmed. */
    public boolean loginWithoutConfirmation() {
        return value(Settings.LOGIN_WITHOUT_CONFIRMATION);
    }

    /** {@code recoverable}: Let users reset a forgotten password through an emailed link. */
    public boolean recoverable() {
        return value(Settings.RECOVERABLE);
    }

    /** {@code changeable}: Let signed-in users change their password. */
    public boolean changeable() {
        return value(Settings.CHANGEABLE);
    }

    /** {@code change-email}: Let signed-in users change their email address, confirmed through the new one. */
    public boolean changeEmail() {
        return value(Settings.CHANGE_EMAIL);
    }

    /**
     * {@code session-management}: Signed-in users see where they are signed in and end those
     * sessions (sessions-url), after re-authenticating.
     */
    public boolean sessionManagement() {
        return value(Settings.SESSION_MANAGEMENT);
    }

    /** {@code username-enable}: Users have a username and may sign in with it as well as with their email. */
    public boolean usernameEnable() {
        return value(Settings.USERNAME_ENABLE);
    }

    /** {@code username-recovery}: With username-enable, let users have their forgotten username emailed. */
    public boolean usernameRecovery() {
        return value(Settings.USERNAME_RECOVERY);
    }

    /** {@code unified-signin}: Passwordless sign-in: users may sign in with a one-time code or link sent by email. */
    public boolean unifiedSignin() {
        return value(Settings.UNIFIED_SIGNIN);
    }

    /** {@code two-factor}: Let users protect their account with a second factor. */
    public boolean twoFactor() {
        return value(Settings.TWO_FACTOR);
    }

    /** {@code webauthn}: Let users sign in with passkeys and security keys (WebAuthn). */
    public boolean webauthn() {
        return value(Settings.WEBAUTHN);
    }

    /** {@code trackable}: Record sign-in times, addresses and counts on the user. */
    public boolean trackable() {
        return value(Settings.TRACKABLE);
    }

    /** {@code token-max-age}: How long an API authentication token is accepted after it was issued (Flask-Security: forever). */
    public Duration tokenMaxAge() {
        return value(Settings.TOKEN_MAX_AGE);
    }

    /** {@code token-authentication-header}: Request header that carries an API authentication token. */
    public String tokenAuthenticationHeader() {
        return value(Settings.TOKEN_AUTHENTICATION_HEADER);
    }

    /** {@code token-authentication-key}: Query parameter or JSON field that carries an API authentication token. */
    public String tokenAuthenticationKey() {
        return value(Settings.TOKEN_AUTHENTICATION_KEY);
    }

    /**
     * {@code token-authentication-query}: When an API token is accepted in the query string:
     * {@code always}, {@code non-get} or {@code never}.
     */
    public String tokenAuthenticationQuery() {
        return value(Settings.TOKEN_AUTHENTICATION_QUERY);
    }

    /** {@code confirm-email-within}: How long an email confirmation link stays valid. */
    public Duration confirmEmailWithin() {
        return value(Settings.CONFIRM_EMAIL_WITHIN);
    }

    /** {@code reset-password-within}: How long a password reset link stays valid; at most 1h (Flask-Security allows a day). */
    public Duration resetPasswordWithin() {
        return value(Settings.RESET_PASSWORD_WITHIN);
    }

    /** {@code change-email-within}: How long the link confirming a new email address stays valid. */
    public Duration changeEmailWithin() {
        return value(Settings.CHANGE_EMAIL_WITHIN);
    }

    /** {@code change-email-revert-within}: How long the link in the notice to the old address can undo an email change (and sign everyone out). */
    public Duration changeEmailRevertWithin() {
        return value(Settings.CHANGE_EMAIL_REVERT_WITHIN);
    }

    /** {@code default-remember-me}: Remember users across browser restarts when the sign-in form does not say. */
    public boolean defaultRememberMe() {
        return value(Settings.DEFAULT_REMEMBER_ME);
    }

    /** {@code remember-cookie-duration}: How long a remember-me cookie keeps a user signed in. */
    public Duration rememberCookieDuration() {
        return value(Settings.REMEMBER_COOKIE_DURATION);
    }

    /** {@code session-idle-timeout}: A session without requests for this long ends. */
    public Duration sessionIdleTimeout() {
        return value(Settings.SESSION_IDLE_TIMEOUT);
    }

    /** {@code session-absolute-timeout}: A session ends this long after sign-in, however active. */
    public Duration sessionAbsoluteTimeout() {
        return value(Settings.SESSION_ABSOLUTE_TIMEOUT);
    }

    /** {@code cookie-secure}: Send cookies over HTTPS only; turn off only for local development over plain HTTP. */
    public boolean cookieSecure() {
        return value(Settings.COOKIE_SECURE);
    }

    /** {@code logout-methods}: HTTP methods the logout URL answers; empty disables it. GET lets other sites log users out. */
    public List<String> logoutMethods() {
        return value(Settings.LOGOUT_METHODS);
    }

    /** {@code csrf-protect-mechanisms}: Authentication mechanisms whose requests must carry a CSRF token. */
    public List<String> csrfProtectMechanisms() {
        return value(Settings.CSRF_PROTECT_MECHANISMS);
    }

    /** {@code return-generic-responses}: Answer sign-in, registration and recovery alike whether or not an account exists. */
    public boolean returnGenericResponses() {
        return value(Settings.RETURN_GENERIC_RESPONSES);
    }

    /** {@code trusted-proxy-count}: Reverse proxies in front of the application whose X-Forwarded-For entries are trusted. */
    public int trustedProxyCount() {
        return value(Settings.TRUSTED_PROXY_COUNT);
    }

    /** {@code hsts-max-age}: Strict-Transport-Security max-age sent on HTTPS responses when cookie-secure is on; 0 sends none. */
    public Duration hstsMaxAge() {
        return value(Settings.HSTS_MAX_AGE);
    }

    /** {@code hsts-include-subdomains}: Extend Strict-Transport-Security to every subdomain of the site's host. */
    public boolean hstsIncludeSubdomains() {
        return value(Settings.HSTS_INCLUDE_SUBDOMAINS);
    }

    /** {@code api-enabled-methods}: Mechanisms tried on routes that require authentication without naming mechanisms. */
    public List<String> apiEnabledMethods() {
        return value(Settings.API_ENABLED_METHODS);
    }

    /** {@code http-auth-realm}: Realm named in the WWW-Authenticate header of HTTP Basic challenges. */
    public String httpAuthRealm() {
        return value(Settings.HTTP_AUTH_REALM);
    }

    /** {@code freshness}: How recently users must have proved who they are for sensitive actions such as changing the password or email (Flask-Security's default is 24h). */
    public Duration freshness() {
        return value(Settings.FRESHNESS);
    }

    /** {@code csrf-ignore-unauth-endpoints}: Let anonymous clients sign in without a CSRF token (API clients); cross-site browser requests are still refused. */
    public boolean csrfIgnoreUnauthEndpoints() {
        return value(Settings.CSRF_IGNORE_UNAUTH_ENDPOINTS);
    }

    /** {@code csrf-cookie-name}: Also send the CSRF token in a cookie script can read (XSRF-TOKEN for Axios and Angular); unset: none. */
    public Optional<String> csrfCookieName() {
        return optional(Settings.CSRF_COOKIE_NAME);
    }

    /** {@code redirect-allowed-hosts}: Other hosts a next parameter may redirect to; by default only paths on this site are allowed. */
    public List<String> redirectAllowedHosts() {
        return value(Settings.REDIRECT_ALLOWED_HOSTS);
    }

    /** {@code refresh-token-idle-timeout}: A refresh token not exchanged for this long expires, and with it its whole family. */
    public Duration refreshTokenIdleTimeout() {
        return value(Settings.REFRESH_TOKEN_IDLE_TIMEOUT);
    }

    /** {@code refresh-token-max-age}: A family of refresh tokens ends this long after the sign-in that started it. */
    public Duration refreshTokenMaxAge() {
        return value(Settings.REFRESH_TOKEN_MAX_AGE);
    }

    /** {@code verify-url}: Re-authentication page and endpoint, which refreshes freshness. */
    public String verifyUrl() {
        return value(Settings.VERIFY_URL);
    }

    /** {@code refresh-token-url}: Endpoint that exchanges a refresh token for a new API token. */
    public String refreshTokenUrl() {
        return value(Settings.REFRESH_TOKEN_URL);
    }

    /** {@code lockout-enabled}: Lock an account for a while after repeated failed sign-ins. */
    public boolean lockoutEnabled() {
        return value(Settings.LOCKOUT_ENABLED);
    }

    /** {@code lockout-max-attempts}: Failed password checks in a row, at sign-in or re-authentication, that lock the account. */
    public int lockoutMaxAttempts() {
        return value(Settings.LOCKOUT_MAX_ATTEMPTS);
    }

    /** {@code lockout-duration}: How long a locked account stays locked. */
    public Duration lockoutDuration() {
        return value(Settings.LOCKOUT_DURATION);
    }

    /** {@code url-prefix}: Prefix of every Gatehouse URL, e.g. /auth; none by default. */
    public Optional<String> urlPrefix() {
        return optional(Settings.URL_PREFIX);
    }

    /** {@code login-url}: Sign-in page and endpoint. */
    public String loginUrl() {
        return value(Settings.LOGIN_URL);
    }

    /** {@code logout-url}: Sign-out endpoint. */
    public String logoutUrl() {
        return value(Settings.LOGOUT_URL);
    }

    /** {@code register-url}: Registration page and endpoint. */
    public String registerUrl() {
        return value(Settings.REGISTER_URL);
    }

    /** {@code reset-url}: Forgotten-password and password-reset pages. */
    public String resetUrl() {
        return value(Settings.RESET_URL);
    }

    /** {@code change-url}: Password change page. */
    public String changeUrl() {
        return value(Settings.CHANGE_URL);
    }

    /** {@code confirm-url}: Email confirmation endpoint. */
    public String confirmUrl() {
        return value(Settings.CONFIRM_URL);
    }

    /** {@code post-login-view}: Where users land after signing in, unless a safe next parameter says otherwise. */
    public String postLoginView() {
        return value(Settings.POST_LOGIN_VIEW);
    }

    /** {@code post-logout-view}: Where users land after signing out. */
    public String postLogoutView() {
        return value(Settings.POST_LOGOUT_VIEW);
    }

    /** {@code unauthorized-view}: Where users without the required role or permission are sent; unset answers 403. */
    public Optional<String> unauthorizedView() {
        return optional(Settings.UNAUTHORIZED_VIEW);
    }

    /** {@code default-locale}: Language of pages and messages when the browser's Accept-Language names none of the supported ones. */
    public String defaultLocale() {
        return value(Settings.DEFAULT_LOCALE);
    }

    /** {@code supported-locales}: Languages offered to browsers through Accept-Language; Gatehouse ships texts in en, de and fr. */
    public List<String> supportedLocales() {
        return value(Settings.SUPPORTED_LOCALES);
    }

    /** {@code messages-file}: Properties file of texts replacing Gatehouse's, keyed like SECURITY_MSG_* (INVALID_PASSWORD=...); messages_de.properties beside it for German. */
    public Optional<String> messagesFile() {
        return optional(Settings.MESSAGES_FILE);
    }

    /** {@code templates-folder}: Folder of page templates (e.g. gatehouse/login.html) that replace the application's and Gatehouse's. */
    public Optional<String> templatesFolder() {
        return optional(Settings.TEMPLATES_FOLDER);
    }

    /** {@code email-sender}: From address of the emails Gatehouse sends. */
    public String emailSender() {
        return value(Settings.EMAIL_SENDER);
    }

    /** {@code mail-backend}: How the web layer delivers queued email: smtp (the mail-* settings), files (in mail-folder, for development) or none (another process does). */
    public String mailBackend() {
        return value(Settings.MAIL_BACKEND);
    }

    /** {@code mail-folder}: Folder the files mail backend writes messages to; never for production, as the files hold reset links. */
    public String mailFolder() {
        return value(Settings.MAIL_FOLDER);
    }

    /** {@code mail-server}: SMTP server host. */
    public String mailServer() {
        return value(Settings.MAIL_SERVER);
    }

    /** {@code mail-port}: SMTP server port, typically 25, 587 (STARTTLS) or 465 (TLS). */
    public int mailPort() {
        return value(Settings.MAIL_PORT);
    }

    /** {@code mail-use-tls}: Upgrade the SMTP connection with STARTTLS. */
    public boolean mailUseTls() {
        return value(Settings.MAIL_USE_TLS);
    }

    /** {@code mail-use-ssl}: Connect to the SMTP server over TLS from the start. */
    public boolean mailUseSsl() {
        return value(Settings.MAIL_USE_SSL);
    }

    /** {@code mail-username}: SMTP user name; unset means no SMTP authentication. */
    public Optional<String> mailUsername() {
        return optional(Settings.MAIL_USERNAME);
    }

    /** {@code mail-password}: SMTP password. */
    public Optional<Secret> mailPassword() {
        return optional(Settings.MAIL_PASSWORD);
    }

    /** {@code db-url}: JDBC URL of the database of the JDBC stores; never printed, as it may hold credentials. */
    public Optional<String> dbUrl() {
        return optional(Settings.DB_URL);
    }

    /** {@code auto-login-after-confirm}: Sign users in when they follow their confirmation link. */
    public boolean autoLoginAfterConfirm() {
        return value(Settings.AUTO_LOGIN_AFTER_CONFIRM);
    }

    /** {@code send-register-email}: Send a welcome email on registration (with confirmable it carries the confirmation link either way). */
    public boolean sendRegisterEmail() {
        return value(Settings.SEND_REGISTER_EMAIL);
    }

    /** {@code auto-login-after-reset}: Sign users in after they reset their password (never past a second factor they have). */
    public boolean autoLoginAfterReset() {
        return value(Settings.AUTO_LOGIN_AFTER_RESET);
    }

    /** {@code email-link-signin}: Emailed sign-in links: confirm shows a page whose button signs in; same-browser signs the browser that asked for a passwordless link in at once. */
    public String emailLinkSignin() {
        return value(Settings.EMAIL_LINK_SIGNIN);
    }

    /** {@code username-required}: With username-enable, registration requires a username. */
    public boolean usernameRequired() {
        return value(Settings.USERNAME_REQUIRED);
    }

    /** {@code username-min-length}: Fewest characters a new username may have. */
    public int usernameMinLength() {
        return value(Settings.USERNAME_MIN_LENGTH);
    }

    /** {@code username-max-length}: Most characters a new username may have. */
    public int usernameMaxLength() {
        return value(Settings.USERNAME_MAX_LENGTH);
    }

    /** {@code login-code-within}: How long an emailed sign-in code stays valid (at most 10m); it also allows 3 attempts only. */
    public Duration loginCodeWithin() {
        return value(Settings.LOGIN_CODE_WITHIN);
    }

    /** {@code login-within}: How long an emailed sign-in link stays valid; it works once. */
    public Duration loginWithin() {
        return value(Settings.LOGIN_WITHIN);
    }

    /** {@code email-unknown-accounts}: With generic responses, mail addresses without an account that ask for a reset, code or link, so both cases do the same work. */
    public boolean emailUnknownAccounts() {
        return value(Settings.EMAIL_UNKNOWN_ACCOUNTS);
    }

    /** {@code lockout-unlock}: How a locked account unlocks: after lockout-duration, through an emailed link, or whichever comes first. */
    public String lockoutUnlock() {
        return value(Settings.LOCKOUT_UNLOCK);
    }

    /** {@code lockout-attempts-within}: Failed sign-ins are counted over this window from the first; a successful sign-in resets the count. */
    public Duration lockoutAttemptsWithin() {
        return value(Settings.LOCKOUT_ATTEMPTS_WITHIN);
    }

    /** {@code lockout-duration-max}: the longest a lock lasts as locks in a row grow (progressive lockout). */
    public Duration lockoutDurationMax() {
        return value(Settings.LOCKOUT_DURATION_MAX);
    }

    /** {@code lockout-scope}: {@code account} or {@code account-and-address}: what failures are counted and locks kept per. */
    public String lockoutScope() {
        return value(Settings.LOCKOUT_SCOPE);
    }

    /** {@code rate-limits-enabled}: Apply the rate limits below; false turns them all off. */
    public boolean rateLimitsEnabled() {
        return value(Settings.RATE_LIMITS_ENABLED);
    }

    /** {@code rate-limit-login}: Sign-in attempts. Default 30/1m/ip. */
    public List<RateLimit> rateLimitLogin() {
        return value(Settings.RATE_LIMIT_LOGIN);
    }

    /** {@code rate-limit-login-failed}: Failed sign-ins (password or code) and re-authentications, keyed by the account; once exceeded, both are refused for the rest of the window. Default 10/1m/ip, 5/5m/key. */
    public List<RateLimit> rateLimitLoginFailed() {
        return value(Settings.RATE_LIMIT_LOGIN_FAILED);
    }

    /** {@code rate-limit-register}: Registrations. Default 20/1m/ip. */
    public List<RateLimit> rateLimitRegister() {
        return value(Settings.RATE_LIMIT_REGISTER);
    }

    /** {@code rate-limit-reset-password}: Password reset requests; the key is the email address given. Default 20/1m/ip, 5/1m/key. */
    public List<RateLimit> rateLimitResetPassword() {
        return value(Settings.RATE_LIMIT_RESET_PASSWORD);
    }

    /** {@code rate-limit-send-confirmation}: Requests for a new confirmation link; the key is the email address given. Default 20/1m/ip, 1/3m/key. */
    public List<RateLimit> rateLimitSendConfirmation() {
        return value(Settings.RATE_LIMIT_SEND_CONFIRMATION);
    }

    /** {@code rate-limit-login-code}: Requests for a sign-in code and link; the key is the email address given. Default 20/1m/ip, 3/1m/key. */
    public List<RateLimit> rateLimitLoginCode() {
        return value(Settings.RATE_LIMIT_LOGIN_CODE);
    }

    /** {@code rate-limit-recover-username}: Username recovery requests; the key is the email address given. Default 20/1m/ip, 5/1m/key. */
    public List<RateLimit> rateLimitRecoverUsername() {
        return value(Settings.RATE_LIMIT_RECOVER_USERNAME);
    }

    /** {@code rate-limit-change-email}: Email change requests; the key is the signed-in user. Default 10/1m/key. */
    public List<RateLimit> rateLimitChangeEmail() {
        return value(Settings.RATE_LIMIT_CHANGE_EMAIL);
    }

    /** {@code rate-limit-change-password}: Password changes, which check the current password; the key is the signed-in user. Default 5/1m/key. */
    public List<RateLimit> rateLimitChangePassword() {
        return value(Settings.RATE_LIMIT_CHANGE_PASSWORD);
    }

    /** {@code external-url}: Base URL users reach the application at, e.g. https://app.example.com: links in emails start with it. */
    public Optional<String> externalUrl() {
        return optional(Settings.EXTERNAL_URL);
    }

    /** {@code change-email-url}: Email change page. */
    public String changeEmailUrl() {
        return value(Settings.CHANGE_EMAIL_URL);
    }

    /** {@code change-email-confirm-url}: Endpoint of the link confirming a new email address. */
    public String changeEmailConfirmUrl() {
        return value(Settings.CHANGE_EMAIL_CONFIRM_URL);
    }

    /** {@code change-email-revert-url}: Endpoint of the link that undoes an email change, mailed to the old address. */
    public String changeEmailRevertUrl() {
        return value(Settings.CHANGE_EMAIL_REVERT_URL);
    }

    /** {@code sessions-url}: Page and JSON endpoint listing the user's sessions; POST {sessions-url}/end ends them. */
    public String sessionsUrl() {
        return value(Settings.SESSIONS_URL);
    }

    /** {@code change-username-url}: Username change page. */
    public String changeUsernameUrl() {
        return value(Settings.CHANGE_USERNAME_URL);
    }

    /** {@code username-recovery-url}: Username recovery page. */
    public String usernameRecoveryUrl() {
        return value(Settings.USERNAME_RECOVERY_URL);
    }

    /** {@code us-signin-url}: Passwordless sign-in page (request and enter a code). */
    public String usSigninUrl() {
        return value(Settings.US_SIGNIN_URL);
    }

    /** {@code us-verify-link-url}: Endpoint of emailed sign-in links. */
    public String usVerifyLinkUrl() {
        return value(Settings.US_VERIFY_LINK_URL);
    }

    /** {@code unlock-url}: Endpoint of emailed unlock links. */
    public String unlockUrl() {
        return value(Settings.UNLOCK_URL);
    }

    /** The settings that differ from their defaults, secrets shown as {@code <redacted>}. */
    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(", ", "GatehouseConfig[", "]");
        for (Setting<?> s : Settings.ALL) {
            Object v = values.get(s);
            if (v != null && !s.defaultValue().map(v::equals).orElse(false)) {
                joiner.add(s.name + "=" + s.formatValue(v));
            }
        }
        return joiner.toString();
    }

    /**
     * Assembles a {@link GatehouseConfig}; see the class documentation for the rules. Every method
     * returns this builder. Not thread-safe; meant for start-up code.
     */
    public static final class Builder {

        private final Map<Setting<?>, Object> values = new HashMap<>();

        private Builder() {
        }

        /**
         * Sets one setting from text, as a properties file or environment variable would.
         *
         * @param name  the kebab-case name, e.g. {@code token-max-age}
         * @param value its text form, e.g. {@code 15m}; blank unsets a setting without default
         * @throws InvalidConfigurationException if there is no such setting or the value does not fit
         */
        public Builder set(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Optional<Setting<?>> setting = Settings.byName(name);
            if (setting.isEmpty()) {
                throw new InvalidConfigurationException(List.of(unknown(name, name, Setting::toString)));
            }
            Map<Setting<?>, Optional<Object>> parsed = new HashMap<>();
            List<String> problems = new ArrayList<>();
            parse(setting.get(), name, value, parsed, problems);
            return apply(parsed, problems);
        }

        /**
         * Sets every setting named in {@code properties}. Keys are setting names, optionally
         * prefixed with {@code gatehouse.}; every key must name a setting (a file shared with other
         * components should be filtered first).
         *
         * @throws InvalidConfigurationException listing every unknown key and malformed value;
         *                                       nothing is set then
         */
        public Builder fromProperties(Properties properties) {
            return fromProperties(properties, "");
        }

        /**
         * Reads a properties file (UTF-8) and {@linkplain #fromProperties(Properties) sets} the
         * settings in it.
         *
         * @throws InvalidConfigurationException if the file cannot be read, or as
         *                                       {@link #fromProperties(Properties)}
         */
        public Builder fromPropertiesFile(Path file) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw new InvalidConfigurationException(
                        List.of(file + ": cannot read the properties file (" + describe(e) + ")"), e);
            }
            return fromProperties(properties, file + ": ");
        }

        private Builder fromProperties(Properties properties, String origin) {
            Map<Setting<?>, Optional<Object>> parsed = new HashMap<>();
            Map<Setting<?>, String> keys = new HashMap<>();
            List<String> problems = new ArrayList<>();
            for (String key : new TreeSet<>(properties.stringPropertyNames())) {
                String name = key.startsWith(PROPERTIES_PREFIX) ? key.substring(PROPERTIES_PREFIX.length()) : key;
                Optional<Setting<?>> setting = Settings.byName(name);
                if (setting.isEmpty()) {
                    problems.add(origin + unknown(key, name, Setting::toString));
                } else if (keys.containsKey(setting.get())) {
                    problems.add(origin + key + ": set twice, also as " + keys.get(setting.get()) + "; keep one");
                } else {
                    keys.put(setting.get(), key);
                    parse(setting.get(), origin + key, properties.getProperty(key), parsed, problems);
                }
            }
            return apply(parsed, problems);
        }

        /**
         * Sets a setting for every {@code GATEHOUSE_*} entry of {@code environment}
         * ({@code GATEHOUSE_TOKEN_MAX_AGE=15m}); other entries are ignored.
         *
         * @throws InvalidConfigurationException listing every {@code GATEHOUSE_*} variable that
         *                                       names no setting or has a malformed value; nothing
         *                                       is set then
         */
        public Builder fromEnvironment(Map<String, String> environment) {
            Map<Setting<?>, Optional<Object>> parsed = new HashMap<>();
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
                if (!e.getKey().startsWith(ENV_PREFIX)) {
                    continue;
                }
                Optional<Setting<?>> setting = Settings.byEnvName(e.getKey());
                if (setting.isEmpty()) {
                    problems.add(unknown(e.getKey(), e.getKey(), Setting::envName));
                } else {
                    parse(setting.get(), e.getKey(), e.getValue(), parsed, problems);
                }
            }
            return apply(parsed, problems);
        }

        /** {@link #fromEnvironment(Map)} with this process's environment. */
        public Builder fromEnvironment() {
            return fromEnvironment(System.getenv());
        }

        /**
         * The configuration: settings not set keep their defaults.
         *
         * @throws InvalidConfigurationException if {@code secret} is not set, or settings
         *                                       contradict each other (e.g. a minimum password
         *                                       length above the maximum); all problems together
         */
        public GatehouseConfig build() {
            Map<Setting<?>, Object> all = new HashMap<>();
            List<String> problems = new ArrayList<>();
            for (Setting<?> s : Settings.ALL) {
                Object v = values.containsKey(s) ? values.get(s) : s.defaultValue().orElse(null);
                if (v != null) {
                    all.put(s, v);
                } else if (s.required) {
                    problems.add(s.name + ": not set, and there is no default; set the environment variable "
                            + s.envName() + ", " + s.name + " in the properties file, or ." + s.methodName()
                            + "(...) in code, to at least 32 random bytes (" + Settings.GENERATE_SECRET + ")");
                }
            }
            problems.addAll(Settings.crossCheck(all::get));
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            return new GatehouseConfig(all);
        }

        // -------------------------------------------------------------- typed setters, registry order

        /** Sets {@code secret}: Signs sessions, cookies and tokens: at least 32 random bytes. Required; there is no default. */
        public Builder secret(String secret) {
            return put(Settings.SECRET, new Secret(Objects.requireNonNull(secret, "secret")));
        }

        /** Sets {@code secret-previous}: Earlier secrets, still accepted when verifying but never used to sign: key rotation. */
        public Builder secretPrevious(List<String> secretPrevious) {
            return put(Settings.SECRET_PREVIOUS, secretPrevious.stream().map(Secret::new).toList());
        }

        /** Sets {@code password-salt}: HMAC salt of password hashes imported from Flask-Security; not needed otherwise. */
        public Builder passwordSalt(String passwordSalt) {
            return put(Settings.PASSWORD_SALT, new Secret(Objects.requireNonNull(passwordSalt, "passwordSalt")));
        }

        /** Sets {@code password-hash}: Algorithm for new password hashes; existing hashes of the other algorithms still verify. */
        public Builder passwordHash(String passwordHash) {
            return put(Settings.PASSWORD_HASH, passwordHash);
        }

        /** Sets {@code password-length-min}: Fewest characters a new password may have. */
        public Builder passwordLengthMin(int passwordLengthMin) {
            return put(Settings.PASSWORD_LENGTH_MIN, passwordLengthMin);
        }

        /** Sets {@code password-length-max}: Most characters a new password may have; bounds the cost of hashing attacker input. */
        public Builder passwordLengthMax(int passwordLengthMax) {
            return put(Settings.PASSWORD_LENGTH_MAX, passwordLengthMax);
        }

        /** Sets {@code password-check-breached}: Refuse new passwords found in the Have I Been Pwned list; strict also refuses when it cannot be reached. */
        public Builder passwordCheckBreached(String passwordCheckBreached) {
            return put(Settings.PASSWORD_CHECK_BREACHED, passwordCheckBreached);
        }

        /** Sets {@code password-complexity-checker}: Estimate the strength of new passwords (zxcvbn) and refuse weak ones; Flask-Security's default is none. */
        public Builder passwordComplexityChecker(String passwordComplexityChecker) {
            return put(Settings.PASSWORD_COMPLEXITY_CHECKER, passwordComplexityChecker);
        }

        /** Sets {@code zxcvbn-minimum-score}: Lowest zxcvbn score (0-4) a new password may have; 3 means about 10^10 guesses. */
        public Builder zxcvbnMinimumScore(int zxcvbnMinimumScore) {
            return put(Settings.ZXCVBN_MINIMUM_SCORE, zxcvbnMinimumScore);
        }

        /** Sets {@code registerable}: Let visitors create their own accounts. */
        public Builder registerable(boolean registerable) {
            return put(Settings.REGISTERABLE, registerable);
        }

        /** Sets {@code confirmable}: New users confirm their email address through an emailed link. */
        public Builder confirmable(boolean confirmable) {
            return put(Settings.CONFIRMABLE, confirmable);
        }

        /** Sets {@code login-without-confirmation}: With confirmable, still let users sign in before they have confirmed. */
        public Builder loginWithoutConfirmation(boolean loginWithoutConfirmation) {
            return put(Settings.LOGIN_WITHOUT_CONFIRMATION, loginWithoutConfirmation);
        }

        /** Sets {@code recoverable}: Let users reset a forgotten password through an emailed link. */
        public Builder recoverable(boolean recoverable) {
            return put(Settings.RECOVERABLE, recoverable);
        }

        /** Sets {@code changeable}: Let signed-in users change their password. */
        public Builder changeable(boolean changeable) {
            return put(Settings.CHANGEABLE, changeable);
        }

        /** Sets {@code change-email}: Let signed-in users change their email address, confirmed through the new one. */
        public Builder changeEmail(boolean changeEmail) {
            return put(Settings.CHANGE_EMAIL, changeEmail);
        }

        /**
         * Sets {@code session-management}: Signed-in users see where they are signed in and end
         * those sessions (sessions-url), after re-authenticating.
         */
        public Builder sessionManagement(boolean sessionManagement) {
            return put(Settings.SESSION_MANAGEMENT, sessionManagement);
        }

        /** Sets {@code username-enable}: Users have a username and may sign in with it as well as with their email. */
        public Builder usernameEnable(boolean usernameEnable) {
            return put(Settings.USERNAME_ENABLE, usernameEnable);
        }

        /** Sets {@code username-recovery}: With username-enable, let users have their forgotten username emailed. */
        public Builder usernameRecovery(boolean usernameRecovery) {
            return put(Settings.USERNAME_RECOVERY, usernameRecovery);
        }

        /** Sets {@code unified-signin}: Passwordless sign-in: users may sign in with a one-time code or link sent by email. */
        public Builder unifiedSignin(boolean unifiedSignin) {
            return put(Settings.UNIFIED_SIGNIN, unifiedSignin);
        }

        /** Sets {@code two-factor}: Let users protect their account with a second factor. */
        public Builder twoFactor(boolean twoFactor) {
            return put(Settings.TWO_FACTOR, twoFactor);
        }

        /** Sets {@code webauthn}: Let users sign in with passkeys and security keys (WebAuthn). */
        public Builder webauthn(boolean webauthn) {
            return put(Settings.WEBAUTHN, webauthn);
        }

        /** Sets {@code trackable}: Record sign-in times, addresses and counts on the user. */
        public Builder trackable(boolean trackable) {
            return put(Settings.TRACKABLE, trackable);
        }

        /** Sets {@code token-max-age}: How long an API authentication token is accepted after it was issued (Flask-Security: forever). */
        public Builder tokenMaxAge(Duration tokenMaxAge) {
            return put(Settings.TOKEN_MAX_AGE, tokenMaxAge);
        }

        /** Sets {@code token-authentication-header}: Request header that carries an API authentication token. */
        public Builder tokenAuthenticationHeader(String tokenAuthenticationHeader) {
            return put(Settings.TOKEN_AUTHENTICATION_HEADER, tokenAuthenticationHeader);
        }

        /** Sets {@code token-authentication-key}: Query parameter or JSON field that carries an API authentication token. */
        public Builder tokenAuthenticationKey(String tokenAuthenticationKey) {
            return put(Settings.TOKEN_AUTHENTICATION_KEY, tokenAuthenticationKey);
        }

        /**
         * Sets {@code token-authentication-query}: When an API token is accepted in the query
         * string: {@code always}, {@code non-get} or {@code never}.
         */
        public Builder tokenAuthenticationQuery(String tokenAuthenticationQuery) {
            return put(Settings.TOKEN_AUTHENTICATION_QUERY, tokenAuthenticationQuery);
        }

        /** Sets {@code confirm-email-within}: How long an email confirmation link stays valid. */
        public Builder confirmEmailWithin(Duration confirmEmailWithin) {
            return put(Settings.CONFIRM_EMAIL_WITHIN, confirmEmailWithin);
        }

        /** Sets {@code reset-password-within}: How long a password reset link stays valid; at most 1h (Flask-Security allows a day). */
        public Builder resetPasswordWithin(Duration resetPasswordWithin) {
            return put(Settings.RESET_PASSWORD_WITHIN, resetPasswordWithin);
        }

        /** Sets {@code change-email-within}: How long the link confirming a new email address stays valid. */
        public Builder changeEmailWithin(Duration changeEmailWithin) {
            return put(Settings.CHANGE_EMAIL_WITHIN, changeEmailWithin);
        }

        /** Sets {@code change-email-revert-within}: How long the link in the notice to the old address can undo an email change (and sign everyone out). */
        public Builder changeEmailRevertWithin(Duration changeEmailRevertWithin) {
            return put(Settings.CHANGE_EMAIL_REVERT_WITHIN, changeEmailRevertWithin);
        }

        /** Sets {@code default-remember-me}: Remember users across browser restarts when the sign-in form does not say. */
        public Builder defaultRememberMe(boolean defaultRememberMe) {
            return put(Settings.DEFAULT_REMEMBER_ME, defaultRememberMe);
        }

        /** Sets {@code remember-cookie-duration}: How long a remember-me cookie keeps a user signed in. */
        public Builder rememberCookieDuration(Duration rememberCookieDuration) {
            return put(Settings.REMEMBER_COOKIE_DURATION, rememberCookieDuration);
        }

        /** Sets {@code session-idle-timeout}: A session without requests for this long ends. */
        public Builder sessionIdleTimeout(Duration sessionIdleTimeout) {
            return put(Settings.SESSION_IDLE_TIMEOUT, sessionIdleTimeout);
        }

        /** Sets {@code session-absolute-timeout}: A session ends this long after sign-in, however active. */
        public Builder sessionAbsoluteTimeout(Duration sessionAbsoluteTimeout) {
            return put(Settings.SESSION_ABSOLUTE_TIMEOUT, sessionAbsoluteTimeout);
        }

        /** Sets {@code cookie-secure}: Send cookies over HTTPS only; turn off only for local development over plain HTTP. */
        public Builder cookieSecure(boolean cookieSecure) {
            return put(Settings.COOKIE_SECURE, cookieSecure);
        }

        /** Sets {@code logout-methods}: HTTP methods the logout URL answers; empty disables it. GET lets other sites log users out. */
        public Builder logoutMethods(List<String> logoutMethods) {
            return put(Settings.LOGOUT_METHODS, logoutMethods);
        }

        /** Sets {@code csrf-protect-mechanisms}: Authentication mechanisms whose requests must carry a CSRF token. */
        public Builder csrfProtectMechanisms(List<String> csrfProtectMechanisms) {
            return put(Settings.CSRF_PROTECT_MECHANISMS, csrfProtectMechanisms);
        }

        /** Sets {@code return-generic-responses}: Answer sign-in, registration and recovery alike whether or not an account exists. */
        public Builder returnGenericResponses(boolean returnGenericResponses) {
            return put(Settings.RETURN_GENERIC_RESPONSES, returnGenericResponses);
        }

        /** Sets {@code api-enabled-methods}: Mechanisms tried on routes that require authentication without naming mechanisms. */
        public Builder apiEnabledMethods(List<String> apiEnabledMethods) {
            return put(Settings.API_ENABLED_METHODS, apiEnabledMethods);
        }

        /** Sets {@code http-auth-realm}: Realm named in the WWW-Authenticate header of HTTP Basic challenges. */
        public Builder httpAuthRealm(String httpAuthRealm) {
            return put(Settings.HTTP_AUTH_REALM, httpAuthRealm);
        }

        /** Sets {@code freshness}: How recently users must have proved who they are for sensitive actions such as changing the password or email (Flask-Security's default is 24h). */
        public Builder freshness(Duration freshness) {
            return put(Settings.FRESHNESS, freshness);
        }

        /** Sets {@code csrf-ignore-unauth-endpoints}: Let anonymous clients sign in without a CSRF token (API clients); cross-site browser requests are still refused. */
        public Builder csrfIgnoreUnauthEndpoints(boolean csrfIgnoreUnauthEndpoints) {
            return put(Settings.CSRF_IGNORE_UNAUTH_ENDPOINTS, csrfIgnoreUnauthEndpoints);
        }

        /** Sets {@code csrf-cookie-name}: Also send the CSRF token in a cookie script can read (XSRF-TOKEN for Axios and Angular); unset: none. */
        public Builder csrfCookieName(String csrfCookieName) {
            return put(Settings.CSRF_COOKIE_NAME, csrfCookieName);
        }

        /** Sets {@code redirect-allowed-hosts}: Other hosts a next parameter may redirect to; by default only paths on this site are allowed. */
        public Builder redirectAllowedHosts(List<String> redirectAllowedHosts) {
            return put(Settings.REDIRECT_ALLOWED_HOSTS, redirectAllowedHosts);
        }

        /** Sets {@code refresh-token-idle-timeout}: A refresh token not exchanged for this long expires, and with it its whole family. */
        public Builder refreshTokenIdleTimeout(Duration refreshTokenIdleTimeout) {
            return put(Settings.REFRESH_TOKEN_IDLE_TIMEOUT, refreshTokenIdleTimeout);
        }

        /** Sets {@code refresh-token-max-age}: A family of refresh tokens ends this long after the sign-in that started it. */
        public Builder refreshTokenMaxAge(Duration refreshTokenMaxAge) {
            return put(Settings.REFRESH_TOKEN_MAX_AGE, refreshTokenMaxAge);
        }

        /** Sets {@code verify-url}: Re-authentication page and endpoint, which refreshes freshness. */
        public Builder verifyUrl(String verifyUrl) {
            return put(Settings.VERIFY_URL, verifyUrl);
        }

        /** Sets {@code refresh-token-url}: Endpoint that exchanges a refresh token for a new API token. */
        public Builder refreshTokenUrl(String refreshTokenUrl) {
            return put(Settings.REFRESH_TOKEN_URL, refreshTokenUrl);
        }

        /** Sets {@code trusted-proxy-count}: Reverse proxies in front of the application whose X-Forwarded-For entries are trusted. */
        public Builder trustedProxyCount(int trustedProxyCount) {
            return put(Settings.TRUSTED_PROXY_COUNT, trustedProxyCount);
        }

        /** Sets {@code hsts-max-age}: Strict-Transport-Security max-age sent on HTTPS responses when cookie-secure is on; 0 sends none. */
        public Builder hstsMaxAge(Duration hstsMaxAge) {
            return put(Settings.HSTS_MAX_AGE, hstsMaxAge);
        }

        /** Sets {@code hsts-include-subdomains}: Extend Strict-Transport-Security to every subdomain of the site's host. */
        public Builder hstsIncludeSubdomains(boolean hstsIncludeSubdomains) {
            return put(Settings.HSTS_INCLUDE_SUBDOMAINS, hstsIncludeSubdomains);
        }

        /** Sets {@code lockout-enabled}: Lock an account for a while after repeated failed sign-ins. */
        public Builder lockoutEnabled(boolean lockoutEnabled) {
            return put(Settings.LOCKOUT_ENABLED, lockoutEnabled);
        }

        /** Sets {@code lockout-max-attempts}: Failed password checks in a row, at sign-in or re-authentication, that lock the account. */
        public Builder lockoutMaxAttempts(int lockoutMaxAttempts) {
            return put(Settings.LOCKOUT_MAX_ATTEMPTS, lockoutMaxAttempts);
        }

        /** Sets {@code lockout-duration}: How long a locked account stays locked. */
        public Builder lockoutDuration(Duration lockoutDuration) {
            return put(Settings.LOCKOUT_DURATION, lockoutDuration);
        }

        /** Sets {@code url-prefix}: Prefix of every Gatehouse URL, e.g. /auth; none by default. */
        public Builder urlPrefix(String urlPrefix) {
            return put(Settings.URL_PREFIX, urlPrefix);
        }

        /** Sets {@code login-url}: Sign-in page and endpoint. */
        public Builder loginUrl(String loginUrl) {
            return put(Settings.LOGIN_URL, loginUrl);
        }

        /** Sets {@code logout-url}: Sign-out endpoint. */
        public Builder logoutUrl(String logoutUrl) {
            return put(Settings.LOGOUT_URL, logoutUrl);
        }

        /** Sets {@code register-url}: Registration page and endpoint. */
        public Builder registerUrl(String registerUrl) {
            return put(Settings.REGISTER_URL, registerUrl);
        }

        /** Sets {@code reset-url}: Forgotten-password and password-reset pages. */
        public Builder resetUrl(String resetUrl) {
            return put(Settings.RESET_URL, resetUrl);
        }

        /** Sets {@code change-url}: Password change page. */
        public Builder changeUrl(String changeUrl) {
            return put(Settings.CHANGE_URL, changeUrl);
        }

        /** Sets {@code confirm-url}: Email confirmation endpoint. */
        public Builder confirmUrl(String confirmUrl) {
            return put(Settings.CONFIRM_URL, confirmUrl);
        }

        /** Sets {@code post-login-view}: Where users land after signing in, unless a safe next parameter says otherwise. */
        public Builder postLoginView(String postLoginView) {
            return put(Settings.POST_LOGIN_VIEW, postLoginView);
        }

        /** Sets {@code post-logout-view}: Where users land after signing out. */
        public Builder postLogoutView(String postLogoutView) {
            return put(Settings.POST_LOGOUT_VIEW, postLogoutView);
        }

        /** Sets {@code unauthorized-view}: Where users without the required role or permission are sent; unset answers 403. */
        public Builder unauthorizedView(String unauthorizedView) {
            return put(Settings.UNAUTHORIZED_VIEW, unauthorizedView);
        }

        /** Sets {@code default-locale}: Language of pages and messages when the browser's Accept-Language names none of the supported ones. */
        public Builder defaultLocale(String defaultLocale) {
            return put(Settings.DEFAULT_LOCALE, defaultLocale);
        }

        /** Sets {@code supported-locales}: Languages offered to browsers through Accept-Language; Gatehouse ships texts in en, de and fr. */
        public Builder supportedLocales(List<String> supportedLocales) {
            return put(Settings.SUPPORTED_LOCALES, supportedLocales);
        }

        /** Sets {@code messages-file}: Properties file of texts replacing Gatehouse's, keyed like SECURITY_MSG_* (INVALID_PASSWORD=...); messages_de.properties beside it for German. */
        public Builder messagesFile(String messagesFile) {
            return put(Settings.MESSAGES_FILE, messagesFile);
        }

        /** Sets {@code templates-folder}: Folder of page templates (e.g. gatehouse/login.html) that replace the application's and Gatehouse's. */
        public Builder templatesFolder(String templatesFolder) {
            return put(Settings.TEMPLATES_FOLDER, templatesFolder);
        }

        /** Sets {@code email-sender}: From address of the emails Gatehouse sends. */
        public Builder emailSender(String emailSender) {
            return put(Settings.EMAIL_SENDER, emailSender);
        }

        /** Sets {@code mail-backend}: How the web layer delivers queued email: smtp (the mail-* settings), files (in mail-folder, for development) or none (another process does). */
        public Builder mailBackend(String mailBackend) {
            return put(Settings.MAIL_BACKEND, mailBackend);
        }

        /** Sets {@code mail-folder}: Folder the files mail backend writes messages to; never for production, as the files hold reset links. */
        public Builder mailFolder(String mailFolder) {
            return put(Settings.MAIL_FOLDER, mailFolder);
        }

        /** Sets {@code mail-server}: SMTP server host. */
        public Builder mailServer(String mailServer) {
            return put(Settings.MAIL_SERVER, mailServer);
        }

        /** Sets {@code mail-port}: SMTP server port, typically 25, 587 (STARTTLS) or 465 (TLS). */
        public Builder mailPort(int mailPort) {
            return put(Settings.MAIL_PORT, mailPort);
        }

        /** Sets {@code mail-use-tls}: Upgrade the SMTP connection with STARTTLS. */
        public Builder mailUseTls(boolean mailUseTls) {
            return put(Settings.MAIL_USE_TLS, mailUseTls);
        }

        /** Sets {@code mail-use-ssl}: Connect to the SMTP server over TLS from the start. */
        public Builder mailUseSsl(boolean mailUseSsl) {
            return put(Settings.MAIL_USE_SSL, mailUseSsl);
        }

        /** Sets {@code mail-username}: SMTP user name; unset means no SMTP authentication. */
        public Builder mailUsername(String mailUsername) {
            return put(Settings.MAIL_USERNAME, mailUsername);
        }

        /** Sets {@code mail-password}: SMTP password. */
        public Builder mailPassword(String mailPassword) {
            return put(Settings.MAIL_PASSWORD, new Secret(Objects.requireNonNull(mailPassword, "mailPassword")));
        }

        /** Sets {@code db-url}: JDBC URL of the database of the JDBC stores; never printed, as it may hold credentials. */
        public Builder dbUrl(String dbUrl) {
            return put(Settings.DB_URL, dbUrl);
        }

        /** Sets {@code auto-login-after-confirm}: Sign users in when they follow their confirmation link. */
        public Builder autoLoginAfterConfirm(boolean autoLoginAfterConfirm) {
            return put(Settings.AUTO_LOGIN_AFTER_CONFIRM, autoLoginAfterConfirm);
        }

        /** Sets {@code send-register-email}: Send a welcome email on registration (with confirmable it carries the confirmation link either way). */
        public Builder sendRegisterEmail(boolean sendRegisterEmail) {
            return put(Settings.SEND_REGISTER_EMAIL, sendRegisterEmail);
        }

        /** Sets {@code auto-login-after-reset}: Sign users in after they reset their password (never past a second factor they have). */
        public Builder autoLoginAfterReset(boolean autoLoginAfterReset) {
            return put(Settings.AUTO_LOGIN_AFTER_RESET, autoLoginAfterReset);
        }

        /** Sets {@code email-link-signin}: Emailed sign-in links: confirm shows a page whose button signs in; same-browser signs the browser that asked for a passwordless link in at once. */
        public Builder emailLinkSignin(String emailLinkSignin) {
            return put(Settings.EMAIL_LINK_SIGNIN, emailLinkSignin);
        }

        /** Sets {@code username-required}: With username-enable, registration requires a username. */
        public Builder usernameRequired(boolean usernameRequired) {
            return put(Settings.USERNAME_REQUIRED, usernameRequired);
        }

        /** Sets {@code username-min-length}: Fewest characters a new username may have. */
        public Builder usernameMinLength(int usernameMinLength) {
            return put(Settings.USERNAME_MIN_LENGTH, usernameMinLength);
        }

        /** Sets {@code username-max-length}: Most characters a new username may have. */
        public Builder usernameMaxLength(int usernameMaxLength) {
            return put(Settings.USERNAME_MAX_LENGTH, usernameMaxLength);
        }

        /** Sets {@code login-code-within}: How long an emailed sign-in code stays valid (at most 10m); it also allows 3 attempts only. */
        public Builder loginCodeWithin(Duration loginCodeWithin) {
            return put(Settings.LOGIN_CODE_WITHIN, loginCodeWithin);
        }

        /** Sets {@code login-within}: How long an emailed sign-in link stays valid; it works once. */
        public Builder loginWithin(Duration loginWithin) {
            return put(Settings.LOGIN_WITHIN, loginWithin);
        }

        /** Sets {@code email-unknown-accounts}: With generic responses, mail addresses without an account that ask for a reset, code or link, so both cases do the same work. */
        public Builder emailUnknownAccounts(boolean emailUnknownAccounts) {
            return put(Settings.EMAIL_UNKNOWN_ACCOUNTS, emailUnknownAccounts);
        }

        /** Sets {@code lockout-unlock}: How a locked account unlocks: after lockout-duration, through an emailed link, or whichever comes first. */
        public Builder lockoutUnlock(String lockoutUnlock) {
            return put(Settings.LOCKOUT_UNLOCK, lockoutUnlock);
        }

        /** Sets {@code lockout-attempts-within}: Failed sign-ins are counted over this window from the first; a successful sign-in resets the count. */
        public Builder lockoutAttemptsWithin(Duration lockoutAttemptsWithin) {
            return put(Settings.LOCKOUT_ATTEMPTS_WITHIN, lockoutAttemptsWithin);
        }

        /** Sets {@code lockout-duration-max}: the longest a lock lasts as locks in a row grow (progressive lockout). */
        public Builder lockoutDurationMax(Duration lockoutDurationMax) {
            return put(Settings.LOCKOUT_DURATION_MAX, lockoutDurationMax);
        }

        /** Sets {@code lockout-scope}: {@code account} or {@code account-and-address}. */
        public Builder lockoutScope(String lockoutScope) {
            return put(Settings.LOCKOUT_SCOPE, lockoutScope);
        }

        /** Sets {@code rate-limits-enabled}: Apply the rate limits below; false turns them all off. */
        public Builder rateLimitsEnabled(boolean rateLimitsEnabled) {
            return put(Settings.RATE_LIMITS_ENABLED, rateLimitsEnabled);
        }

        /** Sets {@code rate-limit-login}: Sign-in attempts. Default 30/1m/ip. */
        public Builder rateLimitLogin(List<RateLimit> rateLimitLogin) {
            return put(Settings.RATE_LIMIT_LOGIN, rateLimitLogin);
        }

        /** Sets {@code rate-limit-login-failed}: Failed sign-ins (password or code) and re-authentications, keyed by the account; once exceeded, both are refused for the rest of the window. Default 10/1m/ip, 5/5m/key. */
        public Builder rateLimitLoginFailed(List<RateLimit> rateLimitLoginFailed) {
            return put(Settings.RATE_LIMIT_LOGIN_FAILED, rateLimitLoginFailed);
        }

        /** Sets {@code rate-limit-register}: Registrations. Default 20/1m/ip. */
        public Builder rateLimitRegister(List<RateLimit> rateLimitRegister) {
            return put(Settings.RATE_LIMIT_REGISTER, rateLimitRegister);
        }

        /** Sets {@code rate-limit-reset-password}: Password reset requests; the key is the email address given. Default 20/1m/ip, 5/1m/key. */
        public Builder rateLimitResetPassword(List<RateLimit> rateLimitResetPassword) {
            return put(Settings.RATE_LIMIT_RESET_PASSWORD, rateLimitResetPassword);
        }

        /** Sets {@code rate-limit-send-confirmation}: Requests for a new confirmation link; the key is the email address given. Default 20/1m/ip, 1/3m/key. */
        public Builder rateLimitSendConfirmation(List<RateLimit> rateLimitSendConfirmation) {
            return put(Settings.RATE_LIMIT_SEND_CONFIRMATION, rateLimitSendConfirmation);
        }

        /** Sets {@code rate-limit-login-code}: Requests for a sign-in code and link; the key is the email address given. Default 20/1m/ip, 3/1m/key. */
        public Builder rateLimitLoginCode(List<RateLimit> rateLimitLoginCode) {
            return put(Settings.RATE_LIMIT_LOGIN_CODE, rateLimitLoginCode);
        }

        /** Sets {@code rate-limit-recover-username}: Username recovery requests; the key is the email address given. Default 20/1m/ip, 5/1m/key. */
        public Builder rateLimitRecoverUsername(List<RateLimit> rateLimitRecoverUsername) {
            return put(Settings.RATE_LIMIT_RECOVER_USERNAME, rateLimitRecoverUsername);
        }

        /** Sets {@code rate-limit-change-email}: Email change requests; the key is the signed-in user. Default 10/1m/key. */
        public Builder rateLimitChangeEmail(List<RateLimit> rateLimitChangeEmail) {
            return put(Settings.RATE_LIMIT_CHANGE_EMAIL, rateLimitChangeEmail);
        }

        /** Sets {@code rate-limit-change-password}: Password changes, which check the current password; the key is the signed-in user. Default 5/1m/key. */
        public Builder rateLimitChangePassword(List<RateLimit> rateLimitChangePassword) {
            return put(Settings.RATE_LIMIT_CHANGE_PASSWORD, rateLimitChangePassword);
        }

        /** Sets {@code external-url}: Base URL users reach the application at, e.g. https://app.example.com: links in emails start with it. */
        public Builder externalUrl(String externalUrl) {
            return put(Settings.EXTERNAL_URL, externalUrl);
        }

        /** Sets {@code change-email-url}: Email change page. */
        public Builder changeEmailUrl(String changeEmailUrl) {
            return put(Settings.CHANGE_EMAIL_URL, changeEmailUrl);
        }

        /** Sets {@code change-email-confirm-url}: Endpoint of the link confirming a new email address. */
        public Builder changeEmailConfirmUrl(String changeEmailConfirmUrl) {
            return put(Settings.CHANGE_EMAIL_CONFIRM_URL, changeEmailConfirmUrl);
        }

        /** Sets {@code change-email-revert-url}: Endpoint of the link that undoes an email change, mailed to the old address. */
        public Builder changeEmailRevertUrl(String changeEmailRevertUrl) {
            return put(Settings.CHANGE_EMAIL_REVERT_URL, changeEmailRevertUrl);
        }

        /** Sets {@code sessions-url}: Page and JSON endpoint listing the user's sessions; POST {sessions-url}/end ends them. */
        public Builder sessionsUrl(String sessionsUrl) {
            return put(Settings.SESSIONS_URL, sessionsUrl);
        }

        /** Sets {@code change-username-url}: Username change page. */
        public Builder changeUsernameUrl(String changeUsernameUrl) {
            return put(Settings.CHANGE_USERNAME_URL, changeUsernameUrl);
        }

        /** Sets {@code username-recovery-url}: Username recovery page. */
        public Builder usernameRecoveryUrl(String usernameRecoveryUrl) {
            return put(Settings.USERNAME_RECOVERY_URL, usernameRecoveryUrl);
        }

        /** Sets {@code us-signin-url}: Passwordless sign-in page (request and enter a code). */
        public Builder usSigninUrl(String usSigninUrl) {
            return put(Settings.US_SIGNIN_URL, usSigninUrl);
        }

        /** Sets {@code us-verify-link-url}: Endpoint of emailed sign-in links. */
        public Builder usVerifyLinkUrl(String usVerifyLinkUrl) {
            return put(Settings.US_VERIFY_LINK_URL, usVerifyLinkUrl);
        }

        /** Sets {@code unlock-url}: Endpoint of emailed unlock links. */
        public Builder unlockUrl(String unlockUrl) {
            return put(Settings.UNLOCK_URL, unlockUrl);
        }

        // -------------------------------------------------------------- internals

        private <T> Builder put(Setting<T> setting, T value) {
            Objects.requireNonNull(value, setting.name);
            try {
                values.put(setting, setting.type.normalize(value));
            } catch (BadValue e) {
                throw new InvalidConfigurationException(List.of(problem(setting.name, setting, setting.type.format(value), e)));
            }
            return this;
        }

        private Builder apply(Map<Setting<?>, Optional<Object>> parsed, List<String> problems) {
            // All or nothing: a source with any problem changes nothing.
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            parsed.forEach((setting, value) -> {
                if (value.isPresent()) {
                    values.put(setting, value.get());
                } else {
                    values.remove(setting);
                }
            });
            return this;
        }

        private static void parse(Setting<?> setting, String source, String raw,
                Map<Setting<?>, Optional<Object>> parsed, List<String> problems) {
            String text = raw.strip();
            if (text.isEmpty() && setting.optional()) {
                parsed.put(setting, Optional.empty());
                return;
            }
            try {
                parsed.put(setting, Optional.of(setting.type.parse(text)));
            } catch (BadValue e) {
                problems.add(problem(source, setting, text, e));
            }
        }

        /** {@code source: "value" problem}, or {@code source: the value problem} for secrets. */
        private static String problem(String source, Setting<?> setting, String shown, BadValue e) {
            String subject = setting.type.redacted() ? "the value" : "\"" + ValueType.quote(shown) + "\"";
            return source + ": " + subject + " " + e.getMessage();
        }

        /** The value is not shown: a misspelt secret variable must not end up in a log. */
        private static String unknown(String shown, String name, Function<Setting<?>, String> naming) {
            return ValueType.quote(shown) + ": no such setting" + Settings.suggestion(name, naming) + SEE_DOCS;
        }

        private static String describe(Exception e) {
            if (e instanceof NoSuchFileException) {
                return "no such file";
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied";
            }
            return e.getClass().getSimpleName();
        }
    }
}
