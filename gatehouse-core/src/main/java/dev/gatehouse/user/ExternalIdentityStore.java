package dev.gatehouse.user;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the links between local users and their accounts at external identity providers live
 * (sign-in with OpenID Connect). An identity is keyed by {@code (issuer, subject)}; a user may have
 * several, one issuer-subject pair belongs to at most one user.
 *
 * <p>Implementations: {@link InMemoryExternalIdentityStore} (beside an in-memory user store, the
 * default) and a JDBC store (gatehouse-jdbc).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>No nulls in or out; absence is an empty {@link Optional}. A {@code null} argument throws
 *       {@link NullPointerException}.</li>
 *   <li>Thread-safe; each method is atomic. In particular, of concurrent {@link #link} calls for
 *       one {@code (issuer, subject)}, exactly one succeeds.</li>
 *   <li>Issuer and subject compare exactly: case, accents and every character count. Strings that
 *       cannot be part of a key ({@link ExternalIdentity#isWellFormedKey}) match nothing.</li>
 *   <li>An identity comes back as linked, field for field ({@link ExternalIdentity} already cut
 *       its instants to microseconds).</li>
 *   <li>Deleting a user deletes their identities: {@link UserStore#deleteUser(long)} "deletes
 *       whatever other stores keep under the user's id". A database store does it by foreign key;
 *       the in-memory store forgets identities of users its user store no longer has.</li>
 *   <li>Failures of the backing system are {@link StoreException}s.</li>
 * </ul>
 *
 * <p>{@code ExternalIdentityStoreContract} in the core test jar checks all of this; every
 * implementation should pass it.
 */
public interface ExternalIdentityStore {

    /**
     * Links an identity to its user.
     *
     * @throws DuplicateExternalIdentityException if {@code (issuer, subject)} is already linked, to
     *                                            anyone, including by a concurrent call
     * @throws NoSuchUserException                if the user does not exist
     */
    void link(ExternalIdentity identity);

    /** The identity with this issuer and subject, whoever it is linked to. */
    Optional<ExternalIdentity> find(String issuer, String subject);

    /** The user's identities, oldest {@code linkedAt} first; ties by issuer, then subject ({@link String#compareTo}). */
    List<ExternalIdentity> listForUser(long userId);

    /**
     * Removes the link if this identity is linked to this user; an identity of anyone else is
     * left alone.
     *
     * @return {@code true} if it was linked to {@code userId} and is now gone
     */
    boolean unlink(long userId, String issuer, String subject);

    /**
     * Records a sign-in with the identity: sets {@code lastSignInAt} to {@code at} unless it is
     * already later (it never moves back). Does nothing if the identity is not linked.
     *
     * @throws dev.gatehouse.error.InvalidInputException if {@code at} is outside the
     *         {@link StoreLimits} instants
     */
    void recordSignIn(String issuer, String subject, Instant at);
}
