package dev.gatehouse.web;

import dev.gatehouse.user.Identity;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link ContextProcessor} knows about the page being rendered.
 *
 * @param page    the page name, e.g. {@code gatehouse/login} or an application page like {@code dashboard}
 * @param request the request being answered
 * @param user    the signed-in user, or the anonymous user
 * @param locale  the language the page is rendered in
 */
public record PageContext(String page, WebRequest request, Identity user, Locale locale) {

    public PageContext {
        Objects.requireNonNull(page, "page");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(locale, "locale");
    }
}
