package dev.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.web.AccessRule;
import org.junit.jupiter.api.Test;

/** Servlet URL patterns as {@link GatehouseFilter.Builder#protect} reads them. */
class PathRuleTest {

    private static boolean matches(String pattern, String path) {
        return new PathRule(pattern, AccessRule.authenticated()).matches(path);
    }

    @Test
    void an_exact_pattern_matches_that_path_alone() {
        assertThat(matches("/account", "/account")).isTrue();
        assertThat(matches("/account", "/account/")).isFalse();
        assertThat(matches("/account", "/accounts")).isFalse();
    }

    @Test
    void a_prefix_pattern_matches_the_prefix_itself_and_everything_below_it_but_not_a_longer_name() {
        assertThat(matches("/api/*", "/api")).isTrue();
        assertThat(matches("/api/*", "/api/")).isTrue();
        assertThat(matches("/api/*", "/api/entries/42")).isTrue();
        assertThat(matches("/api/*", "/apiary")).isFalse();
        assertThat(matches("/*", "/anything/at/all")).isTrue();
    }

    @Test
    void slash_is_every_path_as_the_default_servlet_mapping_is_and_the_empty_pattern_the_root_alone() {
        assertThat(matches("/", "/deep/path")).isTrue();
        assertThat(matches("", "/")).isTrue();
        assertThat(matches("", "/deep")).isFalse();
    }

    @Test
    void an_extension_pattern_matches_that_ending_in_any_folder() {
        assertThat(matches("*.csv", "/exports/all.csv")).isTrue();
        assertThat(matches("*.csv", "/exports/all.csv/x")).isFalse();
        assertThat(matches("*.csv", "/exports/allcsv")).isFalse();
    }

    @Test
    void anything_else_is_refused_when_declared() {
        for (String pattern : new String[] {"api/*", "/api/*/entries", "/api*", "*.", "/a/*.csv", "**"}) {
            assertThatThrownBy(() -> new PathRule(pattern, AccessRule.authenticated())).as(pattern)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
