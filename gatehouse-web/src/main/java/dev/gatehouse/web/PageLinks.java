package dev.gatehouse.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The links of Gatehouse's pages, {@code urls} in the templates ({@code urls.register}, ...),
 * collected from the enabled {@link WebFeature}s when the web layer starts. Not thread-safe;
 * only used while starting.
 */
public final class PageLinks {

    private final Optional<String> urlPrefix;
    private final Map<String, Object> links = new LinkedHashMap<>();

    PageLinks(Optional<String> urlPrefix) {
        this.urlPrefix = urlPrefix;
    }

    /**
     * A link to one of the web layer's own paths, as configured (without the {@code url-prefix},
     * which is added here).
     *
     * @throws IllegalArgumentException if another feature added a link of that name
     */
    public PageLinks path(String name, String configuredPath) {
        return value(name, urlPrefix.map(prefix -> prefix + configuredPath).orElse(configuredPath));
    }

    /**
     * A value the templates use as is: an absolute location, or a flag such as {@code logout_form}.
     *
     * @throws IllegalArgumentException if another feature added a link of that name
     */
    public PageLinks value(String name, Object value) {
        Objects.requireNonNull(value, "value");
        if (links.putIfAbsent(Objects.requireNonNull(name, "name"), value) != null) {
            throw new IllegalArgumentException("two features add the page link " + name);
        }
        return this;
    }

    Map<String, Object> toMap() {
        return Map.copyOf(links);
    }
}
