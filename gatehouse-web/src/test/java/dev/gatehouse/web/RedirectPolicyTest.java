package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectPolicyTest {

    private final RedirectPolicy sameSite = RedirectPolicy.sameSiteOnly();
    private final RedirectPolicy withHost = new RedirectPolicy(Set.of("app.example.com"));

    @ParameterizedTest
    @ValueSource(strings = {"/", "/account", "/entry/3?tab=2#top", "/a/b/../c", "/search?q=%2F%2Fx", "/x//y"})
    void paths_on_this_site_are_accepted(String target) {
        assertThat(sameSite.check(target)).contains(target);
    }

    // Flask-Security advisories (CVE-2021-32618, CVE-2023-49438 and friends) plus browser parsing quirks.
    @ParameterizedTest
    @ValueSource(strings = {
        "//evil.com", "///evil.com", "////evil.com", "\\\\\\evil.com", "\\\\evil.com", "\\evil.com",
        "/\\evil.com", "/\\/evil.com", "https:evil.com", "https:/evil.com", "http://evil.com",
        "https://evil.com/path", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
        "/\t/evil.com", "/\n/evil.com", "\t//evil.com", " //evil.com", " /account", "/%2F/evil.com",
        "/%2fevil.com", "/%5Cevil.com", "/\u0000/evil.com", "/\u3000/evil.com", "/\uFF0F/evil.com",
        "evil.com", "", "//app.example.com", "ftp://app.example.com/x"})
    void off_site_and_ambiguous_targets_are_refused(String target) {
        assertThat(sameSite.check(target)).isEmpty();
        assertThat(withHost.isSafe(target)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/x", "http://APP.example.com", "https://app.example.com:8443/a?b=c"})
    void absolute_urls_to_allowed_hosts_are_accepted(String target) {
        assertThat(withHost.check(target)).contains(target);
        assertThat(sameSite.check(target)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.com@app.example.com/", "https://app.example.com@evil.com/",
        "https://app.example.com.evil.com/", "https:app.example.com", "https:///app.example.com"})
    void lookalike_absolute_urls_are_refused(String target) {
        assertThat(withHost.check(target)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void overlong_and_null_targets_are_refused() {
        assertThat(sameSite.check(null)).isEmpty();
        assertThat(sameSite.check("/" + "a".repeat(3000))).isEmpty();
    }
}
