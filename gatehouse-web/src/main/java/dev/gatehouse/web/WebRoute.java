package dev.gatehouse.web;

/**
 * An endpoint Gatehouse serves (login, logout, ...): a framework adapter mounts each one.
 *
 * @param method  HTTP method, upper case
 * @param path    the path, including any configured prefix
 * @param handler what answers it
 */
public record WebRoute(String method, String path, Handler handler) {

    /**
     * Whether {@code requestPath} is this route's path, a {@code {name}} segment standing for any
     * one non-empty segment ({@code /reset/{token}} matches {@code /reset/abc}, not {@code /reset/}).
     */
    public boolean matches(String requestPath) {
        if (path.indexOf('{') < 0) {
            return path.equals(requestPath);
        }
        String[] expected = path.split("/", -1);
        String[] actual = requestPath.split("/", -1);
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            boolean parameter = expected[i].startsWith("{") && expected[i].endsWith("}");
            if (parameter ? actual[i].isEmpty() : !expected[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }

    /** Answers a request to a Gatehouse endpoint. */
    @FunctionalInterface
    public interface Handler {
        void handle(WebRequest request, WebResponse response);
    }
}
