package dev.gatehouse.web;

import java.util.Optional;

/**
 * Finds what the client's connection was as the proxies in front of the application saw it.
 * {@code X-Forwarded-*} headers are trusted only as far as there are configured proxies: with
 * {@code n} trusted proxies the value is the {@code n}-th from the right, since each proxy appends
 * what it saw. With none (the default), or fewer values than proxies, the header is ignored, so a
 * client cannot pick its own address or scheme.
 */
final class ClientAddresses {

    private ClientAddresses() {
    }

    /** The client's address: from {@code X-Forwarded-For} through trusted proxies, else the peer's. */
    static String resolve(WebRequest request, int trustedProxies) {
        String peer = request.remoteAddress();
        return forwarded(request, "X-Forwarded-For", trustedProxies).filter(ClientAddresses::isPlausibleAddress).orElse(peer);
    }

    /**
     * Whether the client's connection is HTTPS: this server's own TLS, or — behind
     * {@code trustedProxies} proxies — the {@code X-Forwarded-Proto} the outermost trusted proxy
     * saw. Without trusted proxies, or with fewer values than proxies, the header is ignored: a
     * client could send it over plain HTTP.
     */
    static boolean isHttps(WebRequest request, int trustedProxies) {
        return request.isSecure() || forwarded(request, "X-Forwarded-Proto", trustedProxies)
                .filter(proto -> proto.equalsIgnoreCase("https")).isPresent();
    }

    /** What the outermost trusted proxy put into {@code header}; empty when it cannot be told. */
    static Optional<String> forwarded(WebRequest request, String header, int trustedProxies) {
        if (trustedProxies <= 0) {
            return Optional.empty();
        }
        String forwarded = request.header(header).orElse("");
        if (forwarded.isBlank()) {
            return Optional.empty();
        }
        String[] hops = forwarded.split(",");
        return hops.length < trustedProxies ? Optional.empty() : Optional.of(hops[hops.length - trustedProxies].strip());
    }

    private static boolean isPlausibleAddress(String value) {
        if (value.isEmpty() || value.length() > 45) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '.' && c != ':') {
                return false;
            }
        }
        return true;
    }
}
