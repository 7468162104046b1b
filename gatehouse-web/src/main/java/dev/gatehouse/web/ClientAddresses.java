package dev.gatehouse.web;

/**
 * Finds the client's address. {@code X-Forwarded-For} is trusted only as far as there are
 * configured proxies in front of the application: with {@code n} trusted proxies the client is
 * the {@code n}-th address from the right, since each proxy appends what it saw. With none (the
 * default) the header is ignored, so a client cannot pick its own address.
 */
final class ClientAddresses {

    private ClientAddresses() {
    }

    static String resolve(WebRequest request, int trustedProxies) {
        String peer = request.remoteAddress();
        if (trustedProxies <= 0) {
            return peer;
        }
        String forwarded = request.header("X-Forwarded-For").orElse("");
        if (forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        if (hops.length < trustedProxies) {
            return peer;
        }
        String client = hops[hops.length - trustedProxies].strip();
        return isPlausibleAddress(client) ? client : peer;
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
