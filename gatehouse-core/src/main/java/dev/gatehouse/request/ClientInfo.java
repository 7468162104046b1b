package dev.gatehouse.request;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about the client making a request, recorded with sessions, sign-ins and account
 * events, and used to pick the language of emails a request causes.
 *
 * @param ip        the client address (already resolved through trusted proxies), if known
 * @param userAgent the User-Agent header, if sent
 * @param locale    the language the client prefers (e.g. from Accept-Language), if known
 */
public record ClientInfo(Optional<String> ip, Optional<String> userAgent, Optional<Locale> locale) {

    /** Nothing known: for programmatic sign-ins outside a request. */
    public static final ClientInfo UNKNOWN = new ClientInfo(Optional.empty(), Optional.empty(), Optional.empty());

    public ClientInfo {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(locale, "locale");
    }

    /** Address and user agent, no preferred language. */
    public ClientInfo(Optional<String> ip, Optional<String> userAgent) {
        this(ip, userAgent, Optional.empty());
    }

    public static ClientInfo of(String ip, String userAgent) {
        return new ClientInfo(Optional.ofNullable(ip), Optional.ofNullable(userAgent), Optional.empty());
    }

    /** This client, preferring {@code locale}. */
    public ClientInfo withLocale(Locale locale) {
        return new ClientInfo(ip, userAgent, Optional.of(locale));
    }
}
