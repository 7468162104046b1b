package dev.gatehouse.examples.diary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.user.User;
import dev.gatehouse.web.WebRoute;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the diary's routes do, independent of the web stack: the Javalin diary ({@link Diary}) and
 * the Spring Boot diary route their requests here, each through its own {@link DiaryRequest}, so
 * both answer alike. Routes and their access rules are each stack's; see {@link Diary}.
 * Thread-safe.
 */
public final class DiaryHandlers {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The diary's routes (method, path), as both stacks declare them: for {@code Allow}. */
    private static final List<String[]> ROUTES = List.of(
            new String[] {"GET", "/"}, new String[] {"POST", "/entries"}, new String[] {"GET", "/entry/{id}"},
            new String[] {"GET", "/edit_entry/{id}"}, new String[] {"POST", "/edit_entry/{id}"},
            new String[] {"POST", "/delete_entry/{id}"}, new String[] {"GET", "/api/entries"},
            new String[] {"POST", "/api/entries"});
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Gatehouse gatehouse;
    private final Entries entries;

    public DiaryHandlers(Gatehouse gatehouse, Entries entries) {
        this.gatehouse = Objects.requireNonNull(gatehouse, "gatehouse");
        this.entries = Objects.requireNonNull(entries, "entries");
    }

    // ------------------------------------------------------------------ pages

    /** {@code GET /}: the user's entries (everyone's for an admin) and, for writers, the form. */
    public void dashboard(DiaryRequest request) {
        User user = request.user();
        boolean admin = user.hasRole(Diary.ADMIN);
        List<Entry> shown = admin ? entries.all() : entries.byUser(user.id());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Entry entry : shown) {
            rows.add(row(entry));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("entries", rows);
        model.put("display_name", user.attributes().getOrDefault("display_name", user.email()));
        model.put("max_length", Entries.MAX_LENGTH);
        model.put("can_write", user.hasRole(Diary.WRITER) || admin);
        request.render(200, "dashboard", model);
    }

    /** {@code POST /entries}. */
    public void create(DiaryRequest request) {
        String content = request.formField("content").map(String::strip).orElse("");
        if (Entries.isValid(content)) {
            entries.add(request.user().id(), content);
            request.flash("success", "DIARY_ENTRY_CREATED");
        } else {
            request.flash("error", "DIARY_ENTRY_INVALID");
        }
        request.redirect("/");
    }

    /** {@code GET /entry/{id}}. */
    public void view(DiaryRequest request) {
        Optional<Entry> entry = entry(request);
        if (entry.isEmpty()) {
            errorPage(request, 404, "NOT_FOUND");
            return;
        }
        User user = request.user();
        // The tutorial's rule: only the author may read an entry, and admins may read all.
        if (entry.get().userId() != user.id() && !user.hasRole(Diary.ADMIN)) {
            errorPage(request, 403, "UNAUTHORIZED");
            return;
        }
        request.render(200, "entry", Map.of("entry", row(entry.get())));
    }

    /** {@code GET /edit_entry/{id}}. */
    public void editForm(DiaryRequest request) {
        Optional<Entry> entry = entry(request);
        if (entry.isEmpty()) {
            errorPage(request, 404, "NOT_FOUND");
            return;
        }
        request.render(200, "edit_entry", Map.of("entry", row(entry.get()), "content", entry.get().content(),
                "max_length", Entries.MAX_LENGTH, "errors", List.of()));
    }

    /** {@code POST /edit_entry/{id}}. */
    public void edit(DiaryRequest request) {
        Optional<Entry> entry = entry(request);
        if (entry.isEmpty()) {
            errorPage(request, 404, "NOT_FOUND");
            return;
        }
        String content = request.formField("content").map(String::strip).orElse("");
        if (!Entries.isValid(content)) {
            request.render(400, "edit_entry", Map.of("entry", row(entry.get()), "content", content,
                    "max_length", Entries.MAX_LENGTH, "errors", List.of(request.text("DIARY_ENTRY_INVALID"))));
            return;
        }
        entries.update(entry.get().id(), content);
        request.flash("success", "DIARY_ENTRY_UPDATED");
        request.redirect("/");
    }

    /** {@code POST /delete_entry/{id}}. */
    public void delete(DiaryRequest request) {
        Optional<Entry> entry = entry(request);
        if (entry.isEmpty() || !entries.delete(entry.get().id())) {
            errorPage(request, 404, "NOT_FOUND");
            return;
        }
        request.flash("success", "DIARY_ENTRY_DELETED");
        request.redirect("/");
    }

    // ------------------------------------------------------------------ JSON API

    /** {@code GET /api/entries}. */
    public void apiList(DiaryRequest request) {
        User user = request.user();
        List<Entry> shown = user.hasRole(Diary.ADMIN) ? entries.all() : entries.byUser(user.id());
        request.json(200, json(Map.of("entries", shown.stream().map(Entry::toJson).toList())));
    }

    /** {@code POST /api/entries}: 201 with the entry and its Location, or 400. */
    public void apiCreate(DiaryRequest request) {
        JsonNode content;
        try {
            content = JSON.readTree(request.body()).path("content");
        } catch (JsonProcessingException e) {
            content = null;
        }
        if (content == null || !content.isTextual() || !Entries.isValid(content.asText().strip())) {
            request.json(400, json(Map.of("error", request.text("DIARY_ENTRY_INVALID"))));
            return;
        }
        Entry entry = entries.add(request.user().id(), content.asText().strip());
        request.header("Location", "/entry/" + entry.id());
        request.json(201, json(entry.toJson()));
    }

    // ------------------------------------------------------------------ no route

    /**
     * A request no route answers, on either stack: 405 with {@code Allow} when the path has routes
     * for other methods (the diary's or Gatehouse's), else 404; Gatehouse's error page either way.
     * Decided here rather than by each framework, whose defaults differ (Javalin: 404 for a wrong
     * method, its own text; Spring: 405, Boot's "Whitelabel" page).
     */
    public void noRoute(DiaryRequest request) {
        SortedSet<String> allowed = new TreeSet<>();
        for (String[] route : ROUTES) {
            if (new WebRoute(route[0], route[1], (q, r) -> { }).matches(request.path())) {
                allowed.add(route[0]);
            }
        }
        request.web().routes().stream().filter(r -> r.matches(request.path())).forEach(r -> allowed.add(r.method()));
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        if (allowed.isEmpty() || allowed.contains(request.method())) {
            errorPage(request, 404, "NOT_FOUND");
            return;
        }
        request.header("Allow", String.join(", ", allowed));
        errorPage(request, 405, "METHOD_NOT_ALLOWED");
    }

    // ------------------------------------------------------------------ shared

    private Optional<Entry> entry(DiaryRequest request) {
        try {
            return entries.find(Long.parseLong(request.id()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Map<String, Object> row(Entry entry) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", entry.id());
        row.put("content", entry.content());
        // HTML's datetime takes at most milliseconds; the page shows minutes anyway.
        row.put("timestamp", entry.timestamp().truncatedTo(ChronoUnit.SECONDS).toString());
        row.put("shown_time", SHOWN.format(entry.timestamp()));
        row.put("author", gatehouse.users().findUserById(entry.userId()).map(User::email).orElse("?"));
        return row;
    }

    private static void errorPage(DiaryRequest request, int status, String messageKey) {
        request.render(status, "gatehouse/error", Map.of("status", status, "message", request.text(messageKey)));
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
