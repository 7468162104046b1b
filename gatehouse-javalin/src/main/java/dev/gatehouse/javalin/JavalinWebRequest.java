package dev.gatehouse.javalin;

import dev.gatehouse.web.QueryString;
import dev.gatehouse.web.RequestCharset;
import dev.gatehouse.web.WebRequest;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** A Javalin {@link Context} seen as a {@link WebRequest}. */
final class JavalinWebRequest implements WebRequest {

    private final Context ctx;

    JavalinWebRequest(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public String method() {
        // What Javalin routes by (it honours X-HTTP-Method-Override), so checks match dispatch.
        return ctx.method().name();
    }

    @Override
    public String path() {
        return ctx.path();
    }

    @Override
    public Optional<String> queryString() {
        return Optional.ofNullable(ctx.queryString());
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(ctx.header(name));
    }

    @Override
    public Optional<String> cookie(String name) {
        return Optional.ofNullable(ctx.cookie(name));
    }

    /**
     * Read here rather than by {@code ctx.queryParams}: Javalin decodes the query with the body's
     * charset from {@code Content-Type} and throws on an unknown one or a malformed escape. A query
     * string is percent-encoded UTF-8 whatever the body is; a malformed pair counts as absent.
     */
    @Override
    public Optional<String> queryParam(String name) {
        return QueryString.parameter(ctx.queryString(), name);
    }

    /** Decoded here: {@code ctx.body()} throws on a charset the JVM does not know (the web layer refuses those with 415). */
    @Override
    public String body() {
        return new String(ctx.bodyAsBytes(), RequestCharset.of(header("Content-Type")).orElse(StandardCharsets.UTF_8));
    }

    @Override
    public String remoteAddress() {
        return ctx.req().getRemoteAddr();
    }

    @Override
    public boolean isSecure() {
        return ctx.req().isSecure();
    }

    @Override
    public Object attribute(String name) {
        return ctx.attribute(name);
    }

    @Override
    public void attribute(String name, Object value) {
        ctx.attribute(name, value);
    }
}
