package dev.gatehouse.examples.diary;

import static dev.gatehouse.request.Mechanism.SESSION;
import static dev.gatehouse.request.Mechanism.TOKEN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.javalin.Access;
import dev.gatehouse.javalin.GatehouseContext;
import dev.gatehouse.javalin.GatehousePlugin;
import dev.gatehouse.oidc.OidcFeature;
import dev.gatehouse.passkeys.PasskeysFeature;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import dev.gatehouse.web.FieldValidator;
import dev.gatehouse.web.Messages;
import dev.gatehouse.web.RegistrationField;
import dev.gatehouse.web.WebOptions;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    public static final String ADMIN = "Admin";
    public static final String WRITER = "Writer";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Gatehouse gatehouse;
    private final Entries entries;
    private final Javalin app;
    private final GatehousePlugin plugin;

    /** The application, not yet started. */
    public Diary(Gatehouse gatehouse, Entries entries) {
        this.gatehouse = Objects.requireNonNull(gatehouse, "gatehouse");
        this.entries = Objects.requireNonNull(entries, "entries");
        this.plugin = new GatehousePlugin(gatehouse, webOptions(gatehouse));
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.registerPlugin(plugin);
            cfg.routes.get("/", this::dashboard, Access.authenticated());
            cfg.routes.post("/entries", this::create, Access.rolesAccepted(WRITER, ADMIN));
            cfg.routes.get("/entry/{id}", this::view, Access.authenticated());
            cfg.routes.get("/edit_entry/{id}", this::editForm, Access.rolesRequired(ADMIN));
            cfg.routes.post("/edit_entry/{id}", this::edit, Access.rolesRequired(ADMIN));
            cfg.routes.post("/delete_entry/{id}", this::delete, Access.rolesRequired(ADMIN));
            cfg.routes.get("/api/entries", this::apiList, Access.authRequired(TOKEN, SESSION));
            cfg.routes.post("/api/entries", this::apiCreate,
                    Access.authRequired(TOKEN, SESSION).and(Access.rolesAccepted(WRITER, ADMIN)));
        });
    }

    /**
     * What the diary changes in Gatehouse's web layer: its texts (a bundle of its own,
     * in the same three languages), a display name on the registration form, the Writer role for
     * everybody who registers, and {@code is_admin} on every page; sign-in with the providers
     * of {@code oidc-providers}, if any (accounts they create are Writers too); and passkeys when
     * {@code webauthn} is on ({@code GATEHOUSE_WEBAUTHN=true}): the account menu then links the
     * passkey page and the login page offers "Sign in with a passkey". Two-factor sign-in,
     * recovery codes and unified sign-in need no wiring: their settings ({@code GATEHOUSE_TWO_FACTOR=true},
     * ...) mount the pages, and the account menu links each one that is on.
     */
    static WebOptions webOptions(Gatehouse gatehouse) {
        return WebOptions.builder()
                .feature(OidcFeature.fromConfig(gatehouse))
                // Mounted only when webauthn is on; the relying party is external-url's host.
                .feature(new PasskeysFeature())
                // No siteName here: DiaryMain sets site-name, which the core's texts (the SMS code, the
                // authenticator app's issuer) use too, so pages, texts and apps name the same site.
                .messages(Messages.defaults().withBundle("dev.gatehouse.examples.diary.messages", Diary.class.getClassLoader()))
                .registrationField(RegistrationField.of("display_name", "DIARY_LABEL_DISPLAY_NAME",
                        RegistrationField.InputType.TEXT, false, FieldValidator.none()).withAutocomplete("nickname").withMaxLength(60))
                .registrationRoles(WRITER)
                .contextProcessor(page -> Map.of("is_admin", page.user().hasRole(ADMIN)))
                .userPayload(user -> Map.of("id", user.id(), "email", user.email()))
                .build();
    }

    /**
     * Creates the roles and the tutorial's two users when they are missing. The users are made
     * directly through the store with the password hasher, bypassing the password policy as the
     * tutorial does: their passwords are demo passwords, far too weak for real accounts.
     *
     * @return a line for each user created
     */
    public static List<String> seed(Gatehouse gatehouse) {
        gatehouse.users().findOrCreateRole(WRITER);
        gatehouse.users().findOrCreateRole(ADMIN);
        List<String> created = new ArrayList<>();
        seedUser(gatehouse, "admin@example.com", "adminpass", ADMIN).ifPresent(created::add);
        seedUser(gatehouse, "writer@example.com", "writerpass", WRITER).ifPresent(created::add);
        return created;
    }

    private static Optional<String> seedUser(Gatehouse gatehouse, String email, String password, String role) {
        if (gatehouse.users().findUserByEmail(email).isPresent()) {
            return Optional.empty();
        }
        gatehouse.users().createUser(NewUser.builder(email)
                .passwordHash(gatehouse.passwords().hash(password))
                .confirmedAt(gatehouse.clock().instant())
                .roles(role)
                .build());
        return Optional.of("Created the demo user " + email + " (" + role + ") with the password " + password);
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

    // ------------------------------------------------------------------ pages

    private void dashboard(Context ctx) {
        User user = ctx.with(GatehousePlugin.class).user();
        boolean admin = user.hasRole(ADMIN);
        List<Entry> shown = admin ? entries.all() : entries.byUser(user.id());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Entry entry : shown) {
            rows.add(row(entry));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("entries", rows);
        model.put("display_name", user.attributes().getOrDefault("display_name", user.email()));
        model.put("max_length", Entries.MAX_LENGTH);
        model.put("can_write", user.hasRole(WRITER) || admin);
        ctx.with(GatehousePlugin.class).render("dashboard", model);
    }

    private void create(Context ctx) {
        String content = Optional.ofNullable(ctx.formParam("content")).map(String::strip).orElse("");
        if (Entries.isValid(content)) {
            entries.add(ctx.with(GatehousePlugin.class).user().id(), content);
            ctx.with(GatehousePlugin.class).flash("success", "DIARY_ENTRY_CREATED");
        } else {
            ctx.with(GatehousePlugin.class).flash("error", "DIARY_ENTRY_INVALID");
        }
        ctx.redirect("/");
    }

    private void view(Context ctx) {
        Optional<Entry> entry = entry(ctx);
        if (entry.isEmpty()) {
            errorPage(ctx, 404, "NOT_FOUND");
            return;
        }
        User user = ctx.with(GatehousePlugin.class).user();
        // The tutorial's rule: only the author may read an entry, and admins may read all.
        if (entry.get().userId() != user.id() && !user.hasRole(ADMIN)) {
            errorPage(ctx, 403, "UNAUTHORIZED");
            return;
        }
        ctx.with(GatehousePlugin.class).render("entry", Map.of("entry", row(entry.get())));
    }

    private void editForm(Context ctx) {
        Optional<Entry> entry = entry(ctx);
        if (entry.isEmpty()) {
            errorPage(ctx, 404, "NOT_FOUND");
            return;
        }
        ctx.with(GatehousePlugin.class).render("edit_entry", Map.of("entry", row(entry.get()),
                "content", entry.get().content(),
                "max_length", Entries.MAX_LENGTH, "errors", List.of()));
    }

    private void edit(Context ctx) {
        Optional<Entry> entry = entry(ctx);
        if (entry.isEmpty()) {
            errorPage(ctx, 404, "NOT_FOUND");
            return;
        }
        String content = Optional.ofNullable(ctx.formParam("content")).map(String::strip).orElse("");
        if (!Entries.isValid(content)) {
            ctx.status(400);
            GatehouseContext page = ctx.with(GatehousePlugin.class);
            page.render("edit_entry", Map.of("entry", row(entry.get()), "content", content,
                    "max_length", Entries.MAX_LENGTH, "errors", List.of(page.texts().get("DIARY_ENTRY_INVALID"))));
            return;
        }
        entries.update(entry.get().id(), content);
        ctx.with(GatehousePlugin.class).flash("success", "DIARY_ENTRY_UPDATED");
        ctx.redirect("/");
    }

    private void delete(Context ctx) {
        Optional<Entry> entry = entry(ctx);
        if (entry.isEmpty() || !entries.delete(entry.get().id())) {
            errorPage(ctx, 404, "NOT_FOUND");
            return;
        }
        ctx.with(GatehousePlugin.class).flash("success", "DIARY_ENTRY_DELETED");
        ctx.redirect("/");
    }

    // ------------------------------------------------------------------ JSON API

    private void apiList(Context ctx) {
        User user = ctx.with(GatehousePlugin.class).user();
        List<Entry> shown = user.hasRole(ADMIN) ? entries.all() : entries.byUser(user.id());
        json(ctx, 200, Map.of("entries", shown.stream().map(Entry::toJson).toList()));
    }

    private void apiCreate(Context ctx) {
        JsonNode content;
        try {
            content = JSON.readTree(ctx.body()).path("content");
        } catch (IOException e) {
            content = null;
        }
        if (content == null || !content.isTextual() || !Entries.isValid(content.asText().strip())) {
            json(ctx, 400, Map.of("error", ctx.with(GatehousePlugin.class).texts().get("DIARY_ENTRY_INVALID")));
            return;
        }
        Entry entry = entries.add(ctx.with(GatehousePlugin.class).user().id(), content.asText().strip());
        ctx.header("Location", "/entry/" + entry.id());
        json(ctx, 201, entry.toJson());
    }

    // ------------------------------------------------------------------ shared

    private Optional<Entry> entry(Context ctx) {
        try {
            return entries.find(Long.parseLong(ctx.pathParam("id")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Map<String, Object> row(Entry entry) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", entry.id());
        row.put("content", entry.content());
        // HTML's datetime takes at most milliseconds; the page shows minutes anyway.
        row.put("timestamp", entry.timestamp().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        row.put("shown_time", SHOWN.format(entry.timestamp()));
        row.put("author", gatehouse.users().findUserById(entry.userId()).map(User::email).orElse("?"));
        return row;
    }

    private static void errorPage(Context ctx, int status, String messageKey) {
        ctx.status(status);
        GatehouseContext page = ctx.with(GatehousePlugin.class);
        page.render("gatehouse/error", Map.of("status", status, "message", page.texts().get(messageKey)));
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
