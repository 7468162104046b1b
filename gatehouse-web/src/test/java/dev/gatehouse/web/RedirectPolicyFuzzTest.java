package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.testing.FuzzInput;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes the check of {@code next} URLs (open redirects). Whatever the text: no exception, and
 * an accepted target, resolved against a page of this site the way a browser resolves a
 * {@code Location} header, stays on this site — or, for the policy with an allowed host, goes
 * to that host over http(s). The input's first line is the target.
 */
class RedirectPolicyFuzzTest {

    private static final URI PAGE = URI.create("https://site.example/account/page?x=1");
    private static final RedirectPolicy SAME_SITE = RedirectPolicy.sameSiteOnly();
    private static final RedirectPolicy WITH_HOST = new RedirectPolicy(Set.of("app.example.com"));

    @FuzzTest
    @DictionaryEntries({"//", "/\\", "\\", "%2f", "%5c", "https://", "http:", "app.example.com", "@", "javascript:", "#", "?", ":443"})
    void acceptedTargetsStayOnSite(byte[] data) {
        String target = FuzzInput.of(data).line();

        SAME_SITE.check(target).ifPresent(accepted -> {
            assertThat(accepted).isEqualTo(target);
            assertThat(hostReached(accepted)).contains("site.example");
        });
        WITH_HOST.check(target).ifPresent(accepted -> assertThat(hostReached(accepted))
                .hasValueSatisfying(host -> assertThat(host).isIn("site.example", "app.example.com")));
    }

    /** The host a browser would go to, or empty if the target is no URL java.net.URI can read. */
    private static Optional<String> hostReached(String target) {
        // Browsers never read a Location with a backslash, control character or space as the
        // policy's own rules need: those must simply never be accepted.
        for (char c : target.toCharArray()) {
            assertThat(c).isBetween('!', '~').isNotEqualTo('\\');
        }
        try {
            URI resolved = PAGE.resolve(new URI(target));
            assertThat(resolved.getScheme().toLowerCase(Locale.ROOT)).isIn("http", "https");
            assertThat(resolved.getRawUserInfo()).isNull();
            return Optional.ofNullable(resolved.getHost()).map(h -> h.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            // Not a URI Java can parse (say "/a|b"): a browser reads it as a path on this site
            // only if nothing before the path could name another host.
            assertThat(target).startsWith("/").doesNotStartWith("//");
            return Optional.of("site.example");
        }
    }
}
