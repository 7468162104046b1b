package dev.gatehouse.web;

import java.util.Map;

/**
 * Renders Gatehouse's HTML pages ({@code login}, {@code verify}, {@code error}, ...) from a
 * model. Replace it to take over the look of every page (Flask-Identity's {@code template_render}).
 * Implementations must escape model values and be thread-safe.
 */
@FunctionalInterface
public interface PageRenderer {

    /**
     * @param page  the page name, e.g. {@code login}
     * @param model the values the page shows: {@code csrf_token}, {@code next}, {@code errors}
     *              (list of messages), {@code field_errors} (field to list of messages), form values
     * @return a complete HTML document
     */
    String render(String page, Map<String, Object> model);
}
