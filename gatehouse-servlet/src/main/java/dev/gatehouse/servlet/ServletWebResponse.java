package dev.gatehouse.servlet;

import dev.gatehouse.web.WebResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * An {@link HttpServletResponse} seen as a {@link WebResponse}. The body is kept until
 * {@link #finish()}, as Javalin keeps a result until the handler returns, so headers and cookies
 * set after it still go out; a {@code HEAD} request gets the headers and length only.
 */
final class ServletWebResponse implements WebResponse {

    private final HttpServletResponse response;
    private final boolean head;
    private byte[] body;

    ServletWebResponse(HttpServletResponse response, boolean head) {
        this.response = response;
        this.head = head;
    }

    @Override
    public void status(int code) {
        response.setStatus(code);
    }

    /** The status set so far (200 unless set). */
    int status() {
        return response.getStatus();
    }

    @Override
    public void header(String name, String value) {
        response.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        response.addHeader(name, value);
    }

    /** Sent as UTF-8 bytes, the content type exactly as given (no charset added by the container). */
    @Override
    public void body(String contentType, String text) {
        response.setContentType(contentType);
        body = text.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes a body set by {@link #body} and not yet written. */
    void finish() {
        if (body == null) {
            return;
        }
        byte[] bytes = body;
        body = null;
        response.setContentLength(bytes.length);
        if (!head) {
            try {
                response.getOutputStream().write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
