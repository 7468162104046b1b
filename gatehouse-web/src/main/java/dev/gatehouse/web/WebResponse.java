package dev.gatehouse.web;

/**
 * The parts of an HTTP response Gatehouse writes, implemented once per web framework.
 */
public interface WebResponse {

    /** Sets the status code. */
    void status(int code);

    /** Sets a header, replacing earlier values. */
    void header(String name, String value);

    /** Adds a header value, keeping earlier ones (for {@code Set-Cookie}). */
    void addHeader(String name, String value);

    /** Sets the body and its content type, e.g. {@code application/json}. */
    void body(String contentType, String body);
}
