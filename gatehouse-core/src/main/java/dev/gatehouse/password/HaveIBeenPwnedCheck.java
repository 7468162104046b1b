package dev.gatehouse.password;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BreachedPasswordCheck} against the Have I Been Pwned Pwned Passwords range API, with
 * k-anonymity: only the first 5 hex characters of the password's SHA-1 leave the machine
 * ({@code GET <base>/range/ABCDE}); the service answers with every known suffix for that prefix
 * and how often it was seen, padded with decoys ({@code Add-Padding}), and the match is made locally.
 *
 * <p>Defaults: {@code https://api.pwnedpasswords.com/range/}, refused from one sighting
 * (Flask-Security's {@code SECURITY_PASSWORD_BREACHED_COUNT}), 2 s connect and 3 s request
 * timeouts, fail open: when the service cannot be reached the password is accepted and a warning is
 * logged. With {@link Builder#failClosed(boolean) failClosed(true)} the check throws
 * {@link BreachCheckUnavailableException} instead, which the policy reports as
 * {@code PASSWORD_BREACHED_SITE_ERROR} (Flask-Security's "strict" mode).
 *
 * <p>Immutable and thread-safe; it holds one {@link HttpClient}.
 */
public final class HaveIBeenPwnedCheck implements BreachedPasswordCheck {

    private static final Logger LOG = LoggerFactory.getLogger(HaveIBeenPwnedCheck.class);
    private static final URI DEFAULT_BASE = URI.create("https://api.pwnedpasswords.com/range/");

    private final URI base;
    private final int minimumCount;
    private final boolean failClosed;
    private final Duration requestTimeout;
    private final HttpClient client;

    private HaveIBeenPwnedCheck(Builder builder) {
        String text = builder.base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.minimumCount = builder.minimumCount;
        this.failClosed = builder.failClosed;
        this.requestTimeout = builder.requestTimeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(builder.connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** A builder with the defaults described above. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean isBreached(String password) {
        String sha1 = sha1Hex(password);
        String prefix = sha1.substring(0, 5);
        String suffix = sha1.substring(5);
        HttpRequest request = HttpRequest.newBuilder(base.resolve(prefix))
                .timeout(requestTimeout)
                .header("Add-Padding", "true")
                .header("User-Agent", "Gatehouse")
                .GET()
                .build();
        try {
            HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() != 200) {
                    return unavailable("answered HTTP " + response.statusCode(), null);
                }
                return lines.anyMatch(line -> breachedEntry(line, suffix));
            }
        } catch (IOException e) {
            return unavailable("could not be reached (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("was interrupted", e);
        }
    }

    /** A range line is {@code SUFFIX:COUNT}; padding lines have count 0. */
    private boolean breachedEntry(String line, String suffix) {
        int colon = line.indexOf(':');
        if (colon != suffix.length() || !line.regionMatches(true, 0, suffix, 0, colon)) {
            return false;
        }
        try {
            return Long.parseLong(line.substring(colon + 1).trim()) >= minimumCount;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private boolean unavailable(String what, Exception cause) {
        if (failClosed) {
            throw new BreachCheckUnavailableException("the breached password service " + what, cause);
        }
        // Fail open: availability of sign-up over the breach check. The password is never logged.
        // The host only: a configured URI might carry credentials.
        LOG.warn("breached password check skipped: the service at {} {}", base.getHost(), what);
        return false;
    }

    private static String sha1Hex(String password) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        byte[] digest = null;
        try {
            digest = MessageDigest.getInstance("SHA-1").digest(bytes);
            return HexFormat.of().formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java SE runtime", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (digest != null) {
                Arrays.fill(digest, (byte) 0);
            }
        }
    }

    /** Configures a {@link HaveIBeenPwnedCheck}. Not thread-safe. */
    public static final class Builder {
        private URI base = DEFAULT_BASE;
        private int minimumCount = 1;
        private boolean failClosed;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(3);

        private Builder() {
        }

        /** The range endpoint, to which the 5-character prefix is appended; default {@code https://api.pwnedpasswords.com/range/}. */
        public Builder baseUri(URI base) {
            Objects.requireNonNull(base, "base");
            if (!"https".equals(base.getScheme()) && !"http".equals(base.getScheme())) {
                throw new IllegalArgumentException("the breached password service URI must be http(s), not " + base);
            }
            this.base = base;
            return this;
        }

        /** How many sightings make a password breached; default 1. */
        public Builder minimumCount(int minimumCount) {
            if (minimumCount < 1) {
                throw new IllegalArgumentException("minimumCount must be at least 1, not " + minimumCount);
            }
            this.minimumCount = minimumCount;
            return this;
        }

        /** Whether an unreachable service refuses the password ({@code true}) or lets it pass (default). */
        public Builder failClosed(boolean failClosed) {
            this.failClosed = failClosed;
            return this;
        }

        /** How long to wait for a connection; default 2 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long to wait for the whole response; default 3 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        public HaveIBeenPwnedCheck build() {
            return new HaveIBeenPwnedCheck(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + d);
            }
            return d;
        }
    }
}
