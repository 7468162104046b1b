package dev.gatehouse.examples.diary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The diary's HTTP contract — the tutorial's routes, statuses and JSON shapes — through a real
 * server and HTTP client. Runs on H2 ({@link H2DiaryTest}) and PostgreSQL ({@link PostgresDiaryTest}),
 * against the Javalin diary here and the Spring Boot diary in examples/diary-spring (their subclasses).
 */
abstract class DiaryContract {

    /** The running diary of the concrete class. */
    abstract TestDiary diary();

    private static long idFrom(String location) {
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    /**
     * Writes through the API (to learn the id) as the token's user, from an API client that holds
     * no session cookie: a request that carries one is held to the session's CSRF rule.
     */
    private long write(String token, String content) {
        HttpSession.Reply created = diary().client().postJson("/api/entries", Map.of("content", content),
                "Authentication-Token", token);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asLong();
    }

    // ------------------------------------------------------------------ pages

    @Test
    void the_dashboard_needs_a_signed_in_user_and_sends_others_to_sign_in_and_back() {
        HttpSession.Reply reply = diary().client().get("/");

        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("Location")).isEqualTo("/login?next=%2F");
    }

    @Test
    void registration_makes_a_writer_who_signs_in_and_is_greeted_by_the_name_given() {
        HttpSession session = diary().client();
        String email = TestDiary.email("register");

        HttpSession.Reply reply = session.register(email, TestDiary.PASSWORD, "Rosa");

        // Generic responses (the default): the answer does not tell a new address from a taken one,
        // so nobody is signed in yet.
        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("Location")).isEqualTo("/login");
        assertThat(session.get("/login").body()).contains("Thank you for registering. We have sent you an email; you can now sign in.");
        assertThat(session.login(email, TestDiary.PASSWORD).header("Location")).isEqualTo("/");
        HttpSession.Reply dashboard = session.get("/");
        assertThat(dashboard.status()).isEqualTo(200);
        assertThat(dashboard.body()).contains("Hello, Rosa!").contains("<form method=\"post\" action=\"/entries\">");
        assertThat(diary().running.gatehouse().users().findUserByEmail(email).orElseThrow().hasRole(Diary.WRITER)).isTrue();
        assertThat(diary().mail(email, 1)).contains("Subject: Welcome").contains("Your account has been created.");
    }

    @Test
    void a_new_entry_redirects_to_the_dashboard_which_lists_only_mine_newest_first() {
        HttpSession ann = diary().newWriter("ann");
        HttpSession bob = diary().newWriter("bob");
        bob.write("Bob's secret");

        HttpSession.Reply first = ann.write("First entry");
        ann.write("Second entry");

        assertThat(first.status()).isEqualTo(302);
        assertThat(first.header("Location")).isEqualTo("/");
        String dashboard = ann.get("/").body();
        assertThat(dashboard).contains("Your entry is saved.").doesNotContain("Bob&#39;s secret").doesNotContain("Bob's secret");
        assertThat(dashboard.indexOf("Second entry")).isPositive().isLessThan(dashboard.indexOf("First entry"));
    }

    @Test
    void content_is_escaped_and_checked_for_length_counting_characters_not_bytes() {
        HttpSession writer = diary().newWriter("lengths");

        writer.write("<script>alert(1)</script>");
        writer.write("é".repeat(280));
        writer.write("😀".repeat(280));
        HttpSession.Reply tooLong = writer.write("x".repeat(281));
        HttpSession.Reply empty = writer.write("   ");

        assertThat(tooLong.header("Location")).isEqualTo("/");
        assertThat(empty.header("Location")).isEqualTo("/");
        String dashboard = writer.get("/").body();
        assertThat(dashboard).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)")
                .contains("é".repeat(280)).contains("😀".repeat(280)).doesNotContain("x".repeat(281))
                .contains("An entry needs 1 to 280 characters.");
    }

    @Test
    void an_entry_is_shown_to_its_author_and_admins_and_refused_to_other_writers() {
        HttpSession author = diary().newWriter("author");
        String token = author.token(lastEmail(author), TestDiary.PASSWORD);
        long id = write(token, "Only for me");

        assertThat(author.get("/entry/" + id).status()).isEqualTo(200);
        assertThat(author.get("/entry/" + id).body()).contains("Only for me");
        HttpSession.Reply other = diary().newWriter("other").get("/entry/" + id);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body()).doesNotContain("Only for me").contains("You do not have permission to view this resource.");
        assertThat(diary().admin().get("/entry/" + id).body()).contains("Only for me");
        assertThat(author.get("/entry/999999999").status()).isEqualTo(404);
        assertThat(author.get("/entry/abc").status()).isEqualTo(404);
        assertThat(diary().client().get("/entry/" + id).status()).isEqualTo(302);
    }

    @Test
    void only_admins_edit_and_delete_and_each_post_redirects_to_the_dashboard() {
        HttpSession author = diary().newWriter("edited");
        String token = author.token(lastEmail(author), TestDiary.PASSWORD);
        long id = write(token, "Before");
        HttpSession admin = diary().admin();

        assertThat(author.get("/edit_entry/" + id).status()).isEqualTo(403);
        assertThat(author.postForm("/edit_entry/" + id, Map.of("content", "Hacked", "csrf_token", author.get("/").csrf()))
                .status()).isEqualTo(403);
        assertThat(author.postForm("/delete_entry/" + id, Map.of("csrf_token", author.get("/").csrf())).status()).isEqualTo(403);

        HttpSession.Reply form = admin.get("/edit_entry/" + id);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains(">Before</textarea>");
        HttpSession.Reply invalid = admin.postForm("/edit_entry/" + id, Map.of("content", "", "csrf_token", form.csrf()));
        assertThat(invalid.status()).isEqualTo(400);
        HttpSession.Reply edited = admin.postForm("/edit_entry/" + id, Map.of("content", "After", "csrf_token", form.csrf()));
        assertThat(edited.status()).isEqualTo(302);
        assertThat(edited.header("Location")).isEqualTo("/");
        assertThat(author.get("/entry/" + id).body()).contains("After").doesNotContain("Before");

        HttpSession.Reply deleted = admin.postForm("/delete_entry/" + id, Map.of("csrf_token", form.csrf()));
        assertThat(deleted.status()).isEqualTo(302);
        assertThat(deleted.header("Location")).isEqualTo("/");
        assertThat(author.get("/entry/" + id).status()).isEqualTo(404);
        assertThat(admin.get("/edit_entry/" + id).status()).isEqualTo(404);
        assertThat(admin.postForm("/delete_entry/" + id, Map.of("csrf_token", form.csrf())).status()).isEqualTo(404);
    }

    /** The two-factor pages are off by default: not linked, not served (DiaryTwoFactorBrowserTest has them on). */
    @Test
    void the_account_menu_links_no_second_factor_page_while_two_factor_is_off() {
        HttpSession writer = diary().newWriter("menu");

        String dashboard = writer.get("/").body();

        assertThat(dashboard).contains("href=\"/change\"").doesNotContain("href=\"/tf-setup\"")
                .doesNotContain("href=\"/mf-recovery-codes\"").doesNotContain("href=\"/us-setup\"")
                .doesNotContain("href=\"/wan-register\"");
        assertThat(writer.get("/tf-setup").status()).isEqualTo(404);
    }

    @Test
    void forms_without_the_csrf_token_are_refused() {
        HttpSession writer = diary().newWriter("csrf");

        assertThat(writer.postForm("/entries", Map.of("content", "No token")).status()).isEqualTo(400);
        assertThat(writer.get("/").body()).doesNotContain("No token");
    }

    @Test
    void the_seeded_admin_sees_everyones_entries_with_their_authors() {
        HttpSession writer = diary().signedIn("writer@example.com", "writerpass");
        writer.write("Seeded writer's note");

        String dashboard = diary().admin().get("/").body();

        assertThat(dashboard).contains("All diary entries").contains("Seeded writer&#39;s note").contains("by writer@example.com")
                .contains("href=\"/edit_entry/");
    }

    // ------------------------------------------------------------------ JSON API

    @Test
    void the_api_lists_the_users_own_entries_by_token_in_the_tutorials_shape() {
        HttpSession ann = diary().newWriter("api-ann");
        String email = lastEmail(ann);
        String token = ann.token(email, TestDiary.PASSWORD);
        long first = write(token, "API one");
        long second = write(token, "API two");
        diary().newWriter("api-bob").write("Not Ann's");

        HttpSession.Reply list = diary().client().getJson("/api/entries", "Authentication-Token", token);

        assertThat(list.status()).isEqualTo(200);
        JsonNode entries = list.json().path("entries");
        assertThat(entries.size()).isEqualTo(2);
        assertThat(entries.get(0).path("id").asLong()).isEqualTo(second);
        assertThat(entries.get(1).path("id").asLong()).isEqualTo(first);
        JsonNode entry = entries.get(1);
        assertThat(entry.path("id").isIntegralNumber()).isTrue();
        assertThat(entry.path("content").asText()).isEqualTo("API one");
        assertThat(Instant.parse(entry.path("timestamp").asText())).isBeforeOrEqualTo(Instant.now());
        long userId = diary().running.gatehouse().users().findUserByEmail(email).orElseThrow().id();
        assertThat(entry.path("user_id").asLong()).isEqualTo(userId);
        List<String> fields = new ArrayList<>();
        entry.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "content", "timestamp", "user_id");
    }

    /** Issue 10, defect 6: the authenticated JSON API is neither stored by caches nor sniffed into another type. */
    @Test
    void the_api_is_not_cacheable_and_not_sniffable() {
        HttpSession writer = diary().newWriter("api-headers");
        String token = writer.token(lastEmail(writer), TestDiary.PASSWORD);

        HttpSession.Reply list = diary().client().getJson("/api/entries", "Authentication-Token", token);
        HttpSession.Reply anonymous = diary().client().getJson("/api/entries");

        assertThat(list.status()).isEqualTo(200);
        for (HttpSession.Reply reply : List.of(list, anonymous)) {
            assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
            assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }

    @Test
    void the_api_shows_admins_every_entry_and_accepts_the_session_cookie() {
        HttpSession writer = diary().newWriter("api-writer");
        writer.write("Seen by the admin");

        HttpSession.Reply list = diary().admin().getJson("/api/entries");

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("entries").findValuesAsText("content")).contains("Seen by the admin");
    }

    @Test
    void the_api_creates_entries_with_201_and_refuses_missing_empty_or_long_content_with_400() {
        HttpSession writer = diary().newWriter("api-create");
        String token = writer.token(lastEmail(writer), TestDiary.PASSWORD);
        HttpSession api = diary().client();

        HttpSession.Reply created = api.postJson("/api/entries", Map.of("content", "Hello API"), "Authentication-Token", token);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("content").asText()).isEqualTo("Hello API");
        assertThat(created.header("Location")).isEqualTo("/entry/" + created.json().path("id").asLong());
        assertThat(api.postJson("/api/entries", Map.of("content", "ü".repeat(280)), "Authentication-Token", token).status())
                .isEqualTo(201);

        for (Object body : List.of(Map.of(), Map.of("content", ""), Map.of("content", "  "), Map.of("content", "x".repeat(281)),
                Map.of("content", 42), List.of("content"))) {
            HttpSession.Reply refused = api.postJson("/api/entries", body, "Authentication-Token", token);
            assertThat(refused.status()).as("%s", body).isEqualTo(400);
            assertThat(refused.json().path("error").asText()).isEqualTo("An entry needs 1 to 280 characters.");
        }
        HttpSession.Reply malformed = api.postRaw("/api/entries", "application/json", "{not json", "Authentication-Token", token,
                "Accept", "application/json");
        assertThat(malformed.status()).isEqualTo(400);
        HttpSession.Reply german = api.postJson("/api/entries", Map.of(), "Authentication-Token", token, "Accept-Language", "de");
        assertThat(german.json().path("error").asText()).isEqualTo("Ein Eintrag braucht 1 bis 280 Zeichen.");
    }

    @Test
    void the_api_wants_authentication_and_a_csrf_token_with_the_session_cookie() {
        HttpSession.Reply anonymous = diary().client().getJson("/api/entries");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().path("response").path("errors").get(0).asText())
                .isEqualTo("You are not authenticated. Please supply the correct credentials.");

        HttpSession writer = diary().newWriter("api-csrf");
        assertThat(writer.postJson("/api/entries", Map.of("content", "no token")).status()).isEqualTo(400);
        HttpSession.Reply withToken = writer.postJson("/api/entries", Map.of("content", "with token"),
                "X-CSRF-Token", writer.get("/").csrf());
        assertThat(withToken.status()).isEqualTo(201);
    }

    /** The email a session registered with, from the greeting's account header. */
    private static String lastEmail(HttpSession session) {
        String page = session.get("/").body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Signed in as ([^<]+)</span>").matcher(page);
        if (!m.find()) {
            throw new AssertionError("no signed-in user on " + page);
        }
        return m.group(1);
    }
}
