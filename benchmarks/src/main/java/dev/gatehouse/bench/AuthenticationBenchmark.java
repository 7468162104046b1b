package dev.gatehouse.bench;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.SECRET;
import static dev.gatehouse.config.Settings.TOKEN_MAX_AGE;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.Secret;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.IssuedSession;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.WebRequest;
import dev.gatehouse.web.WebResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request cost of Gatehouse on the hot path — cookie or token check, user lookup, role
 * check — without HTTP around it: {@code GatehouseWeb.enforce} on a minimal in-memory request.
 * Run with {@code -prof gc} to see the bytes allocated per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuthenticationBenchmark {

    private GatehouseWeb web;
    private AccessRule sessionRule;
    private AccessRule tokenRule;
    private AccessRule roleRule;
    private String sessionCookie;
    private String token;

    /** A request as an adapter would present it, with no per-call allocation of its own. */
    static final class FakeRequest implements WebRequest {
        final Map<String, String> headers = new HashMap<>();
        final Map<String, String> cookies = new HashMap<>();
        Object exchange;

        @Override public String method() { return "GET"; }
        @Override public String path() { return "/api/me"; }
        @Override public Optional<String> queryString() { return Optional.empty(); }
        @Override public Optional<String> header(String name) { return Optional.ofNullable(headers.get(name)); }
        @Override public Optional<String> cookie(String name) { return Optional.ofNullable(cookies.get(name)); }
        @Override public Optional<String> queryParam(String name) { return Optional.empty(); }
        @Override public String body() { return ""; }
        @Override public String remoteAddress() { return "127.0.0.1"; }
        @Override public Object attribute(String name) { return exchange; }
        @Override public void attribute(String name, Object value) { exchange = value; }
    }

    static final class NullResponse implements WebResponse {
        @Override public void status(int code) { throw new IllegalStateException("denied: " + code); }
        @Override public void header(String name, String value) { }
        @Override public void addHeader(String name, String value) { }
        @Override public void body(String contentType, String body) { }
    }

    private final NullResponse response = new NullResponse();

    @Setup
    public void setUp() {
        Gatehouse gatehouse = Gatehouse.builder()
                .config(c -> c.set(SECRET, Secret.of("benchmark-secret-benchmark-secret-0123456789")).set(COOKIE_SECURE, false)
                        .set(TOKEN_MAX_AGE, Duration.ofHours(2)))
                .build();
        gatehouse.users().createRole("Admin");
        User user = gatehouse.users().createUser(NewUser.builder("bench@example.com").roles("Admin").build());
        web = new GatehouseWeb(gatehouse);
        sessionRule = AccessRule.mechanisms(Mechanism.SESSION);
        tokenRule = AccessRule.mechanisms(Mechanism.TOKEN);
        roleRule = AccessRule.rolesRequired("Admin");
        IssuedSession signIn = gatehouse.sessions().start(user, false, Optional.empty(), ClientInfo.UNKNOWN);
        sessionCookie = signIn.secret();
        token = gatehouse.authTokens().issue(user, gatehouse.clock().instant(), signIn.record().familyId());
    }

    @Benchmark
    public boolean session() {
        FakeRequest request = new FakeRequest();
        request.cookies.put("gatehouse_session", sessionCookie);
        return web.enforce(request, response, sessionRule);
    }

    @Benchmark
    public boolean token() {
        FakeRequest request = new FakeRequest();
        request.headers.put("Authentication-Token", token);
        return web.enforce(request, response, tokenRule);
    }

    @Benchmark
    public boolean sessionWithRole() {
        FakeRequest request = new FakeRequest();
        request.cookies.put("gatehouse_session", sessionCookie);
        return web.enforce(request, response, roleRule);
    }

    /** The cost of the fake request alone, to subtract. */
    @Benchmark
    public Object baseline() {
        FakeRequest request = new FakeRequest();
        request.cookies.put("gatehouse_session", sessionCookie);
        return request;
    }
}
