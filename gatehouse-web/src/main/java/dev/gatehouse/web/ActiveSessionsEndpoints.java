package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.SESSIONS_URL;

import dev.gatehouse.session.Authentication;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.session.SignIn;
import dev.gatehouse.user.User;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a user is signed in ({@code session-management}, ASVS 7.5.2): {@code GET {sessions-url}}
 * lists the user's sign-ins that can still authenticate — sessions, remember-me grants, refresh
 * tokens, one entry per sign-in — and {@code POST {sessions-url}/end} ends one of them
 * ({@code id}: its handle), every other one ({@code all_others}) or all ({@code all}). Both need
 * a fresh authentication and the session's CSRF token.
 *
 * <p>A sign-in is named by an opaque handle, a MAC of its family id: it reveals neither the
 * cookie, nor its digest, nor the family id (which binds the CSRF token), and a handle of another
 * user's sign-in matches nothing of this user's, so it ends nothing (404).
 */
final class ActiveSessionsEndpoints extends FlowEndpoints {

    static final String ALL_OTHERS = "all_others";
    static final String ALL = "all";
    private static final String HANDLE_PURPOSE = "session-handle";
    private static final DateTimeFormatter PAGE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    ActiveSessionsEndpoints(WebToolkit web) {
        super(web);
    }


    @Override
    List<WebRoute> endpoints() {
        String path = url(config.get(SESSIONS_URL));
        return List.of(new WebRoute("GET", path, this::list), new WebRoute("POST", path + "/end", this::end),
                new WebRoute("GET", path + "/end", this::backToList));
    }

    /**
     * A browser whose session went stale while the list was open is sent to re-authenticate with
     * {@code next} set to the POST's path; after that it lands here and goes back to the list.
     */
    private void backToList(WebRequest request, WebResponse response) {
        web.redirect(Exchange.of(web, request, response), url(config.get(SESSIONS_URL)));
    }

    private void list(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!signedIn(x, true)) {
            return;
        }
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("sessions", entries(x));
            web.json(x, 200, body);
        } else {
            showPage(x);
        }
    }

    private void end(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !signedIn(x, true)) {
            return;
        }
        Authentication auth = x.authentication.orElseThrow();
        User user = auth.user();
        String id = text(x, "id");
        if (id.isEmpty()) {
            fail(x, 400, "SESSION_ID_REQUIRED", "id");
            return;
        }
        Optional<String> current = currentFamily(x);
        List<SignIn> signIns = web.gatehouse.sessions().signIns(user);
        List<String> ending = new ArrayList<>();
        if (id.equals(ALL) || id.equals(ALL_OTHERS)) {
            signIns.stream().map(SignIn::familyId)
                    .filter(f -> id.equals(ALL) || current.filter(f::equals).isEmpty())
                    .forEach(ending::add);
        } else {
            signIns.stream().map(SignIn::familyId)
                    .filter(f -> web.gatehouse.tokens().verifyMac(HANDLE_PURPOSE, f, id))
                    .findFirst().ifPresent(ending::add);
            if (ending.isEmpty()) {
                fail(x, 404, "SESSION_NOT_FOUND", "id");
                return;
            }
        }
        int ended = 0;
        for (String family : ending) {
            ended += web.gatehouse.sessions().endSignIn(user.id(), family) > 0 ? 1 : 0;
        }
        boolean endedOwn = current.filter(ending::contains).isPresent();
        if (endedOwn) {
            web.logout(x.request, x.response);
        }
        if (x.wantsJson()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ended", ended);
            if (!endedOwn) {
                body.put("sessions", entries(x));
            }
            web.json(x, 200, body);
        } else if (endedOwn) {
            done(x, "info", "LOGOUT_DONE", url(config.get(LOGIN_URL)));
        } else {
            done(x, "success", x.text("SESSIONS_ENDED", Map.of("count", ended)), url(config.get(SESSIONS_URL)));
        }
    }

    /** The family of the session this request authenticated with; empty for token and Basic requests. */
    private static Optional<String> currentFamily(Exchange x) {
        return x.authentication.flatMap(Authentication::session).map(SessionRecord::familyId);
    }

    private List<Map<String, Object>> entries(Exchange x) {
        Optional<String> current = currentFamily(x);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (SignIn signIn : web.gatehouse.sessions().signIns(x.authentication.orElseThrow().user())) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", web.gatehouse.tokens().mac(HANDLE_PURPOSE, signIn.familyId()));
            entry.put("kind", signIn.kind().name().toLowerCase(Locale.ROOT));
            entry.put("created_at", signIn.createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
            entry.put("last_used_at", signIn.lastUsedAt().truncatedTo(ChronoUnit.SECONDS).toString());
            entry.put("ip", signIn.ip().orElse(null));
            entry.put("user_agent", signIn.userAgent().orElse(null));
            entry.put("current", current.filter(signIn.familyId()::equals).isPresent());
            entries.add(entry);
        }
        return entries;
    }

    private void showPage(Exchange x) {
        Map<String, Object> model = formModel(x, url(config.get(SESSIONS_URL)) + "/end", List.of(), Map.of());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> entry : entries(x)) {
            Map<String, Object> row = new LinkedHashMap<>(entry);
            row.put("created_at", PAGE_TIME.format(Instant.parse((String) entry.get("created_at"))));
            row.put("last_used_at", PAGE_TIME.format(Instant.parse((String) entry.get("last_used_at"))));
            row.put("kind_text", x.text("TEXT_SESSION_KIND_" + entry.get("kind").toString().toUpperCase(Locale.ROOT)));
            rows.add(row);
        }
        model.put("sessions", rows);
        web.page(x, 200, "sessions", model);
    }
}
