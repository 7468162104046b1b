package dev.gatehouse.testing;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Settings;
import dev.gatehouse.password.HashScheme;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A Gatehouse for tests: in-memory stores, a clock the test moves, and a cheap argon2id so tests
 * stay fast (the default parameters are tested where they matter).
 */
public final class TestGatehouse {

    public static final String SECRET = "test-secret-test-secret-test-secret-0123456789";
    public static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    /**
     * argon2id with 64 KiB and one pass: same code path, a fraction of the cost. It waits for a
     * hashing slot as long as it takes: race tests hash on many threads at once on a loaded build
     * machine, and the pool's refusals have tests of their own ({@code HashingGate}).
     */
    public static final PasswordHasher CHEAP_HASHER = PasswordHasher.builder().scheme(HashScheme.argon2id(64, 1, 1))
            .waitIndefinitely().build();

    public final MutableClock clock = new MutableClock(START);
    public final Gatehouse gatehouse;

    public TestGatehouse() {
        this(c -> { });
    }

    public TestGatehouse(Consumer<GatehouseConfig.Builder> config) {
        this(config, parts -> { });
    }

    /** With {@code parts} choosing stores and the like on the builder. */
    public TestGatehouse(Consumer<GatehouseConfig.Builder> config, Consumer<Gatehouse.Builder> parts) {
        Gatehouse.Builder builder = Gatehouse.builder()
                .clock(clock)
                .passwordHasher(CHEAP_HASHER)
                .config(c -> {
                    c.set(Settings.SECRET, Secret.of(SECRET));
                    config.accept(c);
                });
        parts.accept(builder);
        this.gatehouse = builder.build();
    }

    /** Creates a user with this email and password (and optionally roles, which must exist). */
    public User user(String email, String password, String... roles) {
        for (String role : roles) {
            gatehouse.users().findOrCreateRole(role);
        }
        return gatehouse.users().createUser(NewUser.builder(email)
                .passwordHash(gatehouse.passwords().hash(password))
                .roles(roles)
                .build());
    }
}
