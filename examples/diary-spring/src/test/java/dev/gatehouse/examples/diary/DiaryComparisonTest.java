package dev.gatehouse.examples.diary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The two diaries side by side: the same request, from a client of its own, to the Javalin diary
 * and to the Spring Boot diary (both on H2, both started once for the class) gets the same status,
 * the same relevant headers — {@code Location}, {@code Allow}, {@code Content-Type}, the security
 * headers, each {@code Set-Cookie}'s name and attributes — and the same body once the values that
 * differ by nature (CSRF and API tokens, signed cookie values, times) are masked. Both diaries
 * receive the same requests in the same order, so ids agree too.
 *
 * <p>Differences, deliberately not compared:
 * <ul>
 *   <li>the reason phrase ({@code 302 Found} on Jetty, {@code 302} on Tomcat, which sends none,
 *       as HTTP/1.1 allows): not visible to {@code java.net.http} anyway;</li>
 *   <li>{@code Content-Type} and {@code Content-Length} of bodiless answers (redirects, {@code HEAD}):
 *       Javalin names {@code text/plain} and length 0, Tomcat names neither; there is no body to type;</li>
 *   <li>{@code Date}, and the order of headers.</li>
 * </ul>
 * {@code HEAD} of Gatehouse's own pages, once answered differently, is alike now (see
 * {@link #head_of_a_gatehouse_page_is_its_get_without_a_body_on_both_stacks}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiaryComparisonTest {

    /** Compared when either diary sends them. */
    private static final List<String> HEADERS = List.of("Location", "Allow", "Cache-Control", "X-Content-Type-Options",
            "Content-Language", "Vary", "Referrer-Policy", "Content-Security-Policy", "Retry-After");

    private TestDiary javalin;
    private TestDiary spring;

    @BeforeAll
    void start() {
        javalin = TestDiary.start(TestDiary.JAVALIN, Map.of());
        spring = TestDiary.start(SpringDiaries.SPRING, Map.of());
    }

    @AfterAll
    void stop() {
        try {
            javalin.close();
        } finally {
            spring.close();
        }
    }

    @Test
    void the_dashboard_sends_an_anonymous_browser_to_sign_in() {
        assertAlike(diary -> diary.client().get("/"));
        assertAlike(diary -> diary.client().getJson("/"));
    }

    @Test
    void head_of_the_dashboard_is_its_get_without_a_body() {
        HttpSession.Reply reply = assertAlike(diary -> diary.client().send("HEAD", "/"));
        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.body()).isEmpty();
    }

    /**
     * {@code HEAD} of one of Gatehouse's own pages is its {@code GET} without the body on both
     * stacks: the Servlet filter looks HEAD up as GET, and gatehouse-javalin gives each of
     * Gatehouse's GET routes a HEAD twin (Javalin alone would answer a bare {@code 200 text/plain}
     * without the security headers).
     */
    @Test
    void head_of_a_gatehouse_page_is_its_get_without_a_body_on_both_stacks() {
        HttpSession.Reply head = assertAlike(diary -> diary.client().send("HEAD", "/login"));
        HttpSession.Reply get = spring.client().get("/login");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Cache-Control")).isEqualTo("no-store");
        assertThat(head.header("Content-Security-Policy")).isNotNull();
        HttpSession.Reply javalinHead = javalin.client().send("HEAD", "/login");
        assertThat(javalinHead.header("Content-Type")).isEqualTo(head.header("Content-Type"))
                .isEqualTo(get.header("Content-Type")).startsWith("text/html");
    }

    @Test
    void the_sign_in_page_and_its_json() {
        assertThat(assertAlike(diary -> diary.client().get("/login")).body()).contains("<form");
        assertAlike(diary -> diary.client().getJson("/login"));
    }

    @Test
    void an_unknown_path_is_a_404_page() {
        assertThat(assertAlike(diary -> diary.client().get("/no/such/page")).status()).isEqualTo(404);
        assertAlike(diary -> diary.client().getJson("/no/such/page"));
        assertAlike(diary -> diary.client().send("HEAD", "/no/such/page"));
    }

    @Test
    void a_method_a_path_has_no_route_for_is_a_405_with_allow() {
        HttpSession.Reply put = assertAlike(diary -> diary.client().send("PUT", "/"));
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(assertAlike(diary -> diary.client().send("DELETE", "/api/entries")).header("Allow")).isEqualTo("GET, HEAD, POST");
        // Gatehouse's own paths too.
        assertThat(assertAlike(diary -> diary.client().send("PUT", "/login")).status()).isEqualTo(405);
    }

    @Test
    void a_form_without_its_csrf_token_is_refused() {
        HttpSession.Reply entry = assertAlike(diary -> diary.signedIn("writer@example.com", "writerpass")
                .postForm("/entries", Map.of("content", "no token")));
        assertThat(entry.status()).isEqualTo(400);
        assertAlike(diary -> diary.client().postForm("/login", Map.of("email", "writer@example.com", "password", "writerpass")));
    }

    @Test
    void json_sign_in_with_and_without_the_right_password() {
        HttpSession.Reply good = assertAlike(diary -> jsonLogin(diary, "writerpass"));
        assertThat(good.status()).isEqualTo(200);
        assertThat(good.json().path("response").path("user").path("email").asText()).isEqualTo("writer@example.com");
        assertThat(assertAlike(diary -> jsonLogin(diary, "wrong password")).status()).isEqualTo(400);
    }

    @Test
    void the_api_by_token_writes_and_lists_entries() {
        HttpSession.Reply created = assertAlike(diary -> diary.client().postJson("/api/entries",
                Map.of("content", "Both stacks wrote this"), "Authentication-Token", token(diary)));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).startsWith("/entry/");
        HttpSession.Reply listed = assertAlike(diary -> diary.client().getJson("/api/entries", "Authentication-Token", token(diary)));
        assertThat(listed.body()).contains("Both stacks wrote this");
        assertAlike(diary -> diary.client().postJson("/api/entries", Map.of("content", ""), "Authentication-Token", token(diary)));
        assertAlike(diary -> diary.client().getJson("/api/entries"));
    }

    @Test
    void pages_of_a_signed_in_writer_and_admin() {
        assertAlike(diary -> diary.signedIn("writer@example.com", "writerpass").get("/"));
        assertAlike(diary -> diary.signedIn("writer@example.com", "writerpass").get("/edit_entry/1"));
        assertAlike(diary -> diary.admin().get("/entry/999999"));
        assertAlike(diary -> diary.admin().get("/entry/not-a-number"));
    }

    private static HttpSession.Reply jsonLogin(TestDiary diary, String password) {
        HttpSession api = diary.client();
        String csrf = api.getJson("/login").json().path("response").path("csrf_token").asText();
        return api.postJson("/login", Map.of("email", "writer@example.com", "password", password), "X-CSRF-Token", csrf);
    }

    private static String token(TestDiary diary) {
        return diary.client().token("writer@example.com", "writerpass");
    }

    /**
     * Sends {@code request} to both diaries and checks the answers alike (see the class comment).
     *
     * @return the Spring diary's answer, for further checks
     */
    private HttpSession.Reply assertAlike(Function<TestDiary, HttpSession.Reply> request) {
        HttpSession.Reply expected = request.apply(javalin);
        HttpSession.Reply actual = request.apply(spring);
        String what = "Javalin: " + expected + "\nSpring: " + actual;
        assertThat(actual.status()).as(what).isEqualTo(expected.status());
        for (String header : HEADERS) {
            assertThat(actual.header(header)).as(header + "\n" + what).isEqualTo(expected.header(header));
        }
        if (!expected.body().isEmpty() || !actual.body().isEmpty()) {
            assertThat(actual.header("Content-Type")).as("Content-Type\n" + what).isEqualTo(expected.header("Content-Type"));
        }
        assertThat(cookies(actual)).as("Set-Cookie\n" + what).isEqualTo(cookies(expected));
        assertThat(masked(actual.body())).as("body\n" + what).isEqualTo(masked(expected.body()));
        return actual;
    }

    /** Each cookie set, by name: its attributes (the value left out: signed, random or dated). */
    private static Map<String, String> cookies(HttpSession.Reply reply) {
        Map<String, String> cookies = new TreeMap<>();
        for (String setCookie : reply.raw().headers().allValues("Set-Cookie")) {
            String[] parts = setCookie.split(";", 2);
            String name = parts[0].substring(0, parts[0].indexOf('=')).strip();
            String value = parts[0].substring(parts[0].indexOf('=') + 1).strip();
            cookies.put(name, (value.isEmpty() ? "(empty)" : "(value)") + (parts.length > 1 ? parts[1] : "")
                    // Expires names a second; two servers may be a second apart.
                    .replaceAll("Expires=[^;]+", "Expires=..."));
        }
        return cookies;
    }

    /** The body with tokens (32 or more URL-safe Base64 characters, JWT-like dotted runs) and times masked. */
    private static String masked(String body) {
        return body.replaceAll("[A-Za-z0-9_\\-]{32,}(\\.[A-Za-z0-9_\\-]+)*", "TOKEN")
                .replaceAll("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z", "TIME")
                .replaceAll("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC", "TIME");
    }
}
