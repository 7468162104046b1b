package dev.gatehouse.jdbc;

import static dev.gatehouse.testing.Races.race;
import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.HmacOneTimePasswordGenerator;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Settings;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.testing.Races.Outcome;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.twofactor.CodeCheck;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.TotpSetup;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.twofactor.TwoFactorSettings;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two-factor over the JDBC stores of one database: the replay guard and single use hold across
 * threads and across nodes (two Gatehouses on one database), as they must behind a load balancer.
 */
abstract class JdbcTwoFactorContract {

    private static final ClientInfo CLIENT = ClientInfo.of("198.51.100.7", "JUnit/5");
    private static final int THREADS = 8;

    protected abstract TestDatabase database();

    private final MutableClock clock = new MutableClock(TestGatehouse.START);
    private final List<Gatehouse> opened = new ArrayList<>();

    @BeforeEach
    void emptyTables() {
        for (String table : List.of("gh_counters", "gh_mail_outbox", "gh_audit_events", "gh_users")) {
            TestSql.execute(database().dataSource(), "DELETE FROM " + table);
        }
    }

    @AfterEach
    void closeGatehouses() {
        opened.forEach(Gatehouse::close);
    }

    /** A node: a Gatehouse whose state lives in the test database only. */
    private Gatehouse node() {
        Gatehouse gatehouse = Gatehouse.builder().clock(clock).passwordHasher(TestGatehouse.CHEAP_HASHER).userCache(false)
                .stores(JdbcStores.withoutMigration(database().dataSource()))
                .config(c -> c.set(Settings.SECRET, Secret.of(TestGatehouse.SECRET)).set(TwoFactorSettings.TWO_FACTOR, true))
                .build();
        opened.add(gatehouse);
        return gatehouse;
    }

    private static String code(String base32Key, long step) throws Exception {
        byte[] key = new Base32().decode(base32Key);
        return new HmacOneTimePasswordGenerator(6).generateOneTimePasswordString(new SecretKeySpec(key, "HmacSHA1"), step,
                Locale.ROOT);
    }

    private long step() {
        return clock.instant().getEpochSecond() / 30;
    }

    @Test
    void a_totp_code_raced_on_two_nodes_is_accepted_exactly_once() throws Exception {
        Gatehouse one = node();
        Gatehouse two = node();
        User alice = one.users().createUser(NewUser.builder("alice@example.com").build());
        TotpSetup setup = one.twoFactor().newTotpSecret(alice);
        one.twoFactor().enable(alice, FactorMethod.AUTHENTICATOR, Optional.of(setup.sealedSecret()), Optional.empty(),
                EventContext.of(clock.instant(), alice.id(), CLIENT));
        User current = one.users().findUserById(alice.id()).orElseThrow();
        String code = code(setup.base32Key(), step());

        List<Outcome<CodeCheck>> outcomes = race(THREADS, i -> (i % 2 == 0 ? one : two).twoFactor()
                .verify(current, FactorMethod.AUTHENTICATOR, code, "-", Optional.empty(), CLIENT));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(outcomes).filteredOn(o -> o.value() == CodeCheck.ACCEPTED).hasSize(1);
        assertThat(two.twoFactor().verify(current, FactorMethod.AUTHENTICATOR, code, "-", Optional.empty(), CLIENT))
                .isIn(CodeCheck.REPLAYED, CodeCheck.RATE_LIMITED, CodeCheck.LOCKED_OUT);
        assertThat(two.twoFactor().isEnabledFor(current)).as("the other node reads the database").isTrue();
    }

    @Test
    void a_recovery_code_raced_on_two_nodes_is_used_exactly_once() throws Exception {
        Gatehouse one = node();
        Gatehouse two = node();
        User alice = one.users().createUser(NewUser.builder("alice@example.com").build());
        List<String> codes = one.twoFactor().newRecoveryCodes(alice, EventContext.of(clock.instant(), alice.id(), CLIENT));

        List<Outcome<CodeCheck>> outcomes = race(THREADS, i -> (i % 2 == 0 ? one : two).twoFactor()
                .useRecoveryCode(alice, codes.get(0), CLIENT));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(outcomes).filteredOn(o -> o.value() == CodeCheck.ACCEPTED).hasSize(1);
        TwoFactor other = two.twoFactor();
        assertThat(other.recoveryCodesLeft(alice)).isEqualTo(codes.size() - 1);
    }
}
