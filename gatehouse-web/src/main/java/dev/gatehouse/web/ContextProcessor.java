package dev.gatehouse.web;

import java.util.Map;

/**
 * Adds values to the model of pages before they are rendered: Flask-Security's
 * {@code context_processor} (every page) and {@code login_context_processor} and friends (one
 * page). Register with {@link WebOptions.Builder#contextProcessor(ContextProcessor)} or
 * {@link WebOptions.Builder#contextProcessor(String, ContextProcessor)}.
 *
 * <p>Values a page sets itself (its form, {@code csrf_token}, {@code errors}) win over values
 * from processors, which win over the common ones ({@code current_user}, {@code urls}, ...).
 * Called once per rendered page, on the request's thread; must be thread-safe.
 */
@FunctionalInterface
public interface ContextProcessor {

    /** The values to add; never null. */
    Map<String, ?> values(PageContext context);
}
