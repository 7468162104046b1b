package dev.gatehouse.javalin;

import dev.gatehouse.web.WebResponse;
import io.javalin.http.Context;

/** A Javalin {@link Context} seen as a {@link WebResponse}. */
final class JavalinWebResponse implements WebResponse {

    private final Context ctx;

    JavalinWebResponse(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public void status(int code) {
        ctx.status(code);
    }

    @Override
    public void header(String name, String value) {
        ctx.header(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        ctx.res().addHeader(name, value);
    }

    @Override
    public void body(String contentType, String body) {
        ctx.contentType(contentType).result(body);
    }
}
