package dev.gatehouse.mail;

import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.URL_PREFIX;

import dev.gatehouse.config.GatehouseConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * Absolute links for emails: {@code external-url} + {@code url-prefix} + a configured path, and for
 * links carrying a token, {@code /} + the token (tokens are URL-safe). Emails are read outside the
 * request that caused them, so links cannot be relative; {@code external-url} is required whenever
 * a feature that mails links is on. Immutable and thread-safe.
 */
public final class Links {

    private final Optional<String> base;

    private Links(Optional<String> externalUrl, Optional<String> urlPrefix) {
        this.base = externalUrl.map(url -> stripSlash(url) + urlPrefix.orElse(""));
    }

    /** Links from {@code external-url} and {@code url-prefix}. */
    public static Links of(GatehouseConfig config) {
        return new Links(config.get(EXTERNAL_URL), config.get(URL_PREFIX));
    }

    /** Links under {@code base} (e.g. {@code https://app.example.com/auth}). */
    public static Links under(String base) {
        return new Links(Optional.of(Objects.requireNonNull(base, "base")), Optional.empty());
    }

    /** Whether an external URL is configured. */
    public boolean available() {
        return base.isPresent();
    }

    /**
     * The page at {@code path}, e.g. {@code https://app.example.com/auth/reset}.
     *
     * @throws IllegalStateException if {@code external-url} is not set
     */
    public String page(String path) {
        return base.orElseThrow(() -> new IllegalStateException(
                "external-url is not set, so Gatehouse cannot put links into emails; set it to e.g. https://app.example.com"))
                + path;
    }

    /** The page at {@code path} with {@code token} as its last segment, e.g. {@code .../reset/<token>}. */
    public String withToken(String path, String token) {
        return stripSlash(page(path)) + "/" + Objects.requireNonNull(token, "token");
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
