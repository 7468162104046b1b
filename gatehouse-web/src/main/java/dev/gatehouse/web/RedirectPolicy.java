package dev.gatehouse.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a redirect target supplied by a client (a {@code next} parameter) is safe to
 * send back in a {@code Location} header.
 *
 * <p>Stricter than Flask-Security's own check, on purpose. Accepted are:
 * <ul>
 *   <li>a path on this site: it starts with one {@code /} followed by anything but {@code /} or
 *       {@code \}, e.g. {@code /account?tab=2};</li>
 *   <li>an absolute {@code http}/{@code https} URL whose host is one of the configured allowed
 *       hosts (none by default).</li>
 * </ul>
 * Everything else is refused, including protocol-relative {@code //evil.com}, {@code /\evil.com},
 * {@code \\\evil.com}, {@code https:evil.com}, {@code javascript:}, anything with whitespace,
 * control or non-ASCII characters (browsers strip or reinterpret those), and percent-encoded
 * slashes or backslashes right after the leading slash. Immutable and thread-safe.
 */
public final class RedirectPolicy {

    private static final int MAX_LENGTH = 2048;

    private final Set<String> allowedHosts;

    /** A policy that accepts paths on this site and absolute URLs to {@code allowedHosts}. */
    public RedirectPolicy(Set<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** A policy that accepts only paths on this site. */
    public static RedirectPolicy sameSiteOnly() {
        return new RedirectPolicy(Set.of());
    }

    /** The target, if it is safe to redirect to. */
    public Optional<String> check(String target) {
        if (target == null || target.isEmpty() || target.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            // Printable ASCII only: browsers drop tabs/newlines and strip leading spaces and C0
            // controls before parsing, which turns "/\t/evil.com" into "//evil.com".
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return Optional.empty();
            }
        }
        if (target.charAt(0) == '/') {
            return isSitePath(target) ? Optional.of(target) : Optional.empty();
        }
        return isAllowedAbsolute(target) ? Optional.of(target) : Optional.empty();
    }

    /** Whether the target is safe; see {@link #check(String)}. */
    public boolean isSafe(String target) {
        return check(target).isPresent();
    }

    private static boolean isSitePath(String target) {
        if (target.length() == 1) {
            return true;
        }
        char second = target.charAt(1);
        if (second == '/') {
            return false;
        }
        // "/%2F/evil.com" or "/%5C..." may be decoded by a proxy or framework into "//evil.com".
        String afterSlash = target.substring(1).toLowerCase(Locale.ROOT);
        return !(afterSlash.startsWith("%2f") || afterSlash.startsWith("%5c"));
    }

    private boolean isAllowedAbsolute(String target) {
        if (allowedHosts.isEmpty()) {
            return false;
        }
        try {
            URI uri = new URI(target);
            String scheme = uri.getScheme();
            String host = uri.getHost();
            return scheme != null && (scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                    && uri.getRawAuthority() != null && uri.getRawUserInfo() == null
                    && host != null && allowedHosts.contains(host.toLowerCase(Locale.ROOT))
                    && target.regionMatches(true, 0, scheme + "://", 0, scheme.length() + 3);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
