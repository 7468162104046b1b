package dev.gatehouse.user;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where users and roles live: Flask-Identity's {@code IdentityStore} and Flask-Security's
 * {@code UserDatastore} in one small interface.
 *
 * <h2>Contract, for every implementation</h2>
 * <ul>
 *   <li><b>No nulls</b>: no method accepts or returns {@code null}; absence is an empty
 *       {@link Optional} or {@code false}. A {@code null} argument throws
 *       {@link NullPointerException}.</li>
 *   <li><b>Thread-safe</b>: methods may be called concurrently from any thread.</li>
 *   <li><b>Atomic</b>: each mutating method is all-or-nothing. On any exception nothing was
 *       written.</li>
 *   <li><b>Case-insensitive identifiers</b>: emails and usernames are unique and looked up by
 *       {@link dev.gatehouse.identifier.Identifiers#emailKey(String)} /
 *       {@link dev.gatehouse.identifier.Identifiers#usernameKey(String)}; the stored
 *       value keeps the case it was given in.</li>
 *   <li><b>Snapshots</b>: returned {@link User} values are immutable snapshots; mutating methods
 *       return the user as stored after the change.</li>
 *   <li><b>Instants</b> are kept to the microsecond (finer parts are truncated) and must lie within
 *       {@link StoreLimits#MIN_INSTANT}..{@link StoreLimits#MAX_INSTANT}; login IP addresses
 *       follow {@link StoreLimits#ipAddress(String)}.</li>
 *   <li><b>Security stamps</b> are unique: a stamp another user holds is refused with an
 *       {@link dev.gatehouse.error.InvalidInputException} with field {@code security_stamp} and code
 *       {@code SECURITY_STAMP_IN_USE}.</li>
 *   <li><b>Exceptions</b>: {@link DuplicateUserException} and {@link DuplicateRoleException} for
 *       uniqueness conflicts, {@link NoSuchUserException} and {@link NoSuchRoleException} when an
 *       operation names something absent, {@link dev.gatehouse.error.InvalidInputException} for invalid
 *       values, {@link StoreException} when the backing system fails.</li>
 * </ul>
 *
 * <p>The contract is pinned down by a test suite every store runs ({@code UserStoreContract} in the
 * core test jar).
 */
public interface UserStore {

    // ---------------------------------------------------------------- users: lookup

    /** The user with this id. */
    Optional<User> findUserById(long id);

    /** The user with this email address, compared case-insensitively. */
    Optional<User> findUserByEmail(String email);

    /** The user with this username, compared case-insensitively. */
    Optional<User> findUserByUsername(String username);

    /** The user with this security stamp ({@code fs_uniquifier}), compared exactly. */
    Optional<User> findUserBySecurityStamp(String securityStamp);

    /** A page of users ordered by id, filtered by role and active flag. */
    Page<User> listUsers(UserQuery query);

    // ---------------------------------------------------------------- users: changes

    /**
     * Creates a user, active unless the {@link NewUser} says otherwise, with a fresh random
     * security stamp unless one is given, and {@code createdAt} set to now.
     *
     * @throws DuplicateUserException if the email or username is taken (case-insensitively),
     *                                including by a concurrent call
     * @throws NoSuchRoleException    if a named role does not exist
     */
    User createUser(NewUser newUser);

    /**
     * Makes the stored user equal to {@code user} in every field except id and createdAt, including
     * roles (by name) and attributes.
     *
     * @throws NoSuchUserException    if no user has that id
     * @throws DuplicateUserException if the new email or username belongs to another user
     * @throws NoSuchRoleException    if a role of {@code user} does not exist in the store
     */
    User updateUser(User user);

    /**
     * Deletes the user with everything it owns: role links, attributes, and whatever other stores
     * keep under the user's id (sessions, tokens, credentials).
     *
     * @return {@code true} if the user existed
     */
    boolean deleteUser(long userId);

    /** Deletes {@code user}; see {@link #deleteUser(long)}. */
    default boolean deleteUser(User user) {
        return deleteUser(user.id());
    }

    /**
     * Activates the user.
     *
     * @return {@code true} if this changed anything (Flask-Security's {@code activate_user})
     * @throws NoSuchUserException if no user has that id
     */
    boolean activate(long userId);

    /**
     * Deactivates the user: it can no longer authenticate by any mechanism.
     *
     * @return {@code true} if this changed anything
     * @throws NoSuchUserException if no user has that id
     */
    boolean deactivate(long userId);

    /**
     * Flips the active flag.
     *
     * @return the user as stored afterwards
     * @throws NoSuchUserException if no user has that id
     */
    User toggleActive(long userId);

    /**
     * Replaces the security stamp, which ends every session and token of the user.
     *
     * @throws NoSuchUserException if no user has that id
     * @throws dev.gatehouse.error.InvalidInputException if the stamp is malformed
     */
    User setSecurityStamp(long userId, String securityStamp);

    /** Replaces the security stamp with a fresh random one; see {@link #setSecurityStamp(long, String)}. */
    default User rotateSecurityStamp(long userId) {
        return setSecurityStamp(userId, SecurityStamps.generate());
    }

    /**
     * Replaces only the password hash, leaving every other field as stored (unlike
     * {@link #updateUser(User)}, which could undo a concurrent change). Used to upgrade an
     * outdated hash after a successful sign-in and by password change and reset.
     *
     * @param passwordHash a hash produced by {@code PasswordHasher}
     * @throws NoSuchUserException if no user has that id
     * @throws dev.gatehouse.error.InvalidInputException if the value is not a recognized hash
     */
    User setPasswordHash(long userId, String passwordHash);

    /**
     * Changes exactly the fields {@code patch} names, atomically, leaving every other field as
     * stored: the step of the account lifecycle flows (confirming an email address, resetting or
     * changing a password together with the security stamp, changing the email or username). An
     * empty patch changes nothing and returns the user as stored.
     *
     * @return the user as stored afterwards
     * @throws NoSuchUserException    if no user has that id
     * @throws DuplicateUserException if the new email or username belongs to another user
     *                                (case-insensitively), including by a concurrent change
     * @throws dev.gatehouse.error.InvalidInputException with code {@code SECURITY_STAMP_IN_USE} if
     *                                another user holds the new security stamp
     */
    User patchUser(long userId, UserPatch patch);

    /**
     * Records a sign-in atomically (Flask-Security's {@code trackable}): the current login time and
     * IP become the last ones, {@code at} and {@code ip} become current, the count grows by one. On
     * the first sign-in (no current values yet) the last ones are set to {@code at} and {@code ip}
     * too, as Flask-Security does.
     * Concurrent calls never lose a count, and each returns the count its own call produced.
     *
     * @param ip the client address, or empty if unknown; see {@link StoreLimits#ipAddress(String)}
     * @throws NoSuchUserException if no user has that id
     */
    User recordLogin(long userId, Instant at, Optional<String> ip);

    /**
     * Changes made to users through any instance of this store, in any process, for caches on
     * other nodes; empty if this store cannot see other processes' changes (it then needs none:
     * an in-memory store lives in one process).
     */
    default Optional<UserChangeFeed> changeFeed() {
        return Optional.empty();
    }

    // ---------------------------------------------------------------- roles

    /** The role with this name (case-sensitive). */
    Optional<Role> findRole(String name);

    /** Every role, ordered by name ({@link String#compareTo(String)}, whatever the database collation). */
    List<Role> listRoles();

    /**
     * Creates a role.
     *
     * @throws DuplicateRoleException if a role with that name exists
     */
    Role createRole(Role role);

    /** Creates a role with no description and no permissions. */
    default Role createRole(String name) {
        return createRole(Role.named(name));
    }

    /** The role with this name, created without description or permissions if absent; safe under concurrency. */
    Role findOrCreateRole(String name);

    /**
     * Replaces a role's description and permissions; users holding it see the change.
     *
     * @throws NoSuchRoleException if no role has that name
     */
    Role updateRole(Role role);

    /**
     * Deletes a role and every user's link to it.
     *
     * @return {@code true} if the role existed
     */
    boolean deleteRole(String name);

    /**
     * Grants a role.
     *
     * @return the user as stored afterwards; unchanged if the role was already held
     * @throws NoSuchUserException if no user has that id
     * @throws NoSuchRoleException if no role has that name
     */
    User addRoleToUser(long userId, String roleName);

    /** Grants a role; see {@link #addRoleToUser(long, String)}. */
    default User addRoleToUser(User user, String roleName) {
        return addRoleToUser(user.id(), roleName);
    }

    /** Grants a role; see {@link #addRoleToUser(long, String)}. */
    default User addRoleToUser(User user, Role role) {
        return addRoleToUser(user.id(), role.name());
    }

    /**
     * Revokes a role.
     *
     * @return the user as stored afterwards; unchanged if the role was not held
     * @throws NoSuchUserException if no user has that id
     * @throws NoSuchRoleException if no role has that name
     */
    User removeRoleFromUser(long userId, String roleName);

    /** Revokes a role; see {@link #removeRoleFromUser(long, String)}. */
    default User removeRoleFromUser(User user, String roleName) {
        return removeRoleFromUser(user.id(), roleName);
    }

    /** Revokes a role; see {@link #removeRoleFromUser(long, String)}. */
    default User removeRoleFromUser(User user, Role role) {
        return removeRoleFromUser(user.id(), role.name());
    }

    /** Convenience: {@link #createRole(Role)} with permissions. */
    default Role createRole(String name, String description, Set<String> permissions) {
        return createRole(new Role(name, description, permissions));
    }
}
