package dev.gatehouse.javalin;

import dev.gatehouse.web.WebRequest;
import io.javalin.http.Context;
import java.util.List;
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

    @Override
    public Optional<String> queryParam(String name) {
        if (ctx.queryString() == null) {
            return Optional.empty();
        }
        List<String> values = ctx.queryParams(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public String body() {
        return ctx.body();
    }

    @Override
    public String remoteAddress() {
        return ctx.req().getRemoteAddr();
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
