package dev.gatehouse.web.contract;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every password, token, cookie value and secret the HTTP tests sent or received, gathered by
 * {@link HttpClientSession}, {@link Inbox} and {@link TestApp}; and the scan of a log for them.
 * Values shorter than {@value #MIN_LENGTH} characters (six-digit codes, "x") are skipped: they
 * would match by chance.
 */
final class UsedSecrets {

    static final int MIN_LENGTH = 8;
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    /** Values that are paths (Flask-Security's {@code recovery_options.recovery_code} is a URL) are no secrets. */
    private static final Pattern SECRET_FIELDS = Pattern.compile(
            "\"(authentication_token|refresh_token|csrf_token|challenge|recovery_codes?|secret|token)\"\\s*:\\s*\"([^\"/][^\"]*)\"");
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "authentication-token", "x-csrftoken",
            "x-csrf-token", "cookie");
    private static final Pattern SECRET_KEYS = Pattern.compile("(?i).*(password|token|secret|code|challenge).*");

    private UsedSecrets() {
    }

    static void add(String value) {
        if (value != null && value.length() >= MIN_LENGTH) {
            SECRETS.add(value);
        }
    }

    /** Headers whose values are credentials: Authorization, Authentication-Token, X-CSRFToken, Cookie. */
    static boolean isSecretHeader(String name) {
        return SECRET_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** The values of fields named like a password, token, secret or code. */
    static void addFields(Map<String, ?> fields) {
        fields.forEach((key, value) -> {
            if (value instanceof String text && SECRET_KEYS.matcher(key).matches()) {
                add(text);
            }
        });
    }

    /** Tokens in a JSON response body. */
    static void addFromJson(String body) {
        if (body == null) {
            return;
        }
        Matcher m = SECRET_FIELDS.matcher(body);
        while (m.find()) {
            add(m.group(2));
        }
    }

    /** A snapshot of what was gathered. */
    static Set<String> all() {
        return Set.copyOf(SECRETS);
    }

    /**
     * Which of {@code secrets} appear in {@code log}, as typed or URL-encoded, each shown only by
     * its first three characters and its length (a failure message must not leak them either).
     */
    static List<String> foundIn(String log, Iterable<String> secrets) {
        List<String> found = new ArrayList<>();
        for (String secret : secrets) {
            if (log.contains(secret) || log.contains(URLEncoder.encode(secret, StandardCharsets.UTF_8))) {
                found.add(secret.substring(0, 3) + "… (" + secret.length() + " characters)");
            }
        }
        return found;
    }
}
