package dev.gatehouse.servlet;

import dev.gatehouse.web.AccessRule;
import java.util.Objects;

/**
 * An access rule on the paths a Servlet URL pattern matches: exact ({@code /account}), prefix
 * ({@code /api/*} — {@code /api} itself and everything below; {@code /*} and {@code /} everything),
 * extension ({@code *.pdf}) or the context root alone ({@code ""}). Unlike a servlet mapping, where the most specific pattern wins, every matching
 * rule applies, so a broader rule is never lost to a narrower one.
 */
record PathRule(String pattern, AccessRule rule) {

    PathRule {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(rule, "rule");
        boolean extension = pattern.startsWith("*.") && pattern.indexOf('/') < 0 && pattern.length() > 2;
        boolean path = pattern.isEmpty() || pattern.startsWith("/") && pattern.indexOf('*') == pattern.lastIndexOf('*')
                && (pattern.indexOf('*') < 0 || pattern.endsWith("/*"));
        if (!extension && !path) {
            throw new IllegalArgumentException("not a Servlet URL pattern (/exact, /prefix/* or *.extension): " + pattern);
        }
    }

    boolean matches(String path) {
        if (pattern.startsWith("*.")) {
            return path.endsWith(pattern.substring(1));
        }
        if (pattern.equals("/") || pattern.isEmpty()) {
            // As in a servlet mapping: "/" is the default (every request), "" the context root alone.
            return pattern.equals("/") || path.equals("/") || path.isEmpty();
        }
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return path.equals(prefix) || path.startsWith(prefix + "/") || prefix.isEmpty();
        }
        return path.equals(pattern);
    }
}
