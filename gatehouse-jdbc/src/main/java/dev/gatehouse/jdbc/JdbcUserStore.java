package dev.gatehouse.jdbc;

import static dev.gatehouse.jdbc.Statements.execute;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.password.PasswordHashFormat;
import dev.gatehouse.user.DuplicateRoleException;
import dev.gatehouse.user.DuplicateUserException;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.NoSuchRoleException;
import dev.gatehouse.user.NoSuchUserException;
import dev.gatehouse.user.Page;
import dev.gatehouse.user.Role;
import dev.gatehouse.user.SecurityStamps;
import dev.gatehouse.user.StoreLimits;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserChangeFeed;
import dev.gatehouse.user.UserPatch;
import dev.gatehouse.user.UserQuery;
import dev.gatehouse.user.UserStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * A {@link UserStore} in a relational database: H2 (the embedded default), PostgreSQL, or
 * MariaDB/MySQL, chosen by what the {@link DataSource} connects to.
 *
 * <p>Create one with {@link #create(DataSource)}, which first brings the schema up to date with
 * {@link JdbcSchema#migrate()}, or with {@link #builder(DataSource)} to choose the clock or to
 * leave migrations to a separate step. A pooled data source is recommended, e.g.
 * {@link JdbcDatabase#dataSource()}; the store never closes it.
 *
 * <p>Every operation is one transaction, committed or rolled back as a whole, so a failure never
 * leaves half-written rows. Uniqueness of emails, usernames, security stamps and role names is
 * enforced by unique indexes, so concurrent callers cannot both win; a violation is reported as
 * the {@code UserStore} contract says ({@link DuplicateUserException} with the right field, ...).
 * Deadlocks and serialization failures are retried a few times. Any other database failure
 * becomes a {@link dev.gatehouse.user.StoreException} whose cause chain is redacted: driver
 * messages may quote stored values such as password hashes.
 *
 * <p>Thread-safe: the store holds no mutable state; concurrency is the database's job.
 */
public final class JdbcUserStore implements UserStore {

    // Column widths of the key columns (see the migrations); longer lookups cannot match.
    private static final int EMAIL_KEY_WIDTH = 512;
    private static final int USERNAME_KEY_WIDTH = 128;
    private static final int STAMP_WIDTH = 64;
    private static final int ROLE_NAME_WIDTH = 80;

    private static final String INSERT_USER = "INSERT INTO gh_users (email, email_key, username, username_key,"
            + " password_hash, active, confirmed_at, security_stamp, created_at, login_count)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)";
    private static final String UPDATE_USER = "UPDATE gh_users SET email = ?, email_key = ?, username = ?,"
            + " username_key = ?, password_hash = ?, active = ?, confirmed_at = ?, security_stamp = ?,"
            + " last_login_at = ?, current_login_at = ?, last_login_ip = ?, current_login_ip = ?, login_count = ?"
            + " WHERE id = ?";
    // One statement, so concurrent sign-ins serialize on the row lock and none loses its count.
    // The shifting assignments come first: MySQL evaluates SET left to right with the new values,
    // the others with the old ones, and this order means the same on both.
    // As Flask-Security: on the first sign-in, "last" is this one too. MySQL evaluates SET
    // assignments left to right, so "last" must be assigned before "current" changes.
    private static final String RECORD_LOGIN = "UPDATE gh_users SET last_login_at = COALESCE(current_login_at, ?),"
            + " last_login_ip = COALESCE(current_login_ip, ?), current_login_at = ?, current_login_ip = ?,"
            + " login_count = login_count + 1 WHERE id = ?";

    private final Transactions transactions;
    private final UserReader reader;
    private final Clock clock;
    private final JdbcUserChangeFeed changeFeed;

    private JdbcUserStore(Transactions transactions, Clock clock, Duration changePollInterval) {
        this.transactions = transactions;
        this.reader = new UserReader(transactions.dialect());
        this.clock = clock;
        this.changeFeed = new JdbcUserChangeFeed(transactions, clock, changePollInterval);
    }

    /**
     * Changes to users made through any {@code JdbcUserStore} on this database, by any process:
     * each change is logged in its own transaction and this feed polls the log.
     */
    @Override
    public Optional<UserChangeFeed> changeFeed() {
        return Optional.of(changeFeed);
    }

    /**
     * A store on {@code dataSource}, with timestamps from the system clock, after bringing the
     * schema up to date.
     *
     * @throws dev.gatehouse.user.StoreException if the database is unreachable, unsupported, or a
     *                                           migration fails
     */
    public static JdbcUserStore create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /** Starts configuring a store on {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    // ================================================================ users: lookup

    @Override
    public Optional<User> findUserById(long id) {
        return transactions.statement("find a user", c -> reader.user(c, id));
    }

    @Override
    public Optional<User> findUserByEmail(String email) {
        String key = Identifiers.emailKey(Objects.requireNonNull(email, "email"));
        if (key.isEmpty() || key.length() > EMAIL_KEY_WIDTH) {
            return Optional.empty();
        }
        return transactions.statement("find a user", c -> reader.userWhere(c, "email_key", key));
    }

    @Override
    public Optional<User> findUserByUsername(String username) {
        String key = Identifiers.usernameKey(Objects.requireNonNull(username, "username"));
        if (key.isEmpty() || key.length() > USERNAME_KEY_WIDTH) {
            return Optional.empty();
        }
        return transactions.statement("find a user", c -> reader.userWhere(c, "username_key", key));
    }

    @Override
    public Optional<User> findUserBySecurityStamp(String securityStamp) {
        Objects.requireNonNull(securityStamp, "securityStamp");
        if (securityStamp.isEmpty() || securityStamp.length() > STAMP_WIDTH) {
            return Optional.empty();
        }
        return transactions.statement("find a user", c -> reader.userWhere(c, "security_stamp", securityStamp));
    }

    @Override
    public Page<User> listUsers(UserQuery query) {
        Objects.requireNonNull(query, "query");
        return transactions.read("list users", c -> {
            List<String> conditions = new ArrayList<>();
            List<Object> parameters = new ArrayList<>();
            if (query.role().isPresent()) {
                Optional<Long> roleId = roleId(c, query.role().get());
                if (roleId.isEmpty()) {
                    return new Page<>(List.of(), 0, query);
                }
                conditions.add("id IN (SELECT user_id FROM gh_user_roles WHERE role_id = ?)");
                parameters.add(roleId.get());
            }
            if (query.active().isPresent()) {
                conditions.add("active = ?");
                parameters.add(query.active().get());
            }
            String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
            long total;
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM gh_users" + where)) {
                Statements.bind(count, parameters);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            if (total <= query.offset()) {
                return new Page<>(List.of(), total, query);
            }
            parameters.add(query.limit());
            parameters.add(query.offset());
            List<User> users = reader.users(c, "SELECT " + UserReader.USER_COLUMNS + " FROM gh_users" + where
                    + " ORDER BY id LIMIT ? OFFSET ?", parameters);
            return new Page<>(users, total, query);
        });
    }

    // ================================================================ users: changes

    @Override
    public User createUser(NewUser newUser) {
        Objects.requireNonNull(newUser, "newUser");
        // NewUser validated its own values; what remains are the store's limits.
        Instant createdAt = StoreLimits.instant("created_at", clock.instant());
        Instant confirmedAt = newUser.confirmedAt().map(at -> StoreLimits.instant("confirmed_at", at)).orElse(null);
        String stamp = newUser.securityStamp().orElseGet(SecurityStamps::generate);
        String emailKey = Identifiers.emailKey(newUser.email());
        String usernameKey = newUser.username().map(Identifiers::usernameKey).orElse(null);
        return transactions.write("create a user", c -> {
            Map<String, Long> roleIds = roleIds(c, newUser.roleNames());
            long id;
            try (PreparedStatement insert = c.prepareStatement(INSERT_USER, new String[] {"id"})) {
                insert.setString(1, newUser.email());
                insert.setString(2, emailKey);
                Statements.bindNullable(insert, 3, newUser.username().orElse(null));
                Statements.bindNullable(insert, 4, usernameKey);
                Statements.bindNullable(insert, 5, newUser.passwordHash().orElse(null));
                insert.setBoolean(6, newUser.active());
                transactions.dialect().bindInstant(insert, 7, confirmedAt);
                insert.setString(8, stamp);
                transactions.dialect().bindInstant(insert, 9, createdAt);
                insert.executeUpdate();
                id = generatedId(insert);
            }
            insertRoleLinks(c, id, roleIds.values());
            insertAttributes(c, id, newUser.attributes());
            return reader.existingUser(c, id);
        }, c -> userConflict(c, emailKey, usernameKey, stamp, 0));
    }

    @Override
    public User updateUser(User user) {
        Objects.requireNonNull(user, "user");
        // User snapshots are built freely by callers, so everything is checked here.
        String email = Identifiers.checkEmail(user.email());
        String username = user.username().map(Identifiers::checkUsername).orElse(null);
        String stamp = SecurityStamps.check(user.securityStamp());
        Instant confirmedAt = user.confirmedAt().map(at -> StoreLimits.instant("confirmed_at", at)).orElse(null);
        Instant lastLoginAt = user.lastLoginAt().map(at -> StoreLimits.instant("last_login_at", at)).orElse(null);
        Instant currentLoginAt = user.currentLoginAt().map(at -> StoreLimits.instant("current_login_at", at)).orElse(null);
        String lastLoginIp = user.lastLoginIp().map(StoreLimits::ipAddress).orElse(null);
        String currentLoginIp = user.currentLoginIp().map(StoreLimits::ipAddress).orElse(null);
        Map<String, String> attributes = Identifiers.checkAttributes(user.attributes());
        String emailKey = Identifiers.emailKey(email);
        String usernameKey = username == null ? null : Identifiers.usernameKey(username);
        return transactions.write("update a user", c -> {
            lockUser(c, user.id());
            Map<String, Long> roleIds = roleIds(c, user.roleNames());
            try (PreparedStatement update = c.prepareStatement(UPDATE_USER)) {
                update.setString(1, email);
                update.setString(2, emailKey);
                Statements.bindNullable(update, 3, username);
                Statements.bindNullable(update, 4, usernameKey);
                Statements.bindNullable(update, 5, user.passwordHash().orElse(null));
                update.setBoolean(6, user.isActive());
                transactions.dialect().bindInstant(update, 7, confirmedAt);
                update.setString(8, stamp);
                transactions.dialect().bindInstant(update, 9, lastLoginAt);
                transactions.dialect().bindInstant(update, 10, currentLoginAt);
                Statements.bindNullable(update, 11, lastLoginIp);
                Statements.bindNullable(update, 12, currentLoginIp);
                update.setInt(13, user.loginCount());
                update.setLong(14, user.id());
                update.executeUpdate();
            }
            execute(c, "DELETE FROM gh_user_roles WHERE user_id = ?", user.id());
            insertRoleLinks(c, user.id(), roleIds.values());
            execute(c, "DELETE FROM gh_user_attributes WHERE user_id = ?", user.id());
            insertAttributes(c, user.id(), attributes);
            changed(c, user.id());
            return reader.existingUser(c, user.id());
        }, c -> userConflict(c, emailKey, usernameKey, stamp, user.id()));
    }

    /** Deletes the user; its role links, attributes and anything else keyed to it go by ON DELETE CASCADE. */
    @Override
    public boolean deleteUser(long userId) {
        return transactions.write("delete a user", c -> {
            boolean deleted = execute(c, "DELETE FROM gh_users WHERE id = ?", userId) > 0;
            if (deleted) {
                changed(c, userId);
            }
            return deleted;
        });
    }

    @Override
    public boolean activate(long userId) {
        return setActive(userId, true);
    }

    @Override
    public boolean deactivate(long userId) {
        return setActive(userId, false);
    }

    private boolean setActive(long userId, boolean active) {
        return transactions.write(active ? "activate a user" : "deactivate a user", c -> {
            if (execute(c, "UPDATE gh_users SET active = ? WHERE id = ? AND active <> ?", active, userId, active) > 0) {
                changed(c, userId);
                return true;
            }
            lockUser(c, userId);
            return false;
        });
    }

    @Override
    public User toggleActive(long userId) {
        return transactions.write("toggle a user's active flag", c -> {
            if (execute(c, "UPDATE gh_users SET active = NOT active WHERE id = ?", userId) == 0) {
                throw new NoSuchUserException(userId);
            }
            changed(c, userId);
            return reader.existingUser(c, userId);
        });
    }

    @Override
    public User setSecurityStamp(long userId, String securityStamp) {
        Objects.requireNonNull(securityStamp, "securityStamp");
        String stamp = SecurityStamps.check(securityStamp);
        return transactions.write("set a security stamp", c -> {
            if (execute(c, "UPDATE gh_users SET security_stamp = ? WHERE id = ?", stamp, userId) == 0) {
                throw new NoSuchUserException(userId);
            }
            changed(c, userId);
            return reader.existingUser(c, userId);
        }, c -> taken(c, "security_stamp", stamp, userId) ? stampInUse() : null);
    }

    @Override
    public User setPasswordHash(long userId, String passwordHash) {
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (!PasswordHashFormat.isRecognized(passwordHash)) {
            throw new InvalidInputException("password", "PLAINTEXT_PASSWORD_REFUSED",
                    "the password must be given as a hash produced by PasswordHasher, not as plaintext");
        }
        return transactions.write("set a password hash", c -> {
            if (execute(c, "UPDATE gh_users SET password_hash = ? WHERE id = ?", passwordHash, userId) == 0) {
                throw new NoSuchUserException(userId);
            }
            changed(c, userId);
            return reader.existingUser(c, userId);
        });
    }

    @Override
    public User patchUser(long userId, UserPatch patch) {
        Objects.requireNonNull(patch, "patch");
        // The patch validated its values; the columns below are constants of this method.
        List<String> assignments = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        String emailKey = patch.email().map(Identifiers::emailKey).orElse(null);
        String usernameKey = patch.username().map(Identifiers::usernameKey).orElse(null);
        patch.email().ifPresent(email -> {
            assignments.add("email = ?");
            values.add(email);
            assignments.add("email_key = ?");
            values.add(emailKey);
        });
        if (patch.changesUsername()) {
            assignments.add("username = ?");
            values.add(patch.username().orElse(null));
            assignments.add("username_key = ?");
            values.add(usernameKey);
        }
        patch.passwordHash().ifPresent(hash -> {
            assignments.add("password_hash = ?");
            values.add(hash);
        });
        patch.securityStamp().ifPresent(stamp -> {
            assignments.add("security_stamp = ?");
            values.add(stamp);
        });
        if (patch.changesConfirmedAt()) {
            assignments.add("confirmed_at = ?");
            values.add(patch.confirmedAt().orElse(null));
        }
        if (assignments.isEmpty()) {
            return findUserById(userId).orElseThrow(() -> new NoSuchUserException(userId));
        }
        String sql = "UPDATE gh_users SET " + String.join(", ", assignments) + " WHERE id = ?";
        return transactions.write("patch a user", c -> {
            try (PreparedStatement update = c.prepareStatement(sql)) {
                for (int i = 0; i < values.size(); i++) {
                    Object value = values.get(i);
                    if (value instanceof Instant instant) {
                        transactions.dialect().bindInstant(update, i + 1, instant);
                    } else if (value == null && assignments.get(i).startsWith("confirmed_at")) {
                        transactions.dialect().bindInstant(update, i + 1, null);
                    } else {
                        Statements.bindNullable(update, i + 1, (String) value);
                    }
                }
                update.setLong(values.size() + 1, userId);
                if (update.executeUpdate() == 0) {
                    throw new NoSuchUserException(userId);
                }
            }
            changed(c, userId);
            return reader.existingUser(c, userId);
        }, c -> {
            if (emailKey != null && taken(c, "email_key", emailKey, userId)) {
                return new DuplicateUserException("email");
            }
            if (usernameKey != null && taken(c, "username_key", usernameKey, userId)) {
                return new DuplicateUserException("username");
            }
            if (patch.securityStamp().isPresent() && taken(c, "security_stamp", patch.securityStamp().get(), userId)) {
                return stampInUse();
            }
            return null;
        });
    }

    @Override
    public User recordLogin(long userId, Instant at, Optional<String> ip) {
        Instant loginAt = StoreLimits.instant("at", at);
        String loginIp = ip.map(StoreLimits::ipAddress).orElse(null);
        return transactions.write("record a login", c -> {
            try (PreparedStatement update = c.prepareStatement(RECORD_LOGIN)) {
                transactions.dialect().bindInstant(update, 1, loginAt);
                Statements.bindNullable(update, 2, loginIp);
                transactions.dialect().bindInstant(update, 3, loginAt);
                Statements.bindNullable(update, 4, loginIp);
                update.setLong(5, userId);
                if (update.executeUpdate() == 0) {
                    throw new NoSuchUserException(userId);
                }
            }
            changed(c, userId);
            return reader.existingUser(c, userId);
        });
    }

    // ================================================================ roles

    @Override
    public Optional<Role> findRole(String name) {
        Objects.requireNonNull(name, "name");
        if (name.length() > ROLE_NAME_WIDTH) {
            return Optional.empty();
        }
        return transactions.statement("find a role", c -> reader.role(c, name));
    }

    @Override
    public List<Role> listRoles() {
        return transactions.statement("list roles", reader::roles);
    }

    @Override
    public Role createRole(Role role) {
        Objects.requireNonNull(role, "role");
        return transactions.write("create a role", c -> {
            insertRole(c, role);
            return role;
        }, c -> roleId(c, role.name()).isPresent() ? new DuplicateRoleException(role.name()) : null);
    }

    @Override
    public Role findOrCreateRole(String name) {
        Role candidate = Role.named(Objects.requireNonNull(name, "name"));
        // A concurrent creator makes the insert fail on the unique name; the retry then finds its role.
        return transactions.write("find or create a role", c -> {
            Optional<Role> existing = reader.role(c, name);
            if (existing.isPresent()) {
                return existing.get();
            }
            insertRole(c, candidate);
            return candidate;
        }, c -> null);
    }

    @Override
    public Role updateRole(Role role) {
        Objects.requireNonNull(role, "role");
        return transactions.write("update a role", c -> {
            long id;
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM gh_roles WHERE name = ? FOR UPDATE")) {
                lock.setString(1, role.name());
                try (ResultSet rows = lock.executeQuery()) {
                    if (!rows.next()) {
                        throw new NoSuchRoleException(role.name());
                    }
                    id = rows.getLong(1);
                }
            }
            execute(c, "UPDATE gh_roles SET description = ? WHERE id = ?", role.description(), id);
            execute(c, "DELETE FROM gh_role_permissions WHERE role_id = ?", id);
            insertPermissions(c, id, role.permissions());
            changed(c, null);
            return role;
        });
    }

    /** Deletes the role; its permissions and every user's link to it go by ON DELETE CASCADE. */
    @Override
    public boolean deleteRole(String name) {
        Objects.requireNonNull(name, "name");
        return transactions.write("delete a role", c -> {
            boolean deleted = execute(c, "DELETE FROM gh_roles WHERE name = ?", name) > 0;
            if (deleted) {
                changed(c, null);
            }
            return deleted;
        });
    }

    @Override
    public User addRoleToUser(long userId, String roleName) {
        Objects.requireNonNull(roleName, "roleName");
        // An integrity violation here means the role was deleted concurrently: the retry reports it.
        return transactions.write("add a role to a user", c -> {
            lockUser(c, userId);
            long roleId = roleId(c, roleName).orElseThrow(() -> new NoSuchRoleException(roleName));
            try (PreparedStatement held = c.prepareStatement(
                    "SELECT 1 FROM gh_user_roles WHERE user_id = ? AND role_id = ?")) {
                held.setLong(1, userId);
                held.setLong(2, roleId);
                try (ResultSet rows = held.executeQuery()) {
                    if (!rows.next()) {
                        insertRoleLinks(c, userId, List.of(roleId));
                        changed(c, userId);
                    }
                }
            }
            return reader.existingUser(c, userId);
        }, c -> null);
    }

    @Override
    public User removeRoleFromUser(long userId, String roleName) {
        Objects.requireNonNull(roleName, "roleName");
        return transactions.write("remove a role from a user", c -> {
            lockUser(c, userId);
            long roleId = roleId(c, roleName).orElseThrow(() -> new NoSuchRoleException(roleName));
            if (execute(c, "DELETE FROM gh_user_roles WHERE user_id = ? AND role_id = ?", userId, roleId) > 0) {
                changed(c, userId);
            }
            return reader.existingUser(c, userId);
        });
    }

    // ================================================================ internals, inside a transaction

    /**
     * Logs a change of a user ({@code null}: of any user) for the other nodes' caches, in the
     * transaction of the change, so the log and the data never disagree.
     */
    private void changed(Connection c, Long userId) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO gh_user_changes (user_id, changed_at) VALUES (?, ?)")) {
            if (userId == null) {
                insert.setNull(1, java.sql.Types.BIGINT);
            } else {
                insert.setLong(1, userId);
            }
            transactions.dialect().bindInstant(insert, 2, StoreLimits.instant("changed_at", clock.instant()));
            insert.executeUpdate();
        }
    }

    /**
     * Locks the user's row until the transaction ends, so that changes to one user's roles and
     * attributes serialize, or throws {@link NoSuchUserException}.
     */
    private static void lockUser(Connection c, long userId) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT id FROM gh_users WHERE id = ? FOR UPDATE")) {
            lock.setLong(1, userId);
            try (ResultSet rows = lock.executeQuery()) {
                if (!rows.next()) {
                    throw new NoSuchUserException(userId);
                }
            }
        }
    }

    private static Optional<Long> roleId(Connection c, String name) throws SQLException {
        if (name.length() > ROLE_NAME_WIDTH) {
            return Optional.empty();
        }
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM gh_roles WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
            }
        }
    }

    /** The ids of the named roles, or {@link NoSuchRoleException} naming the first missing one. */
    private static Map<String, Long> roleIds(Connection c, Set<String> names) throws SQLException {
        Map<String, Long> ids = new HashMap<>();
        if (names.isEmpty()) {
            return ids;
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, name FROM gh_roles WHERE name IN (" + Statements.placeholders(names.size()) + ")")) {
            Statements.bind(select, List.copyOf(names));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.put(rows.getString(2), rows.getLong(1));
                }
            }
        }
        for (String name : new TreeSet<>(names)) {
            if (!ids.containsKey(name)) {
                throw new NoSuchRoleException(name);
            }
        }
        return ids;
    }

    private static void insertRoleLinks(Connection c, long userId, Collection<Long> roleIds) throws SQLException {
        if (roleIds.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO gh_user_roles (user_id, role_id) VALUES (?, ?)")) {
            for (long roleId : roleIds) {
                insert.setLong(1, userId);
                insert.setLong(2, roleId);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void insertAttributes(Connection c, long userId, Map<String, String> attributes) throws SQLException {
        if (attributes.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO gh_user_attributes (user_id, attr_name, attr_value, attr_order) VALUES (?, ?, ?, ?)")) {
            int order = 0;
            for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                insert.setLong(1, userId);
                insert.setString(2, attribute.getKey());
                insert.setString(3, attribute.getValue());
                insert.setInt(4, order++);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void insertRole(Connection c, Role role) throws SQLException {
        long id;
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO gh_roles (name, description) VALUES (?, ?)", new String[] {"id"})) {
            insert.setString(1, role.name());
            insert.setString(2, role.description());
            insert.executeUpdate();
            id = generatedId(insert);
        }
        insertPermissions(c, id, role.permissions());
    }

    private static void insertPermissions(Connection c, long roleId, Set<String> permissions) throws SQLException {
        if (permissions.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO gh_role_permissions (role_id, permission) VALUES (?, ?)")) {
            for (String permission : permissions) {
                insert.setLong(1, roleId);
                insert.setString(2, permission);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static long generatedId(PreparedStatement insert) throws SQLException {
        try (ResultSet keys = insert.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the database returned no generated id", "HY000");
            }
            return keys.getLong(1);
        }
    }

    /**
     * Which uniqueness rule a failed user insert or update broke, asked after the rollback:
     * email first, then username, then security stamp; {@code null} if none (the other row has
     * gone since, or a role was deleted concurrently), which retries the operation.
     */
    private static RuntimeException userConflict(Connection c, String emailKey, String usernameKey, String stamp,
                                                 long selfId) throws SQLException {
        if (taken(c, "email_key", emailKey, selfId)) {
            return new DuplicateUserException("email");
        }
        if (usernameKey != null && taken(c, "username_key", usernameKey, selfId)) {
            return new DuplicateUserException("username");
        }
        if (taken(c, "security_stamp", stamp, selfId)) {
            return stampInUse();
        }
        return null;
    }

    /** Whether a user other than {@code selfId} has {@code value} in {@code column}, a constant of the caller. */
    private static boolean taken(Connection c, String column, String value, long selfId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT 1 FROM gh_users WHERE " + column + " = ? AND id <> ?")) {
            select.setString(1, value);
            select.setLong(2, selfId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static InvalidInputException stampInUse() {
        return new InvalidInputException("security_stamp", "SECURITY_STAMP_IN_USE", "another user has this security stamp");
    }

    /** Configures a {@link JdbcUserStore}; not thread-safe, build once. */
    public static final class Builder {
        private final DataSource dataSource;
        private Clock clock = Clock.systemUTC();
        private boolean migrate = true;
        private Duration changePollInterval = Duration.ofMillis(250);

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** Where {@code createdAt} timestamps come from; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether {@link #build()} runs pending schema migrations first ({@code true} by default).
         * Turn it off when deployments migrate separately, e.g. with {@code gatehouse db migrate}.
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * How often a node looks for changes other processes made to users, to drop its cached
         * copies (see {@link #changeFeed()}); a quarter of a second by default.
         */
        public Builder changePollInterval(Duration changePollInterval) {
            if (changePollInterval.toMillis() < 10 || changePollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("changePollInterval must be between 10ms and 1m");
            }
            this.changePollInterval = changePollInterval;
            return this;
        }

        /**
         * Connects once to learn the database product, migrates if asked to, and returns the store.
         *
         * @throws dev.gatehouse.user.StoreException if the database is unreachable, unsupported, or a
         *                                           migration fails
         */
        public JdbcUserStore build() {
            Dialect dialect = Dialect.of(dataSource);
            if (migrate) {
                new JdbcSchema(dataSource, dialect).migrateOnce();
            }
            return new JdbcUserStore(new Transactions(dataSource, dialect), clock, changePollInterval);
        }
    }
}
