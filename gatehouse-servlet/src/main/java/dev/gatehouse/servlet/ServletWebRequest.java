package dev.gatehouse.servlet;

import dev.gatehouse.web.QueryString;
import dev.gatehouse.web.RequestCharset;
import dev.gatehouse.web.WebRequest;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An {@link HttpServletRequest} seen as a {@link WebRequest}; one per request (the filter keeps it
 * in a request attribute), since the body can be read from the container only once.
 */
final class ServletWebRequest implements WebRequest {

    private final HttpServletRequest request;
    private byte[] body;

    ServletWebRequest(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    /**
     * The path as the browser sees it (with the context path), decoded and normalised by the
     * container as it was for choosing the servlet, so a rule's path is the dispatched one
     * ({@code /a/../admin}, {@code /admin;x} and {@code /%61dmin} are all {@code /admin}).
     */
    @Override
    public String path() {
        return request.getContextPath() + pathInContext(request);
    }

    /** The path below the context path, normalised: what servlet mappings match. */
    static String pathInContext(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return request.getServletPath() + (pathInfo == null ? "" : pathInfo);
    }

    @Override
    public Optional<String> queryString() {
        return Optional.ofNullable(request.getQueryString());
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeader(name));
    }

    @Override
    public Optional<String> cookie(String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (cookie.getName().equals(name)) {
                    return Optional.of(cookie.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /** Read from the raw query, always UTF-8, as the Javalin adapter does: never the container's parameters, which read the body. */
    @Override
    public Optional<String> queryParam(String name) {
        return QueryString.parameter(request.getQueryString(), name);
    }

    /** Read once from the input stream and kept; {@link #bodyBytes()} hands it on to the application. */
    @Override
    public String body() {
        return new String(bodyBytes(), RequestCharset.of(header("Content-Type")).orElse(StandardCharsets.UTF_8));
    }

    byte[] bodyBytes() {
        if (body == null) {
            try {
                body = request.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return body;
    }

    /** Whether {@link #body()} has consumed the container's input stream. */
    boolean bodyRead() {
        return body != null;
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }

    @Override
    public boolean isSecure() {
        return request.isSecure();
    }

    @Override
    public Object attribute(String name) {
        return request.getAttribute(name);
    }

    @Override
    public void attribute(String name, Object value) {
        request.setAttribute(name, value);
    }
}
