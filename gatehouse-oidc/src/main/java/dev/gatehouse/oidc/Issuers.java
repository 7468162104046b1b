package dev.gatehouse.oidc;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/** Checks on issuer and provider URLs shared by the module's parts. */
final class Issuers {

    private Issuers() {
    }

    /**
     * An https URL, or http on a loopback host (127.0.0.0/8, ::1, localhost) for development; no
     * query, fragment or user info.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static URI requireSecure(URI url) {
        if (url == null || !url.isAbsolute() || url.getHost() == null) {
            throw new IllegalArgumentException("an issuer is an absolute https URL, not " + url);
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("an issuer URL has no query, fragment or user info: " + url);
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return url;
        }
        if (scheme.equals("http") && isLoopback(url.getHost())) {
            return url;
        }
        throw new IllegalArgumentException("an issuer must be https (http only on 127.0.0.1, ::1 or localhost), not " + url);
    }

    /** {@code localhost} or a loopback IP literal; names are never resolved. */
    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // Only IP literals: resolving a name here would let DNS decide what counts as loopback.
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:]*")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
