package dev.gatehouse.examples.diary;

import dev.gatehouse.user.User;
import dev.gatehouse.web.GatehouseWeb;
import java.util.Map;
import java.util.Optional;

/**
 * One request to a diary page or API route, as {@link DiaryHandlers} sees it: what each web stack
 * (Javalin's {@code Context}, a Servlet request and response under Spring MVC) offers the handlers,
 * so that both diaries run the same handler code. An implementation serves one request on one
 * thread; the access rule of the route has already admitted it.
 */
public interface DiaryRequest {

    /** The signed-in user (the route's access rule demands one). */
    User user();

    /** A form field, if sent. */
    Optional<String> formField(String name);

    /** The path parameter {@code {id}}. */
    String id();

    /** The request body as text. */
    String body();

    /** Renders {@code templates/<page>.html} with Gatehouse's layout and page model, with {@code status}. */
    void render(int status, String page, Map<String, ?> model);

    /** A flash message for the next page; {@code message} is a message key. */
    void flash(String category, String message);

    /** The text of {@code key} in the request's language. */
    String text(String key);

    /** A 302 to {@code location}, with no body. */
    void redirect(String location);

    /** Sets a response header. */
    void header(String name, String value);

    /** A JSON answer: {@code status}, {@code Content-Type: application/json}, {@code json}. */
    void json(int status, String json);

    /** The request's method, upper case. */
    String method();

    /** The request's path, as sent (not decoded). */
    String path();

    /** Gatehouse's web layer serving the request (for its routes). */
    GatehouseWeb web();
}
