package dev.gatehouse.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request and response held in memory, as an adapter presents them to the web layer: for the
 * fuzz tests, which drive {@link GatehouseWeb} many thousand times a second without a server.
 */
final class InProcessExchange {

    private InProcessExchange() {
    }

    /** A request whose parts a test sets; the query string is parsed as a framework would. */
    static final class Request implements WebRequest {
        String method = "GET";
        String path = "/";
        String query;
        final Map<String, String> headers = new HashMap<>();
        final Map<String, String> cookies = new HashMap<>();
        String body = "";
        String remoteAddress = "192.0.2.10";
        private final Map<String, Object> attributes = new HashMap<>();

        Request header(String name, String value) {
            if (!value.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), value);
            }
            return this;
        }

        /** Sets the cookies of a {@code Cookie} header ({@code a=1; b=2}); the first of a name wins. */
        Request cookieHeader(String header) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.putIfAbsent(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                }
            }
            return this;
        }

        /** A fresh copy, without the attributes (the per-request state) of this one. */
        Request copy() {
            Request copy = new Request();
            copy.method = method;
            copy.path = path;
            copy.query = query;
            copy.headers.putAll(headers);
            copy.cookies.putAll(cookies);
            copy.body = body;
            copy.remoteAddress = remoteAddress;
            return copy;
        }

        @Override public String method() { return method; }
        @Override public String path() { return path; }
        @Override public Optional<String> queryString() { return Optional.ofNullable(query); }
        @Override public Optional<String> header(String name) { return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT))); }
        @Override public Optional<String> cookie(String name) { return Optional.ofNullable(cookies.get(name)); }
        @Override public String body() { return body; }
        @Override public String remoteAddress() { return remoteAddress; }
        @Override public Object attribute(String name) { return attributes.get(name); }
        @Override public void attribute(String name, Object value) { attributes.put(name, value); }

        @Override
        public Optional<String> queryParam(String name) {
            return QueryString.parameter(query, name);
        }
    }

    /** Records what the web layer wrote. */
    static final class Response implements WebResponse {
        int status = 200;
        final Map<String, List<String>> headers = new HashMap<>();
        String contentType;
        String body = "";

        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        /** The cookies the response sets (name to value), the last of a name winning. */
        Map<String, String> cookiesSet() {
            Map<String, String> set = new HashMap<>();
            for (String cookie : headers.getOrDefault("set-cookie", List.of())) {
                String pair = cookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                set.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            return set;
        }

        @Override public void status(int code) { status = code; }
        @Override public void header(String name, String value) { headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(List.of(value))); }
        @Override public void addHeader(String name, String value) { headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value); }
        @Override public void body(String contentType, String body) { this.contentType = contentType; this.body = body; }
    }
}
