package dev.gatehouse.twofactor;

import java.util.List;
import java.util.Optional;

/**
 * Where users' second factors live: one {@link SecondFactorRecord} per user. An SPI like
 * {@link dev.gatehouse.user.PasskeyStore}: {@link InMemorySecondFactorStore} for tests and single
 * nodes, gatehouse-jdbc's {@code JdbcSecondFactorStore} for databases; the behaviour every store must
 * have is the test suite {@code SecondFactorStoreContract} in gatehouse-core's test jar.
 *
 * <p>Contract: methods never return {@code null}; deleting a user deletes their record; the store
 * keeps what it is given (secrets arrive sealed, recovery codes as digests) and never logs it.
 * Implementations are thread-safe, and {@link #acceptTotpStep} and {@link #useRecoveryCode} are
 * atomic across threads and nodes.
 */
public interface SecondFactorStore {

    /** The record of {@code userId}; empty when the user has none (or does not exist). */
    Optional<SecondFactorRecord> find(long userId);

    /**
     * Creates or replaces the record of {@code record.userId()}, all fields as given.
     *
     * @throws dev.gatehouse.user.NoSuchUserException if the user does not exist
     */
    void save(SecondFactorRecord record);

    /** Deletes the record of {@code userId}; whether there was one. */
    boolean delete(long userId);

    /**
     * The TOTP replay guard (RFC 6238 section 5.2): atomically, if {@code step} is greater than the
     * stored {@code lastTotpStep}, stores it and answers true; otherwise (a step accepted before, or
     * an earlier one) changes nothing and answers false. False too when the user has no record.
     */
    boolean acceptTotpStep(long userId, long step);

    /**
     * Atomically removes {@code digest} from the user's recovery code digests; true iff it was there,
     * so of two concurrent uses of one code exactly one succeeds.
     */
    boolean useRecoveryCode(long userId, String digest);

    /**
     * Records of users with a primary method or sign-in methods, by user id ascending, for reports.
     *
     * @param offset records to skip, ≥ 0
     * @param limit  most records to return, ≥ 1
     */
    List<SecondFactorRecord> list(int offset, int limit);
}
