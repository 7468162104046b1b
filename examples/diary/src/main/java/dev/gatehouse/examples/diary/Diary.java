package dev.gatehouse.examples.diary;

import static dev.gatehouse.request.Mechanism.SESSION;
import static dev.gatehouse.request.Mechanism.TOKEN;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.javalin.Access;
import dev.gatehouse.javalin.GatehouseContext;
import dev.gatehouse.javalin.GatehousePlugin;
import dev.gatehouse.user.User;
import dev.gatehouse.web.GatehouseWeb;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.router.EndpointNotFound;
import java.util.Map;
import java.util.Optional;

/**
 * The diary of the Flask-Security tutorial on Gatehouse and Javalin: signed-in users keep short
 * diary entries; writers see and write their own, admins see, edit and delete everyone's. The
 * account pages (sign-in, registration, password reset and change, sign-out) are Gatehouse's; the
 * diary's own pages use Gatehouse's layout, texts and flash messages.
 *
 * <p>Routes, kept exactly as the tutorial's so the same HTTP checks run against both:
 * {@code GET /}, {@code POST /entries}, {@code GET /entry/{id}}, {@code GET|POST /edit_entry/{id}},
 * {@code POST /delete_entry/{id}}, and the JSON API {@code GET|POST /api/entries}.
 */
public final class Diary implements AutoCloseable {

    public static final String ADMIN = DiarySetup.ADMIN;
    public static final String WRITER = DiarySetup.WRITER;

    private final Javalin app;
    private final GatehousePlugin plugin;

    /** The application, not yet started. */
    public Diary(Gatehouse gatehouse, Entries entries) {
        this.plugin = new GatehousePlugin(gatehouse, DiarySetup.webOptions(gatehouse));
        DiaryHandlers handlers = new DiaryHandlers(gatehouse, entries);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.registerPlugin(plugin);
            cfg.routes.get("/", ctx -> handlers.dashboard(request(ctx)), Access.authenticated());
            cfg.routes.post("/entries", ctx -> handlers.create(request(ctx)), Access.rolesAccepted(WRITER, ADMIN));
            cfg.routes.get("/entry/{id}", ctx -> handlers.view(request(ctx)), Access.authenticated());
            cfg.routes.get("/edit_entry/{id}", ctx -> handlers.editForm(request(ctx)), Access.rolesRequired(ADMIN));
            cfg.routes.post("/edit_entry/{id}", ctx -> handlers.edit(request(ctx)), Access.rolesRequired(ADMIN));
            cfg.routes.post("/delete_entry/{id}", ctx -> handlers.delete(request(ctx)), Access.rolesRequired(ADMIN));
            cfg.routes.get("/api/entries", ctx -> handlers.apiList(request(ctx)), Access.authRequired(TOKEN, SESSION));
            cfg.routes.post("/api/entries", ctx -> handlers.apiCreate(request(ctx)),
                    Access.authRequired(TOKEN, SESSION).and(Access.rolesAccepted(WRITER, ADMIN)));
            // No route for the method and path: the diary's 404 or 405, as on Spring (DiaryHandlers.noRoute).
            cfg.routes.exception(EndpointNotFound.class, (e, ctx) -> handlers.noRoute(request(ctx)));
        });
    }

    /** Starts serving; {@code port} 0 picks a free one. */
    public Diary start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Where Gatehouse's emails go, e.g. {@code files in /home/me/diary/data/mail (...)}. */
    public String mailDestination() {
        return plugin.web().background().mailDestination();
    }

    @Override
    public void close() {
        app.stop();
    }

    /** One Javalin request as the shared handlers see it. */
    private DiaryRequest request(Context ctx) {
        GatehouseContext page = ctx.with(GatehousePlugin.class);
        return new DiaryRequest() {
            @Override
            public User user() {
                return page.user();
            }

            @Override
            public Optional<String> formField(String name) {
                return Optional.ofNullable(ctx.formParam(name));
            }

            @Override
            public String id() {
                return ctx.pathParam("id");
            }

            @Override
            public String body() {
                return ctx.body();
            }

            @Override
            public void render(int status, String template, Map<String, ?> model) {
                ctx.status(status);
                page.render(template, model);
            }

            @Override
            public void flash(String category, String message) {
                page.flash(category, message);
            }

            @Override
            public String text(String key) {
                return page.texts().get(key);
            }

            @Override
            public void redirect(String location) {
                ctx.redirect(location);
            }

            @Override
            public void header(String name, String value) {
                ctx.header(name, value);
            }

            @Override
            public void json(int status, String json) {
                ctx.status(status).contentType("application/json").result(json);
            }

            @Override
            public String method() {
                return ctx.method().name();
            }

            @Override
            public String path() {
                return ctx.path();
            }

            @Override
            public GatehouseWeb web() {
                return plugin.web();
            }
        };
    }
}
