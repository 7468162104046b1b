package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.MailBackend;
import dev.gatehouse.testing.TestGatehouse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link GatehouseWeb#route} and {@link WebRoute#matches}, the router of adapters whose framework
 * has none (the Servlet filter), and {@link QueryString#parameters}, with which it hands a form on.
 */
class RouteLookupTest {

    private static final TestGatehouse T = new TestGatehouse(c -> c.set(MAIL_BACKEND, MailBackend.NONE)
            .set(RECOVERABLE, true).set(EXTERNAL_URL, "https://app.example.com"));
    private static final GatehouseWeb WEB = new GatehouseWeb(T.gatehouse);

    @AfterAll
    static void close() {
        T.gatehouse.close();
    }

    @Test
    void a_path_parameter_stands_for_exactly_one_non_empty_segment() {
        WebRoute reset = new WebRoute("GET", "/reset/{token}", (request, response) -> { });
        assertThat(reset.matches("/reset/abc-123")).isTrue();
        assertThat(reset.matches("/reset/")).isFalse();
        assertThat(reset.matches("/reset")).isFalse();
        assertThat(reset.matches("/reset/abc/def")).isFalse();
        assertThat(reset.matches("/other/abc")).isFalse();
        assertThat(new WebRoute("GET", "/login", (request, response) -> { }).matches("/login/")).isFalse();
    }

    @Test
    void route_finds_gatehouses_endpoint_by_method_and_path_and_answers_head_with_the_get_route() {
        assertThat(WEB.route("POST", "/login")).get().extracting(WebRoute::method).isEqualTo("POST");
        assertThat(WEB.route("GET", "/reset/some-token")).get().extracting(WebRoute::path).isEqualTo("/reset/{token}");
        assertThat(WEB.route("HEAD", "/login")).get().extracting(WebRoute::method).isEqualTo("GET");
        assertThat(WEB.route("PUT", "/login")).isEmpty();
        assertThat(WEB.route("GET", "/dashboard")).isEmpty();
    }

    @Test
    void parameters_keeps_every_value_in_order_and_drops_malformed_pairs() {
        assertThat(QueryString.parameters("tag=a&entry=Tageb%C3%BCch&tag=b&&flag&bad=%zz"))
                .isEqualTo(Map.of("tag", List.of("a", "b"), "entry", List.of("Tagebüch"), "flag", List.of("")));
        assertThat(QueryString.parameters(null)).isEmpty();
        assertThat(QueryString.parameter("a=1&a=2", "a")).contains("1");
    }
}
