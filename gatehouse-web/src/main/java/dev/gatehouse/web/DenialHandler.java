package dev.gatehouse.web;

/**
 * Answers a refused request: Flask-Identity's {@code unauthenticated_handler} and
 * {@code unauthorized_handler}. Must write a complete response.
 */
@FunctionalInterface
public interface DenialHandler {

    void handle(Denial denial, WebRequest request, WebResponse response);
}
