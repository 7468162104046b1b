package dev.gatehouse.web;

import java.util.Optional;

/**
 * The parts of an HTTP request Gatehouse reads, implemented once per web framework (Javalin,
 * Servlet). Implementations wrap the framework's request object and do no work up front.
 */
public interface WebRequest {

    /** The method, upper case: {@code GET}, {@code POST}, ... */
    String method();

    /** The request path without the query string, e.g. {@code /login}. */
    String path();

    /** The raw query string without {@code ?}, if any. */
    Optional<String> queryString();

    /** The first value of a header; header names are case-insensitive. */
    Optional<String> header(String name);

    /** The value of a cookie. */
    Optional<String> cookie(String name);

    /** The first value of a query parameter; present but empty for {@code ?flag}. */
    Optional<String> queryParam(String name);

    /** The body as text (UTF-8 unless the request says otherwise); empty when there is none. May be called repeatedly. */
    String body();

    /** The address of the peer that connected (a proxy, if there is one). */
    String remoteAddress();

    /**
     * Whether the connection to this server is TLS (HTTPS). Only the connection: forwarding headers
     * are the web layer's to judge. Adapters that cannot tell answer {@code false}, so nothing that
     * must only go over HTTPS (such as {@code Strict-Transport-Security}) is sent.
     */
    default boolean isSecure() {
        return false;
    }

    /** A per-request attribute set by {@link #attribute(String, Object)}, or {@code null}. */
    Object attribute(String name);

    /** Stores a per-request attribute. */
    void attribute(String name, Object value);
}
