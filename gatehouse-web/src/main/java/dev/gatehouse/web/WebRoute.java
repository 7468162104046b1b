package dev.gatehouse.web;

/**
 * An endpoint Gatehouse serves (login, logout, ...): a framework adapter mounts each one.
 *
 * @param method  HTTP method, upper case
 * @param path    the path, including any configured prefix
 * @param handler what answers it
 */
public record WebRoute(String method, String path, Handler handler) {

    /** Answers a request to a Gatehouse endpoint. */
    @FunctionalInterface
    public interface Handler {
        void handle(WebRequest request, WebResponse response);
    }
}
