package dev.gatehouse.auth;

import java.util.Optional;

/**
 * What is known about the client making a request, recorded with sessions and sign-ins.
 *
 * @param ip        the client address (already resolved through trusted proxies), if known
 * @param userAgent the User-Agent header, if sent
 */
public record ClientInfo(Optional<String> ip, Optional<String> userAgent) {

    /** Nothing known: for programmatic sign-ins outside a request. */
    public static final ClientInfo UNKNOWN = new ClientInfo(Optional.empty(), Optional.empty());

    public static ClientInfo of(String ip, String userAgent) {
        return new ClientInfo(Optional.ofNullable(ip), Optional.ofNullable(userAgent));
    }
}
