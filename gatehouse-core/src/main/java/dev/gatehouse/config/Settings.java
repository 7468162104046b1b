package dev.gatehouse.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Gatehouse's settings: the typed keys of {@link GatehouseConfig}, one constant per setting and
 * the only place each is declared. Read a setting with {@code config.get(Settings.LOGIN_URL)} and
 * set one with {@code builder.set(Settings.REGISTERABLE, true)}; properties files, environment
 * variables, validation messages and {@code docs/configuration.md} all derive from these
 * constants, whose descriptions are the documentation of each setting.
 *
 * <p>Names mirror Flask-Security's {@code SECURITY_*} settings with the prefix dropped and
 * written in kebab-case; defaults follow Flask-Security 5.x unless a safer one is noted.
 * Settings of other modules are contributed through {@link SettingGroup}.
 */
public final class Settings {

    /** Groups Gatehouse's own settings in the documentation, in this order. */
    private enum Section {
        SECRETS("Secrets"),
        PASSWORDS("Passwords"),
        FEATURES("Features"),
        TOKENS("Tokens and emailed links"),
        SESSIONS("Sessions, cookies and requests"),
        LOCKOUT("Account lockout"),
        RATE_LIMITS("Rate limits"),
        URLS("URLs and views"),
        PAGES("Pages, texts and languages"),
        MAIL("Email"),
        STORAGE("Storage"),
        DEVELOPMENT("Local development");

        final String title;
        final List<SettingKey<?>> settings = new ArrayList<>();

        Section(String title) {
            this.title = title;
        }
    }

    static final String GENERATE_SECRET = "generate one with: openssl rand -base64 48";

    // ------------------------------------------------------------------ value types

    private static final ValueType<Boolean> BOOLEAN = ValueType.bool();
    private static final ValueType<String> URL_PATH = ValueType.urlPath();
    private static final ValueType<String> PATH_PREFIX = ValueType.text("URL path prefix",
            Pattern.compile("(/[A-Za-z0-9\\-._~%]+)+"),
            "a path prefix; use e.g. /auth (leading /, no trailing /)", false);
    private static final ValueType<String> HEADER_NAME = ValueType.text("HTTP header name",
            Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]{1,64}"),
            "an HTTP header name; use letters, digits and -", false);
    private static final ValueType<String> PARAMETER_NAME = ValueType.text("parameter name",
            Pattern.compile("[A-Za-z0-9_.\\-]{1,64}"),
            "a parameter name; use letters, digits, _, . and -", false);
    /** Which names exist is known only when the web layer starts, with its registered mechanisms: it checks them. */
    private static final ValueType<String> MECHANISM_NAME = ValueType.text("mechanism name (session, token, basic or one a module adds)",
            Pattern.compile("[A-Za-z][A-Za-z0-9\\-]{0,31}"),
            "a mechanism name; use letters, digits and -, e.g. session, token or basic", false);
    private static final ValueType<String> HOST = ValueType.text("host name",
            Pattern.compile("[A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]"),
            "a host name; use e.g. smtp.example.com", false);
    private static final ValueType<String> USER_NAME = ValueType.text("text",
            Pattern.compile("[^\\p{Cntrl}]{1,256}"),
            "a user name; use 1-256 characters without control characters", false);
    private static final ValueType<String> JDBC_URL = ValueType.text("JDBC URL",
            Pattern.compile("jdbc:[a-z0-9]+:\\S+"),
            "a JDBC URL; use e.g. jdbc:postgresql://db.example.com/app", true);

    private static Duration minutes(long n) {
        return Duration.ofMinutes(n);
    }

    private static Duration days(long n) {
        return Duration.ofDays(n);
    }

    private static Setting<List<RateLimit>> rateLimit(String action, String defaultRules, String description) {
        return define(Section.RATE_LIMITS, "rate-limit-" + action, ValueType.rateLimits(), RateLimit.parseList(defaultRules),
                List.of(), description);
    }

    // ------------------------------------------------------------------ secrets

    public static final Setting<Secret> SECRET = require(Section.SECRETS, "secret",
            ValueType.secret(32, GENERATE_SECRET), List.of("SECRET_KEY"),
            "Signs sessions, cookies and tokens: at least 32 random bytes. Required; there is no default.");
    public static final Setting<List<Secret>> SECRET_PREVIOUS = define(Section.SECRETS, "secret-previous",
            ValueType.listOf(ValueType.secret(32, GENERATE_SECRET)), List.of(), List.of("SECRET_KEY_FALLBACKS"),
            "Earlier secrets, still accepted when verifying but never used to sign: key rotation.");
    public static final OptionalSetting<Secret> PASSWORD_SALT = optional(Section.SECRETS, "password-salt",
            ValueType.secret(1, "set the salt of the Flask-Security application the hashes come from"),
            List.of("SECURITY_PASSWORD_SALT"),
            "HMAC salt of password hashes imported from Flask-Security; not needed otherwise.");

    // ------------------------------------------------------------------ passwords

    public static final Setting<PasswordHashAlgorithm> PASSWORD_HASH = define(Section.PASSWORDS, "password-hash",
            ValueType.choice(PasswordHashAlgorithm.class), PasswordHashAlgorithm.ARGON2ID,
            List.of("SECURITY_PASSWORD_HASH"),
            "Algorithm for new password hashes; existing hashes of the other algorithms still verify.");
    public static final Setting<Integer> PASSWORD_LENGTH_MIN = define(Section.PASSWORDS, "password-length-min",
            ValueType.integer(1, 1024), 8, List.of("SECURITY_PASSWORD_LENGTH_MIN"),
            "Fewest characters a new password may have.");
    public static final Setting<Integer> PASSWORD_LENGTH_MAX = define(Section.PASSWORDS, "password-length-max",
            ValueType.integer(8, 4096), 128, List.of(),
            "Most characters a new password may have; bounds the cost of hashing attacker input.");
    public static final OptionalSetting<Integer> PASSWORD_HASH_CONCURRENCY = optional(Section.PASSWORDS, "password-hash-concurrency",
            ValueType.integer(1, 1024), List.of(),
            "Most password hashes (and verifications) computed at once; unset means one per available processor."
                    + " More than the cores only makes every sign-in slower.");
    public static final Setting<Duration> PASSWORD_HASH_QUEUE_TIMEOUT = define(Section.PASSWORDS, "password-hash-queue-timeout",
            ValueType.duration(Duration.ZERO, Duration.ofSeconds(30)), Duration.ofMillis(500), List.of(),
            "Longest a sign-in, registration or password change waits for a free hashing slot;"
                    + " then it is refused with 503 and Retry-After instead of piling up.");
    public static final Setting<BreachCheckMode> PASSWORD_CHECK_BREACHED = define(Section.PASSWORDS, "password-check-breached",
            ValueType.choice(BreachCheckMode.class), BreachCheckMode.OFF, List.of("SECURITY_PASSWORD_CHECK_BREACHED"),
            "Refuse new passwords found in the Have I Been Pwned list; strict also refuses when it cannot be reached.");
    public static final Setting<PasswordComplexityChecker> PASSWORD_COMPLEXITY_CHECKER = define(Section.PASSWORDS, "password-complexity-checker",
            ValueType.choice(PasswordComplexityChecker.class), PasswordComplexityChecker.ZXCVBN, List.of("SECURITY_PASSWORD_COMPLEXITY_CHECKER"),
            "Estimate the strength of new passwords (zxcvbn) and refuse weak ones; Flask-Security's default is none.");
    public static final Setting<Integer> ZXCVBN_MINIMUM_SCORE = define(Section.PASSWORDS, "zxcvbn-minimum-score",
            ValueType.integer(0, 4), 3, List.of("SECURITY_ZXCVBN_MINIMUM_SCORE"),
            "Lowest zxcvbn score (0-4) a new password may have; 3 means about 10^10 guesses.");

    // ------------------------------------------------------------------ features

    public static final Setting<Boolean> REGISTERABLE = define(Section.FEATURES, "registerable", BOOLEAN, false,
            List.of("SECURITY_REGISTERABLE"), "Let visitors create their own accounts.");
    public static final Setting<Boolean> CONFIRMABLE = define(Section.FEATURES, "confirmable", BOOLEAN, false,
            List.of("SECURITY_CONFIRMABLE"),
            "New users confirm their email address through an emailed link; needs external-url, as the link must be absolute.");
    public static final Setting<Boolean> LOGIN_WITHOUT_CONFIRMATION = define(Section.FEATURES, "login-without-confirmation",
            BOOLEAN, false, List.of("SECURITY_LOGIN_WITHOUT_CONFIRMATION"),
            "With confirmable, still let users sign in before they have confirmed.");
    public static final Setting<Boolean> AUTO_LOGIN_AFTER_CONFIRM = define(Section.FEATURES, "auto-login-after-confirm",
            BOOLEAN, false, List.of("SECURITY_AUTO_LOGIN_AFTER_CONFIRM"),
            "Sign users in when they follow their confirmation link.");
    public static final Setting<Boolean> SEND_REGISTER_EMAIL = define(Section.FEATURES, "send-register-email", BOOLEAN, true,
            List.of("SECURITY_SEND_REGISTER_EMAIL"),
            "Send a welcome email on registration (with confirmable it carries the confirmation link either way).");
    public static final Setting<Boolean> RECOVERABLE = define(Section.FEATURES, "recoverable", BOOLEAN, false,
            List.of("SECURITY_RECOVERABLE"),
            "Let users reset a forgotten password through an emailed link; needs external-url, as the link must be absolute.");
    public static final Setting<Boolean> AUTO_LOGIN_AFTER_RESET = define(Section.FEATURES, "auto-login-after-reset", BOOLEAN,
            false, List.of("SECURITY_AUTO_LOGIN_AFTER_RESET"),
            "Sign users in after they reset their password (never past a second factor they have).");
    public static final Setting<EmailLinkSignin> EMAIL_LINK_SIGNIN = define(Section.FEATURES, "email-link-signin",
            ValueType.choice(EmailLinkSignin.class), EmailLinkSignin.CONFIRM, List.of(),
            "Emailed sign-in links: confirm shows a page whose button signs in; same-browser signs the browser that asked for a passwordless link in at once.");
    public static final Setting<Boolean> CHANGEABLE = define(Section.FEATURES, "changeable", BOOLEAN, false,
            List.of("SECURITY_CHANGEABLE"), "Let signed-in users change their password.");
    public static final Setting<Boolean> CHANGE_EMAIL = define(Section.FEATURES, "change-email", BOOLEAN, false,
            List.of("SECURITY_CHANGE_EMAIL"),
            "Let signed-in users change their email address, confirmed through the new one; needs external-url (emailed links).");
    public static final Setting<Boolean> SESSION_MANAGEMENT = define(Section.FEATURES, "session-management", BOOLEAN, true,
            List.of(), "Signed-in users see where they are signed in and end those sessions (sessions-url), after re-authenticating.");
    public static final Setting<Boolean> USERNAME_ENABLE = define(Section.FEATURES, "username-enable", BOOLEAN, false,
            List.of("SECURITY_USERNAME_ENABLE"), "Users have a username and may sign in with it as well as with their email.");
    public static final Setting<Boolean> USERNAME_RECOVERY = define(Section.FEATURES, "username-recovery", BOOLEAN, false,
            List.of("SECURITY_USERNAME_RECOVERY"), "With username-enable, let users have their forgotten username emailed.");
    public static final Setting<Boolean> USERNAME_REQUIRED = define(Section.FEATURES, "username-required", BOOLEAN, false,
            List.of("SECURITY_USERNAME_REQUIRED"), "Registration requires a username; needs username-enable.");
    public static final Setting<Integer> USERNAME_MIN_LENGTH = define(Section.FEATURES, "username-min-length",
            ValueType.integer(1, 64), 4, List.of("SECURITY_USERNAME_MIN_LENGTH"), "Fewest characters a new username may have.");
    public static final Setting<Integer> USERNAME_MAX_LENGTH = define(Section.FEATURES, "username-max-length",
            ValueType.integer(1, 64), 32, List.of("SECURITY_USERNAME_MAX_LENGTH"), "Most characters a new username may have.");
    public static final Setting<Boolean> UNIFIED_SIGNIN = define(Section.FEATURES, "unified-signin", BOOLEAN, false,
            List.of("SECURITY_UNIFIED_SIGNIN", "SECURITY_PASSWORDLESS"),
            "Passwordless sign-in: users may sign in with a one-time code or link sent by email; needs external-url (emailed links).");
    public static final Setting<Boolean> TRACKABLE = define(Section.FEATURES, "trackable", BOOLEAN, false,
            List.of("SECURITY_TRACKABLE"), "Record sign-in times, addresses and counts on the user.");

    // ------------------------------------------------------------------ tokens and links

    public static final Setting<Duration> TOKEN_MAX_AGE = define(Section.TOKENS, "token-max-age",
            ValueType.duration(Duration.ofSeconds(1), days(365)), minutes(15), List.of("SECURITY_TOKEN_MAX_AGE"),
            "How long an API authentication token is accepted after it was issued (Flask-Security: forever).");
    public static final Setting<String> TOKEN_AUTHENTICATION_HEADER = define(Section.TOKENS, "token-authentication-header",
            HEADER_NAME, "Authentication-Token", List.of("SECURITY_TOKEN_AUTHENTICATION_HEADER"),
            "Request header that carries an API authentication token.");
    public static final Setting<String> TOKEN_AUTHENTICATION_KEY = define(Section.TOKENS, "token-authentication-key",
            PARAMETER_NAME, "auth_token", List.of("SECURITY_TOKEN_AUTHENTICATION_KEY"),
            "Query parameter or JSON field that carries an API authentication token.");
    public static final Setting<TokenInQuery> TOKEN_AUTHENTICATION_QUERY = define(Section.TOKENS, "token-authentication-query",
            ValueType.choice(TokenInQuery.class), TokenInQuery.NON_GET, List.of(),
            "When an API token may come in the query string: always (Flask-Security), non-get (not on GET or HEAD, whose URLs leak) or never.");
    public static final Setting<Duration> CONFIRM_EMAIL_WITHIN = define(Section.TOKENS, "confirm-email-within",
            ValueType.duration(minutes(1), days(30)), days(5), List.of("SECURITY_CONFIRM_EMAIL_WITHIN"),
            "How long an email confirmation link stays valid.");
    public static final Setting<Duration> RESET_PASSWORD_WITHIN = define(Section.TOKENS, "reset-password-within",
            ValueType.duration(minutes(1), Duration.ofHours(1)), Duration.ofHours(1),
            List.of("SECURITY_RESET_PASSWORD_WITHIN"),
            "How long a password reset link stays valid; at most 1h (Flask-Security's default is a day).");
    public static final Setting<Duration> CHANGE_EMAIL_WITHIN = define(Section.TOKENS, "change-email-within",
            ValueType.duration(minutes(1), days(30)), Duration.ofHours(2), List.of("SECURITY_CHANGE_EMAIL_WITHIN"),
            "How long the link confirming a new email address stays valid.");
    public static final Setting<Duration> CHANGE_EMAIL_REVERT_WITHIN = define(Section.TOKENS, "change-email-revert-within",
            ValueType.duration(Duration.ofHours(1), days(30)), days(7), List.of(),
            "How long the link in the notice to the old address can undo an email change (and sign everyone out).");
    public static final Setting<Duration> LOGIN_CODE_WITHIN = define(Section.TOKENS, "login-code-within",
            ValueType.duration(minutes(1), minutes(10)), minutes(5), List.of("SECURITY_US_TOKEN_VALIDITY"),
            "How long an emailed sign-in code stays valid (at most 10m); it also allows 3 attempts only.");
    public static final Setting<Duration> LOGIN_WITHIN = define(Section.TOKENS, "login-within",
            ValueType.duration(minutes(1), days(1)), minutes(15), List.of("SECURITY_LOGIN_WITHIN"),
            "How long an emailed sign-in link stays valid; it works once.");

    // ------------------------------------------------------------------ sessions

    public static final Setting<Boolean> DEFAULT_REMEMBER_ME = define(Section.SESSIONS, "default-remember-me", BOOLEAN,
            false, List.of("SECURITY_DEFAULT_REMEMBER_ME"),
            "Remember users across browser restarts when the sign-in form does not say.");
    public static final Setting<Duration> REMEMBER_COOKIE_DURATION = define(Section.SESSIONS, "remember-cookie-duration",
            ValueType.duration(minutes(1), days(400)), days(30), List.of("REMEMBER_COOKIE_DURATION"),
            "How long a remember-me cookie keeps a user signed in, from the sign-in (Flask-Login: 365 days).");
    public static final Setting<Duration> SESSION_IDLE_TIMEOUT = define(Section.SESSIONS, "session-idle-timeout",
            ValueType.duration(minutes(1), days(30)), minutes(30), List.of(),
            "A session without requests for this long ends.");
    public static final Setting<Duration> SESSION_ABSOLUTE_TIMEOUT = define(Section.SESSIONS, "session-absolute-timeout",
            ValueType.duration(minutes(1), days(400)), Duration.ofHours(12), List.of("PERMANENT_SESSION_LIFETIME"),
            "A session ends this long after sign-in, however active.");
    public static final Setting<Boolean> COOKIE_SECURE = define(Section.SESSIONS, "cookie-secure", BOOLEAN, true,
            List.of("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"),
            "Send cookies over HTTPS only; turn off only for local development over plain HTTP (development does).");
    public static final Setting<List<LogoutMethod>> LOGOUT_METHODS = define(Section.SESSIONS, "logout-methods",
            ValueType.listOf(ValueType.choice(LogoutMethod.class)), List.of(LogoutMethod.POST), List.of("SECURITY_LOGOUT_METHODS"),
            "HTTP methods the logout URL answers; empty disables it. GET lets other sites log users out.");
    public static final Setting<List<String>> CSRF_PROTECT_MECHANISMS = define(Section.SESSIONS, "csrf-protect-mechanisms",
            ValueType.listOf(MECHANISM_NAME), List.of("session"),
            List.of("SECURITY_CSRF_PROTECT_MECHANISMS"),
            "Authentication mechanisms whose requests must carry a CSRF token.");
    public static final Setting<Boolean> RETURN_GENERIC_RESPONSES = define(Section.SESSIONS, "return-generic-responses",
            BOOLEAN, true, List.of("SECURITY_RETURN_GENERIC_RESPONSES"),
            "Answer sign-in, registration and recovery alike whether or not an account exists.");
    public static final Setting<Boolean> EMAIL_UNKNOWN_ACCOUNTS = define(Section.SESSIONS, "email-unknown-accounts", BOOLEAN,
            true, List.of(),
            "With generic responses, mail addresses without an account that ask for a reset, code or link, so both cases do the same work.");
    public static final Setting<Integer> TRUSTED_PROXY_COUNT = define(Section.SESSIONS, "trusted-proxy-count",
            ValueType.integer(0, 10), 0, List.of(),
            "Reverse proxies in front of the application whose X-Forwarded-For entries are trusted.");
    public static final Setting<Duration> HSTS_MAX_AGE = define(Section.SESSIONS, "hsts-max-age",
            ValueType.duration(Duration.ZERO, days(730)), days(365), List.of(),
            "Strict-Transport-Security max-age sent on HTTPS responses when cookie-secure is on; 0 sends none.");
    public static final Setting<Boolean> HSTS_INCLUDE_SUBDOMAINS = define(Section.SESSIONS, "hsts-include-subdomains", BOOLEAN,
            false, List.of(), "Extend Strict-Transport-Security to every subdomain of the site's host.");
    public static final Setting<List<String>> API_ENABLED_METHODS = define(Section.SESSIONS, "api-enabled-methods",
            ValueType.listOf(MECHANISM_NAME), List.of("session", "token"),
            List.of("SECURITY_API_ENABLED_METHODS"),
            "Mechanisms tried on routes that require authentication without naming mechanisms.");
    public static final Setting<String> HTTP_AUTH_REALM = define(Section.SESSIONS, "http-auth-realm",
            ValueType.text("realm", Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]{1,64}"),
                    "1-64 printable ASCII characters without quotes or backslashes", false),
            "Login Required", List.of("SECURITY_DEFAULT_HTTP_AUTH_REALM"),
            "Realm named in the WWW-Authenticate header of HTTP Basic challenges.");
    public static final Setting<Duration> FRESHNESS = define(Section.SESSIONS, "freshness",
            ValueType.duration(Duration.ZERO, days(365)), minutes(15), List.of("SECURITY_FRESHNESS"),
            "How recently users must have proved who they are for sensitive actions such as changing the password or email (Flask-Security's default is 24h).");
    public static final Setting<Boolean> CSRF_IGNORE_UNAUTH_ENDPOINTS = define(Section.SESSIONS, "csrf-ignore-unauth-endpoints",
            BOOLEAN, false, List.of("SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS"),
            "Let anonymous clients sign in without a CSRF token (API clients); cross-site browser requests are still refused.");
    /** Starts with a letter or digit, so that nobody writes the {@code __Host-} prefix Gatehouse adds itself. */
    private static final ValueType<String> COOKIE_NAME = ValueType.text("cookie name",
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9_\\-]{0,63}"),
            "a cookie name; use letters, digits, _ and - (with cookie-secure Gatehouse adds the __Host- prefix itself)", false);
    public static final Setting<String> COOKIE_NAME_PREFIX = define(Section.SESSIONS, "cookie-name-prefix", COOKIE_NAME,
            "gatehouse", List.of(),
            "How the names of Gatehouse's cookies start (<prefix>_session, _csrf, ...); two applications on one host need different ones.");
    public static final OptionalSetting<String> SESSION_COOKIE_NAME = optional(Section.SESSIONS, "session-cookie-name",
            COOKIE_NAME, List.of("SESSION_COOKIE_NAME"),
            "The session cookie's name; unset: <cookie-name-prefix>_session. With cookie-secure the __Host- prefix is added.");
    public static final OptionalSetting<String> REMEMBER_COOKIE_NAME = optional(Section.SESSIONS, "remember-cookie-name",
            COOKIE_NAME, List.of("REMEMBER_COOKIE_NAME"),
            "The remember-me cookie's name; unset: <cookie-name-prefix>_remember. With cookie-secure the __Host- prefix is added.");
    public static final OptionalSetting<String> CSRF_COOKIE_NAME = optional(Section.SESSIONS, "csrf-cookie-name",
            ValueType.text("cookie name", Pattern.compile("[A-Za-z0-9_\\-]{1,64}"),
                    "a cookie name; use e.g. XSRF-TOKEN", false), List.of("SECURITY_CSRF_COOKIE_NAME"),
            "Also send the CSRF token in a cookie script can read (XSRF-TOKEN for Axios and Angular); unset: none.");
    public static final Setting<List<String>> REDIRECT_ALLOWED_HOSTS = define(Section.SESSIONS, "redirect-allowed-hosts",
            ValueType.listOf(HOST), List.of(), List.of(),
            "Other hosts a next parameter may redirect to; by default only paths on this site are allowed.");
    public static final Setting<Duration> REFRESH_TOKEN_IDLE_TIMEOUT = define(Section.SESSIONS, "refresh-token-idle-timeout",
            ValueType.duration(minutes(1), days(365)), days(7), List.of(),
            "A refresh token not exchanged for this long expires, and with it its whole family.");
    public static final Setting<Duration> REFRESH_TOKEN_MAX_AGE = define(Section.SESSIONS, "refresh-token-max-age",
            ValueType.duration(minutes(1), days(400)), days(30), List.of(),
            "A family of refresh tokens ends this long after the sign-in that started it.");

    // ------------------------------------------------------------------ lockout

    public static final Setting<Boolean> LOCKOUT_ENABLED = define(Section.LOCKOUT, "lockout-enabled", BOOLEAN, true,
            List.of(), "Lock an account for a while after repeated failed sign-ins.");
    public static final Setting<Integer> LOCKOUT_MAX_ATTEMPTS = define(Section.LOCKOUT, "lockout-max-attempts",
            ValueType.integer(1, 1000), 10, List.of(), "Failed password checks in a row, at sign-in or re-authentication, that lock the account.");
    public static final Setting<Duration> LOCKOUT_DURATION = define(Section.LOCKOUT, "lockout-duration",
            ValueType.duration(Duration.ofSeconds(1), days(30)), minutes(15), List.of(),
            "How long a locked account stays locked.");
    public static final Setting<LockoutUnlock> LOCKOUT_UNLOCK = define(Section.LOCKOUT, "lockout-unlock",
            ValueType.choice(LockoutUnlock.class), LockoutUnlock.TIME, List.of(),
            "How a locked account unlocks: after lockout-duration, through an emailed link, or whichever comes first;"
                    + " an emailed link needs external-url.");
    public static final Setting<Duration> LOCKOUT_ATTEMPTS_WITHIN = define(Section.LOCKOUT, "lockout-attempts-within",
            ValueType.duration(minutes(1), days(30)), days(1), List.of(),
            "Failed sign-ins are counted over this window from the first; a successful sign-in resets the count.");
    public static final Setting<Duration> LOCKOUT_DURATION_MAX = define(Section.LOCKOUT, "lockout-duration-max",
            ValueType.duration(Duration.ofSeconds(1), days(30)), minutes(15), List.of(),
            "Progressive lockout: the n-th lock in a row lasts n times lockout-duration, at most this long"
                    + " (no more than lockout-duration: no growth).");
    public static final Setting<LockoutScope> LOCKOUT_SCOPE = define(Section.LOCKOUT, "lockout-scope",
            ValueType.choice(LockoutScope.class), LockoutScope.ACCOUNT, List.of(),
            "What failures are counted and locks kept per: the account, or the account from one client address"
                    + " (failures elsewhere cannot lock the owner out).");

    // ------------------------------------------------------------------ rate limits

    public static final Setting<Boolean> RATE_LIMITS_ENABLED = define(Section.RATE_LIMITS, "rate-limits-enabled", BOOLEAN, true,
            List.of(), "Apply the rate limits below; false turns them all off.");
    public static final Setting<List<RateLimit>> RATE_LIMIT_LOGIN = rateLimit("login", "30/1m/ip", "Sign-in attempts.");
    public static final Setting<List<RateLimit>> RATE_LIMIT_LOGIN_FAILED = rateLimit("login-failed", "10/1m/ip, 5/5m/key",
            "Failed sign-ins (password or code) and re-authentications, keyed by the account; once exceeded,"
                    + " both are refused for the rest of the window.");
    public static final Setting<List<RateLimit>> RATE_LIMIT_REGISTER = rateLimit("register", "20/1m/ip", "Registrations.");
    public static final Setting<List<RateLimit>> RATE_LIMIT_RESET_PASSWORD = rateLimit("reset-password", "20/1m/ip, 5/1m/key",
            "Password reset requests; the key is the email address given.");
    public static final Setting<List<RateLimit>> RATE_LIMIT_SEND_CONFIRMATION = rateLimit("send-confirmation",
            "20/1m/ip, 1/3m/key", "Requests for a new confirmation link; the key is the email address given.");
    public static final Setting<List<RateLimit>> RATE_LIMIT_LOGIN_CODE = rateLimit("login-code", "20/1m/ip, 3/1m/key",
            "Requests for a sign-in code and link; the key is the email address given.");
    public static final Setting<List<RateLimit>> RATE_LIMIT_RECOVER_USERNAME = rateLimit("recover-username",
            "20/1m/ip, 5/1m/key", "Username recovery requests; the key is the email address given.");
    public static final Setting<List<RateLimit>> RATE_LIMIT_CHANGE_EMAIL = rateLimit("change-email", "10/1m/key",
            "Email change requests; the key is the signed-in user.");
    public static final Setting<List<RateLimit>> RATE_LIMIT_CHANGE_PASSWORD = rateLimit("change-password", "5/1m/key",
            "Password changes, which check the current password; the key is the signed-in user.");

    // ------------------------------------------------------------------ URLs and views

    public static final OptionalSetting<String> URL_PREFIX = optional(Section.URLS, "url-prefix", PATH_PREFIX,
            List.of("SECURITY_URL_PREFIX"), "Prefix of every Gatehouse URL, e.g. /auth; none by default.");
    public static final OptionalSetting<String> EXTERNAL_URL = optional(Section.URLS, "external-url", ValueType.externalUrl(),
            List.of("SERVER_NAME", "PREFERRED_URL_SCHEME"),
            "Base URL users reach the application at, e.g. https://app.example.com: links in emails start with it.");
    public static final Setting<String> LOGIN_URL = define(Section.URLS, "login-url", URL_PATH, "/login",
            List.of("SECURITY_LOGIN_URL"), "Sign-in page and endpoint.");
    public static final Setting<String> LOGOUT_URL = define(Section.URLS, "logout-url", URL_PATH, "/logout",
            List.of("SECURITY_LOGOUT_URL"), "Sign-out endpoint.");
    public static final Setting<String> REGISTER_URL = define(Section.URLS, "register-url", URL_PATH, "/register",
            List.of("SECURITY_REGISTER_URL"), "Registration page and endpoint.");
    public static final Setting<String> RESET_URL = define(Section.URLS, "reset-url", URL_PATH, "/reset",
            List.of("SECURITY_RESET_URL"), "Forgotten-password and password-reset pages.");
    public static final Setting<String> CHANGE_URL = define(Section.URLS, "change-url", URL_PATH, "/change",
            List.of("SECURITY_CHANGE_URL"), "Password change page.");
    public static final Setting<String> VERIFY_URL = define(Section.URLS, "verify-url", URL_PATH, "/verify",
            List.of("SECURITY_VERIFY_URL"), "Re-authentication page and endpoint, which refreshes freshness.");
    public static final Setting<String> REFRESH_TOKEN_URL = define(Section.URLS, "refresh-token-url", URL_PATH, "/refresh-token",
            List.of(), "Endpoint that exchanges a refresh token for a new API token.");
    public static final Setting<String> CONFIRM_URL = define(Section.URLS, "confirm-url", URL_PATH, "/confirm",
            List.of("SECURITY_CONFIRM_URL"), "Email confirmation endpoint.");
    public static final Setting<String> CHANGE_EMAIL_URL = define(Section.URLS, "change-email-url", URL_PATH, "/change-email",
            List.of("SECURITY_CHANGE_EMAIL_URL"), "Email change page.");
    public static final Setting<String> CHANGE_EMAIL_CONFIRM_URL = define(Section.URLS, "change-email-confirm-url", URL_PATH,
            "/change-email-confirm", List.of("SECURITY_CHANGE_EMAIL_CONFIRM_URL"),
            "Endpoint of the link confirming a new email address.");
    public static final Setting<String> CHANGE_EMAIL_REVERT_URL = define(Section.URLS, "change-email-revert-url", URL_PATH,
            "/change-email-revert", List.of(), "Endpoint of the link that undoes an email change, mailed to the old address.");
    public static final Setting<String> CHANGE_USERNAME_URL = define(Section.URLS, "change-username-url", URL_PATH,
            "/change-username", List.of("SECURITY_CHANGE_USERNAME_URL"), "Username change page.");
    public static final Setting<String> SESSIONS_URL = define(Section.URLS, "sessions-url", URL_PATH, "/sessions", List.of(),
            "Page and JSON endpoint listing the user's sessions; POST {sessions-url}/end ends them.");
    public static final Setting<String> USERNAME_RECOVERY_URL = define(Section.URLS, "username-recovery-url", URL_PATH,
            "/recover-username", List.of("SECURITY_USERNAME_RECOVERY_URL"), "Username recovery page.");
    public static final Setting<String> US_SIGNIN_URL = define(Section.URLS, "us-signin-url", URL_PATH, "/us-signin",
            List.of("SECURITY_US_SIGNIN_URL"), "Passwordless sign-in page (request and enter a code).");
    public static final Setting<String> US_VERIFY_LINK_URL = define(Section.URLS, "us-verify-link-url", URL_PATH,
            "/us-verify-link", List.of("SECURITY_US_VERIFY_LINK_URL"), "Endpoint of emailed sign-in links.");
    public static final Setting<String> UNLOCK_URL = define(Section.URLS, "unlock-url", URL_PATH, "/unlock", List.of(),
            "Endpoint of emailed unlock links.");
    public static final Setting<String> POST_LOGIN_VIEW = define(Section.URLS, "post-login-view", URL_PATH, "/",
            List.of("SECURITY_POST_LOGIN_VIEW"), "Where users land after signing in, unless a safe next parameter says otherwise.");
    public static final Setting<String> POST_LOGOUT_VIEW = define(Section.URLS, "post-logout-view", URL_PATH, "/",
            List.of("SECURITY_POST_LOGOUT_VIEW"), "Where users land after signing out.");
    public static final OptionalSetting<String> UNAUTHORIZED_VIEW = optional(Section.URLS, "unauthorized-view", URL_PATH,
            List.of("SECURITY_UNAUTHORIZED_VIEW"),
            "Where users without the required role or permission are sent; unset answers 403.");

    // ------------------------------------------------------------------ pages, texts and languages

    private static final ValueType<String> LANGUAGE_TAG = ValueType.text("language tag",
            Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}"),
            "a language tag; use e.g. en, de or fr-CA", false);
    private static final ValueType<String> FILE_PATH = ValueType.text("file path",
            Pattern.compile("[^\\p{Cntrl}]{1,4096}"),
            "a file system path; use e.g. /etc/myapp/messages.properties", false);

    public static final Setting<String> DEFAULT_LOCALE = define(Section.PAGES, "default-locale", LANGUAGE_TAG, "en",
            List.of("BABEL_DEFAULT_LOCALE"),
            "Language of pages and messages when the browser's Accept-Language names none of the supported ones.");
    public static final Setting<List<String>> SUPPORTED_LOCALES = define(Section.PAGES, "supported-locales",
            ValueType.listOf(LANGUAGE_TAG), List.of("en", "de", "fr"), List.of(),
            "Languages offered to browsers through Accept-Language; Gatehouse ships texts in en, de and fr.");
    public static final OptionalSetting<String> MESSAGES_FILE = optional(Section.PAGES, "messages-file", FILE_PATH,
            List.of(), "Properties file of texts replacing Gatehouse's, keyed like SECURITY_MSG_* (INVALID_PASSWORD=...); "
                    + "messages_de.properties beside it for German.");
    public static final Setting<String> SITE_NAME = define(Section.PAGES, "site-name",
            ValueType.text("name", Pattern.compile("[^\\p{Cntrl}]{1,100}"), "a name; use 1-100 characters without control characters",
                    false), "Gatehouse", List.of(),
            "The application's name in page titles and headers, email footers, texts' {site_name}, SMS codes and the authenticator app's issuer.");
    public static final OptionalSetting<String> TEMPLATES_FOLDER = optional(Section.PAGES, "templates-folder", FILE_PATH,
            List.of(), "Folder of page templates (e.g. gatehouse/login.html) that replace the application's and Gatehouse's.");

    // ------------------------------------------------------------------ mail

    public static final Setting<String> EMAIL_SENDER = define(Section.MAIL, "email-sender", ValueType.email(),
            "no-reply@localhost", List.of("SECURITY_EMAIL_SENDER", "MAIL_DEFAULT_SENDER"),
            "From address of the emails Gatehouse sends.");
    public static final Setting<MailBackend> MAIL_BACKEND = define(Section.MAIL, "mail-backend",
            ValueType.choice(MailBackend.class), MailBackend.SMTP, List.of(),
            "How the web layer delivers queued email: smtp (the mail-* settings), files (in mail-folder; development's default) "
                    + "or none (another process does).");
    public static final Setting<String> MAIL_FOLDER = define(Section.MAIL, "mail-folder", FILE_PATH, "data/mail", List.of(),
            "Folder the files mail backend writes messages to; never for production, as the files hold reset links.");
    public static final Setting<String> MAIL_SERVER = define(Section.MAIL, "mail-server", HOST, "localhost",
            List.of("MAIL_SERVER"), "SMTP server host.");
    public static final Setting<Integer> MAIL_PORT = define(Section.MAIL, "mail-port", ValueType.integer(1, 65535), 25,
            List.of("MAIL_PORT"), "SMTP server port, typically 25, 587 (STARTTLS) or 465 (TLS).");
    public static final Setting<Boolean> MAIL_USE_TLS = define(Section.MAIL, "mail-use-tls", BOOLEAN, false,
            List.of("MAIL_USE_TLS"), "Upgrade the SMTP connection with STARTTLS.");
    public static final Setting<Boolean> MAIL_USE_SSL = define(Section.MAIL, "mail-use-ssl", BOOLEAN, false,
            List.of("MAIL_USE_SSL"), "Connect to the SMTP server over TLS from the start.");
    public static final OptionalSetting<String> MAIL_USERNAME = optional(Section.MAIL, "mail-username", USER_NAME,
            List.of("MAIL_USERNAME"), "SMTP user name; unset means no SMTP authentication.");
    public static final OptionalSetting<Secret> MAIL_PASSWORD = optional(Section.MAIL, "mail-password",
            ValueType.secret(1, "set the SMTP password"), List.of("MAIL_PASSWORD"), "SMTP password.");

    // ------------------------------------------------------------------ storage

    public static final OptionalSetting<String> DB_URL = optional(Section.STORAGE, "db-url", JDBC_URL,
            List.of("SQLALCHEMY_DATABASE_URI"),
            "JDBC URL of the database of the JDBC stores; never printed, as it may hold credentials.");

    // ------------------------------------------------------------------ local development

    public static final Setting<Boolean> DEVELOPMENT = define(Section.DEVELOPMENT, "development", BOOLEAN, false, List.of(),
            "Local work over plain HTTP: cookie-secure false and mail-backend files unless set, a start-up warning;"
                    + " refused with an https or non-loopback external-url.");

    /** What {@link #DEVELOPMENT} changes: these defaults replace the settings' own unless a setting is set. */
    static final Map<SettingKey<?>, Object> DEVELOPMENT_DEFAULTS = Map.of(COOKIE_SECURE, false, MAIL_BACKEND, MailBackend.FILES);

    // ------------------------------------------------------------------ registry

    /** Gatehouse's own settings as documentation groups, in order. */
    static final List<SettingGroup> GROUPS = groups();

    private Settings() {
    }

    private static List<SettingGroup> groups() {
        List<SettingGroup> groups = new ArrayList<>();
        for (Section section : Section.values()) {
            groups.add(SettingGroup.of(section.title, section.settings));
        }
        return List.copyOf(groups);
    }

    private static <T> Setting<T> define(Section section, String name, ValueType<T> type, T defaultValue,
            List<String> flaskNames, String description) {
        return add(section, Setting.of(name, type, defaultValue, flaskNames, description));
    }

    private static <T> OptionalSetting<T> optional(Section section, String name, ValueType<T> type,
            List<String> flaskNames, String description) {
        return add(section, OptionalSetting.of(name, type, flaskNames, description));
    }

    private static <T> Setting<T> require(Section section, String name, ValueType<T> type,
            List<String> flaskNames, String description) {
        return add(section, Setting.required(name, type, flaskNames, description));
    }

    private static <K extends SettingKey<?>> K add(Section section, K setting) {
        section.settings.add(setting);
        return setting;
    }

    /**
     * Rules that involve more than one setting, checked once everything is assembled.
     *
     * @param value the final value of a setting, {@code null} when unset
     */
    static List<String> crossCheck(Function<SettingKey<?>, Object> value) {
        List<String> problems = new ArrayList<>();
        int min = (Integer) value.apply(PASSWORD_LENGTH_MIN);
        int max = (Integer) value.apply(PASSWORD_LENGTH_MAX);
        if (min > max) {
            problems.add("password-length-min (" + min + ") is greater than password-length-max (" + max
                    + "); no password could be chosen");
        }
        Duration idle = (Duration) value.apply(SESSION_IDLE_TIMEOUT);
        Duration absolute = (Duration) value.apply(SESSION_ABSOLUTE_TIMEOUT);
        if (idle.compareTo(absolute) > 0) {
            problems.add("session-idle-timeout (" + Durations.format(idle) + ") is longer than session-absolute-timeout ("
                    + Durations.format(absolute) + "); make it shorter");
        }
        if ((Boolean) value.apply(MAIL_USE_TLS) && (Boolean) value.apply(MAIL_USE_SSL)) {
            problems.add("mail-use-tls and mail-use-ssl are both true; use mail-use-ssl for implicit TLS (port 465)"
                    + " or mail-use-tls for STARTTLS (port 587), not both");
        }
        @SuppressWarnings("unchecked")
        List<String> languages = (List<String>) value.apply(SUPPORTED_LOCALES);
        String defaultLocale = (String) value.apply(DEFAULT_LOCALE);
        if (languages.stream().noneMatch(defaultLocale::equalsIgnoreCase)) {
            problems.add("default-locale (" + defaultLocale + ") is not one of supported-locales (" + String.join(", ", languages)
                    + "); add it there or choose one of them");
        }
        String prefix = (String) value.apply(COOKIE_NAME_PREFIX);
        String session = value.apply(SESSION_COOKIE_NAME) instanceof String name ? name : prefix + "_session";
        String remember = value.apply(REMEMBER_COOKIE_NAME) instanceof String name ? name : prefix + "_remember";
        List<String> cookies = new ArrayList<>(List.of(session, remember, prefix + "_csrf", prefix + "_flash", prefix + "_signin_code"));
        if (value.apply(CSRF_COOKIE_NAME) instanceof String readable) {
            cookies.add(readable);
        }
        if (cookies.stream().distinct().count() < cookies.size()) {
            problems.add("session-cookie-name, remember-cookie-name, csrf-cookie-name and the names made from cookie-name-prefix"
                    + " (" + String.join(", ", cookies) + ") are not all different; one cookie would overwrite another");
        }
        if ((Boolean) value.apply(USERNAME_RECOVERY) && !(Boolean) value.apply(USERNAME_ENABLE)) {
            problems.add("username-recovery is true but username-enable is false; enable usernames first");
        }
        if ((Boolean) value.apply(USERNAME_REQUIRED) && !(Boolean) value.apply(USERNAME_ENABLE)) {
            problems.add("username-required is true but username-enable is false; enable usernames first");
        }
        int usernameMin = (Integer) value.apply(USERNAME_MIN_LENGTH);
        int usernameMax = (Integer) value.apply(USERNAME_MAX_LENGTH);
        if (usernameMin > usernameMax) {
            problems.add("username-min-length (" + usernameMin + ") is greater than username-max-length ("
                    + usernameMax + "); no username could be chosen");
        }
        Object externalUrl = value.apply(EXTERNAL_URL);
        if ((Boolean) value.apply(DEVELOPMENT) && externalUrl != null && !isLocalHttp((String) externalUrl)) {
            problems.add("development is true but external-url (" + externalUrl + ") is not a plain-http address on this"
                    + " machine; development relaxes protections for local work only: turn it off where users reach the"
                    + " application, or use e.g. http://localhost:8080");
        }
        if (externalUrl == null) {
            List<String> linking = new ArrayList<>();
            for (Setting<Boolean> feature : List.of(CONFIRMABLE, RECOVERABLE, CHANGE_EMAIL, UNIFIED_SIGNIN)) {
                if ((Boolean) value.apply(feature)) {
                    linking.add(feature.name);
                }
            }
            if ((Boolean) value.apply(LOCKOUT_ENABLED) && value.apply(LOCKOUT_UNLOCK) != LockoutUnlock.TIME) {
                linking.add("lockout-unlock=" + LOCKOUT_UNLOCK.formatValue(value.apply(LOCKOUT_UNLOCK)));
            }
            if (!linking.isEmpty()) {
                problems.add("external-url is not set, but " + String.join(", ", linking)
                        + (linking.size() == 1 ? " mails" : " mail") + " links, which must be absolute;"
                        + " set external-url to the address users reach the application at, e.g. https://app.example.com");
            }
        }
        return problems;
    }

    /** Whether {@code url} (a valid external-url) is plain http on a loopback host. */
    static boolean isLocalHttp(String url) {
        if (!url.startsWith("http://")) {
            return false;
        }
        String rest = url.substring("http://".length());
        String host = rest.startsWith("[") ? rest.substring(0, rest.indexOf(']') + 1) : rest.split("[:/]", 2)[0];
        host = host.toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("[::1]")
                || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
