package dev.gatehouse.web;

import java.time.Duration;
import java.util.Optional;

/**
 * Names and {@code Set-Cookie} values of Gatehouse's cookies. With {@code cookie-secure} on
 * (the default) names carry the {@code __Host-} prefix, which makes browsers insist on
 * {@code Secure}, {@code Path=/} and no {@code Domain}: the cookie cannot be planted by a
 * subdomain or over plain HTTP. Session cookies are {@code HttpOnly} and {@code SameSite=Lax}. The
 * names come from {@code cookie-name-prefix}, {@code session-cookie-name} and {@code remember-cookie-name}:
 * cookies belong to a host, not a port, so two applications on one host must name theirs apart.
 */
final class Cookies {

    final String session;
    final String remember;
    final String csrfNonce;
    final String flash;
    /** The challenge of a passwordless sign-in code (see {@code PasswordlessEndpoints}). */
    final String signInChallenge;
    /** The sealed challenge of a code sent for re-authentication (see {@code UnifiedSetupEndpoints}). */
    final String verifyChallenge;
    final Optional<String> readableCsrf;
    private final boolean secure;
    /** {@code __Host-} (or nothing) and {@code cookie-name-prefix}: how the names of the cookies without a setting start. */
    private final String namePrefix;

    /**
     * @param namePrefix      {@code cookie-name-prefix}: how the names of the cookies without a setting of their own start
     * @param sessionName     {@code session-cookie-name}, or empty for {@code <prefix>_session}
     * @param rememberName    {@code remember-cookie-name}, or empty for {@code <prefix>_remember}
     */
    Cookies(boolean secure, Optional<String> readableCsrf, String namePrefix, Optional<String> sessionName,
            Optional<String> rememberName) {
        this.secure = secure;
        String prefix = secure ? "__Host-" : "";
        this.session = prefix + sessionName.orElse(namePrefix + "_session");
        this.remember = prefix + rememberName.orElse(namePrefix + "_remember");
        this.csrfNonce = prefix + namePrefix + "_csrf";
        this.flash = prefix + namePrefix + "_flash";
        this.signInChallenge = prefix + namePrefix + "_signin_code";
        this.verifyChallenge = prefix + namePrefix + "_verify_code";
        this.readableCsrf = readableCsrf;
        this.namePrefix = prefix + namePrefix + "_";
    }

    /** The name of a cookie without a setting of its own: {@code [__Host-]<cookie-name-prefix>_<suffix>}. */
    String named(String suffix) {
        return namePrefix + suffix;
    }

    /** A cookie for this browser session only (no expiry). */
    String sessionCookie(String name, String value) {
        return name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    /** A cookie that outlives the browser session. */
    String persistentCookie(String name, String value, Duration maxAge) {
        return name + "=" + value + "; Max-Age=" + maxAge.toSeconds() + "; Path=/; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }

    /** A cookie script may read: the CSRF token for Axios/Angular ({@code XSRF-TOKEN}). */
    String readableCookie(String name, String value) {
        return name + "=" + value + "; Path=/; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    /** Tells the browser to drop a cookie. */
    String expired(String name) {
        return name + "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }
}
