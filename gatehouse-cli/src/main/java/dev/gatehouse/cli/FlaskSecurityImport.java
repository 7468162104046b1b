package dev.gatehouse.cli;

import dev.gatehouse.cli.FlaskSecuritySource.SourceRole;
import dev.gatehouse.cli.FlaskSecuritySource.SourceUser;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.jdbc.JdbcUserStore;
import dev.gatehouse.password.PasswordHashFormat;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.Role;
import dev.gatehouse.user.SecurityStamps;
import dev.gatehouse.user.StoreLimits;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Copies a {@link FlaskSecuritySource} into Gatehouse: first a plan that decides, for every role
 * and user, whether it is created, already there, or in conflict — then, only if nothing is in
 * conflict, the writes.
 *
 * <ul>
 *   <li><b>Same user</b>: a Gatehouse user with the same email (case-insensitively) <em>and</em> the
 *       same security stamp as the Flask user's {@code fs_uniquifier} is the one an earlier import
 *       made. It is left as it is, even if it changed since (signed in, new hash, new roles): so
 *       a second import changes nothing.</li>
 *   <li><b>Conflict</b>: a Gatehouse user with that email but another stamp, a username or stamp
 *       held by another Gatehouse user, a role with that name but another description or other
 *       permissions. Conflicts are reported and nothing is written.</li>
 *   <li><b>Problem</b>: a Flask row Gatehouse cannot store as it is (an email or username Gatehouse
 *       refuses, a hash format it cannot verify, two emails equal ignoring case). Reported like a
 *       conflict.</li>
 * </ul>
 *
 * Passwords: Flask-Security hashes HMAC-SHA512(SECURITY_PASSWORD_SALT, password) rather than the
 * password, unless {@code SECURITY_PASSWORD_SINGLE_HASH} is set; such hashes are stored as
 * {@code {fs}} plus the original, which Gatehouse verifies when {@code password-salt} is configured
 * and replaces with an argon2id hash at the first sign-in.
 *
 * <p>Second factors: see {@link FlaskSecondFactors}; the TOTP keys are decrypted with the Flask
 * application's {@code SECURITY_TOTP_SECRETS} ({@link FlaskTotpSecrets}) while planning, so a
 * value that cannot be read is a warning of the plan, never a failure halfway through the writes.
 */
final class FlaskSecurityImport {

    /** What happens to one role or user. */
    enum Action { CREATE, PRESENT, CONFLICT }

    /** The decision for one role. */
    record RoleStep(String name, Action action, Role role, String reason) {
    }

    /** The decision for one user; {@code user} is what would be created, {@code factors} its second factors. */
    record UserStep(String email, Action action, NewUser user, SourceUser source, String reason,
                    FlaskSecondFactors factors) {
    }

    /** Every decision, the problems that block the import, and what the operator should know. */
    record Plan(List<RoleStep> roles, List<UserStep> users, List<String> conflicts, List<String> warnings) {

        long roles(Action action) {
            return roles.stream().filter(r -> r.action() == action).count();
        }

        long users(Action action) {
            return users.stream().filter(u -> u.action() == action).count();
        }

        /** What applying the plan writes: one per role or user created. */
        long changes() {
            return roles(Action.CREATE) + users(Action.CREATE);
        }

        /** Users the import creates with their second factors (or unified sign-in methods). */
        long secondFactors() {
            return users.stream().filter(u -> u.action() == Action.CREATE && !u.factors().isEmpty()).count();
        }

        /** Users the import creates with a Flask-Security double hash. */
        long flaskHashes() {
            return users.stream().filter(u -> u.action() == Action.CREATE)
                    .filter(u -> u.user().passwordHash().map(h -> h.startsWith("{fs}")).orElse(false)).count();
        }
    }

    private FlaskSecurityImport() {
    }

    /**
     * Decides what to do with everything in {@code source}, writing nothing.
     *
     * @param singleHash the Flask application set {@code SECURITY_PASSWORD_SINGLE_HASH = True}: its
     *                   hashes are of the password itself and are stored as they are
     */
    static Plan plan(FlaskSecuritySource source, UserStore store, boolean singleHash, FlaskTotpSecrets totpSecrets) {
        List<String> conflicts = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<RoleStep> roles = new ArrayList<>();
        for (SourceRole row : source.roles()) {
            roles.add(planRole(row, store, conflicts));
        }
        Map<String, Long> emails = new HashMap<>();
        Map<String, Long> usernames = new HashMap<>();
        List<UserStep> users = new ArrayList<>();
        for (SourceUser row : source.users()) {
            UserStep step = planUser(row, store, singleHash, conflicts);
            if (step.action() == Action.CREATE) {
                step = new UserStep(step.email(), step.action(), step.user(), row, null,
                        FlaskSecondFactors.plan(step.email(), row.factors(), totpSecrets, warnings));
            }
            users.add(step);
            if (step.user() != null) {
                // Flask's unique constraints may be case-sensitive (PostgreSQL); Gatehouse's are not.
                sameKey(emails, Identifiers.emailKey(step.user().email()), row, "email", conflicts);
                step.user().username().ifPresent(u -> sameKey(usernames, Identifiers.usernameKey(u), row, "username", conflicts));
            }
        }
        if (source.webauthnCredentials() > 0) {
            warnings.add(source.webauthnCredentials() + " WebAuthn credentials (passkeys, security keys) are not"
                    + " imported; their users sign in with their password");
        }
        return new Plan(roles, users, conflicts, warnings);
    }

    private static RoleStep planRole(SourceRole row, UserStore store, List<String> conflicts) {
        Role role;
        try {
            role = new Role(row.name(), row.description().orElse(""), row.permissions());
        } catch (InvalidInputException e) {
            conflicts.add("role " + row.name() + " (Flask id " + row.id() + "): " + e.getMessage());
            return new RoleStep(row.name(), Action.CONFLICT, null, e.getMessage());
        }
        Optional<Role> existing = store.findRole(role.name());
        if (existing.isEmpty()) {
            return new RoleStep(role.name(), Action.CREATE, role, null);
        }
        if (existing.get().equals(role)) {
            return new RoleStep(role.name(), Action.PRESENT, role, null);
        }
        String reason = "a Gatehouse role with this name exists with "
                + (existing.get().permissions().equals(role.permissions()) ? "another description" : "other permissions ("
                + Views.list(existing.get().permissions()) + " instead of " + Views.list(role.permissions()) + ")")
                + "; not overwritten";
        conflicts.add("role " + role.name() + ": " + reason);
        return new RoleStep(role.name(), Action.CONFLICT, role, reason);
    }

    private static UserStep planUser(SourceUser row, UserStore store, boolean singleHash, List<String> conflicts) {
        String subject = "user " + row.email() + " (Flask id " + row.id() + ")";
        NewUser user;
        try {
            user = newUser(row, singleHash);
        } catch (InvalidInputException | IllegalArgumentException e) {
            conflicts.add(subject + ": " + e.getMessage());
            return new UserStep(row.email(), Action.CONFLICT, null, row, e.getMessage(), FlaskSecondFactors.NONE);
        }
        Optional<User> sameEmail = store.findUserByEmail(user.email());
        String reason = null;
        if (sameEmail.isPresent()) {
            if (sameEmail.get().securityStamp().equals(row.fsUniquifier())) {
                return new UserStep(user.email(), Action.PRESENT, user, row, null, FlaskSecondFactors.NONE);
            }
            reason = "a Gatehouse user with this email exists (Gatehouse id " + sameEmail.get().id()
                    + ") and is not the one an import made (its security stamp is not this fs_uniquifier); not overwritten";
        } else if (user.username().flatMap(store::findUserByUsername).isPresent()) {
            reason = "username " + user.username().get() + " belongs to Gatehouse user "
                    + user.username().flatMap(store::findUserByUsername).get().email();
        } else if (store.findUserBySecurityStamp(row.fsUniquifier()).isPresent()) {
            reason = "its fs_uniquifier is the security stamp of Gatehouse user "
                    + store.findUserBySecurityStamp(row.fsUniquifier()).get().email();
        }
        if (reason != null) {
            conflicts.add(subject + ": " + reason);
            return new UserStep(user.email(), Action.CONFLICT, user, row, reason, FlaskSecondFactors.NONE);
        }
        return new UserStep(user.email(), Action.CREATE, user, row, null, FlaskSecondFactors.NONE);
    }

    /** The Gatehouse user for a Flask row, validated by the model; throws for what Gatehouse refuses. */
    private static NewUser newUser(SourceUser row, boolean singleHash) {
        if (!row.unreadable().isEmpty()) {
            throw new IllegalArgumentException("unreadable timestamp " + String.join(", ", row.unreadable()));
        }
        if (row.email() == null) {
            throw new IllegalArgumentException("no email address");
        }
        NewUser.Builder user = NewUser.builder(row.email())
                .active(row.active())
                .securityStamp(SecurityStamps.check(row.fsUniquifier()));
        row.username().filter(u -> !u.isBlank()).ifPresent(user::username);
        row.confirmedAt().map(at -> StoreLimits.instant("confirmed_at", at)).ifPresent(user::confirmedAt);
        row.password().filter(p -> !p.isEmpty()).ifPresent(hash -> {
            String stored = singleHash ? hash : "{fs}" + hash;
            if (!PasswordHashFormat.isRecognized(stored)) {
                throw new IllegalArgumentException("its password hash is in a format Gatehouse cannot verify"
                        + " (see docs/password-hashes.md); it would have to reset its password");
            }
            user.passwordHash(stored);
        });
        row.phoneNumber().filter(p -> !p.isBlank()).ifPresent(phone -> user.attribute("us_phone_number", phone));
        user.roles(row.roleNames());
        // Checked now so that the plan, not a write, reports them.
        row.lastLoginAt().ifPresent(at -> StoreLimits.instant("last_login_at", at));
        row.currentLoginAt().ifPresent(at -> StoreLimits.instant("current_login_at", at));
        row.createdAt().ifPresent(at -> StoreLimits.instant("create_datetime", at));
        row.lastLoginIp().ifPresent(StoreLimits::ipAddress);
        row.currentLoginIp().ifPresent(StoreLimits::ipAddress);
        return user.build();
    }

    private static void sameKey(Map<String, Long> seen, String key, SourceUser row, String what, List<String> conflicts) {
        Long other = seen.putIfAbsent(key, row.id());
        if (other != null) {
            conflicts.add("user " + row.email() + " (Flask id " + row.id() + "): same " + what + " as Flask user id " + other
                    + " when case is ignored, as Gatehouse does");
        }
    }

    /**
     * Writes the plan's creations: roles first, then users, each user in its own transactions
     * (created, then given its login tracking and its second factors; undone if that fails). Keeps
     * Flask's {@code create_datetime} as the creation time.
     *
     * @param twoFactor the application's two-factor service on the same database, which seals the
     *                  keys with its {@code secret}; may be null if the plan has no second factors
     * @return how many roles and users were created
     */
    static long apply(Plan plan, DataSource dataSource, TwoFactor twoFactor) {
        if (!plan.conflicts().isEmpty()) {
            throw new IllegalStateException("a plan with conflicts is never applied");
        }
        if (plan.secondFactors() > 0 && twoFactor == null) {
            throw new IllegalStateException("a plan with second factors needs the two-factor service");
        }
        SettableClock clock = new SettableClock();
        UserStore store = JdbcUserStore.builder(dataSource).clock(clock).migrate(false).build();
        long created = 0;
        for (RoleStep step : plan.roles()) {
            if (step.action() == Action.CREATE) {
                store.createRole(step.role());
                created++;
            }
        }
        for (UserStep step : plan.users()) {
            if (step.action() != Action.CREATE) {
                continue;
            }
            SourceUser row = step.source();
            clock.instant = row.createdAt().orElseGet(Instant::now);
            User user = store.createUser(step.user());
            try {
                if (row.loginCount() > 0 || row.lastLoginAt().isPresent() || row.currentLoginAt().isPresent()
                        || row.lastLoginIp().isPresent() || row.currentLoginIp().isPresent()) {
                    store.updateUser(user.toBuilder()
                            .lastLoginAt(row.lastLoginAt().orElse(null))
                            .currentLoginAt(row.currentLoginAt().orElse(null))
                            .lastLoginIp(row.lastLoginIp().orElse(null))
                            .currentLoginIp(row.currentLoginIp().orElse(null))
                            .loginCount(row.loginCount())
                            .build());
                }
                FlaskSecondFactors factors = step.factors();
                if (!factors.isEmpty()) {
                    twoFactor.importFactors(user.id(), factors.base32Key(), factors.primaryMethod(),
                            factors.phoneNumber(), factors.signInMethods());
                }
            } catch (RuntimeException e) {
                // The stores have no single call for "create with tracking and factors"; undo the half
                // (deleting the user deletes its second-factor record too).
                store.deleteUser(user.id());
                throw e;
            }
            created++;
        }
        return created;
    }

    /** The store's clock during an import: each user's {@code createdAt} is Flask's {@code create_datetime}. */
    private static final class SettableClock extends Clock {
        private Instant instant = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return instant;
        }
    }
}
