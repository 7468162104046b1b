package dev.gatehouse.cli;

import static dev.gatehouse.config.Settings.LOCKOUT_ENABLED;
import static dev.gatehouse.config.Settings.LOCKOUT_SCOPE;

import dev.gatehouse.auth.Lockout;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.LockoutScope;
import dev.gatehouse.event.Events;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.jdbc.JdbcAuditLog;
import dev.gatehouse.jdbc.JdbcCounterStore;
import dev.gatehouse.jdbc.JdbcExternalIdentityStore;
import dev.gatehouse.jdbc.JdbcOutboxStore;
import dev.gatehouse.jdbc.JdbcSecondFactorStore;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.mail.Outbox;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.SecondFactorRecord;
import dev.gatehouse.twofactor.SmsSender;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.ExternalIdentityStore;
import dev.gatehouse.user.DuplicateUserException;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.NoSuchRoleException;
import dev.gatehouse.user.Page;
import dev.gatehouse.user.SecurityStamps;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserQuery;
import dev.gatehouse.user.UserStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.sql.DataSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse users …}: Flask-Security's {@code flask users} commands, plus show, list and delete. */
@Command(name = "users",
        description = "Create, change, inspect and delete users. USER is an email address or a username.")
final class UsersCommand {

    @ParentCommand
    GatehouseCli root;

    @Command(name = "create",
            description = {"Create a user. Without a password option the password is asked for on a terminal;"
                    + " with no terminal the user gets no password (and cannot sign in with one until"
                    + " `users change-password`)."})
    int create(@Parameters(paramLabel = "EMAIL", description = "The email address.") String email,
               @Option(names = "--username", paramLabel = "USERNAME", description = "A username, unique ignoring case, without @.")
               String username,
               @ArgGroup(exclusive = true) Passwords.Source password,
               @Option(names = {"-r", "--role"}, paramLabel = "ROLE", description = "A role to grant (repeatable); it must exist.")
               List<String> roles,
               @Option(names = "--inactive", description = "Create the user deactivated.") boolean inactive,
               @Option(names = "--confirmed", description = "Mark the email address as confirmed now.") boolean confirmed,
               @Option(names = "--attr", paramLabel = "NAME=VALUE", description = "A profile attribute (repeatable).")
               Map<String, String> attributes) {
        Output output = root.output();
        String checkedEmail = Identifiers.checkEmail(email);
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            UserStore store = workspace.store();
            // Everything that can be checked is checked before the (slow) hash and the write.
            if (store.findUserByEmail(checkedEmail).isPresent()) {
                throw CliException.failure("USER_EXISTS", "a user with email " + checkedEmail + " exists");
            }
            if (username != null && store.findUserByUsername(Identifiers.checkUsername(username)).isPresent()) {
                throw CliException.failure("USER_EXISTS", "username " + username + " is taken");
            }
            List<String> roleNames = roles == null ? List.of() : roles;
            roleNames.forEach(role -> Lookups.role(store, role));
            NewUser.Builder user = NewUser.builder(checkedEmail)
                    .username(username)
                    .active(!inactive)
                    .roles(new TreeSet<>(roleNames))
                    .attributes(attributes == null ? Map.of() : attributes);
            if (confirmed) {
                user.confirmedAt(Clock.systemUTC().instant());
            }
            Optional<String> typed = Passwords.read(password, root.environment(), output);
            List<String> userInputs = new ArrayList<>();
            userInputs.add(checkedEmail);
            if (username != null) {
                userInputs.add(username);
            }
            if (attributes != null) {
                userInputs.addAll(attributes.values());
            }
            typed.ifPresent(p -> user.passwordHash(Passwords.hash(p, userInputs, workspace.policy(), workspace.hasher())));
            User created;
            try {
                created = store.createUser(user.build());
            } catch (DuplicateUserException e) {
                // Created by someone else since the check above.
                throw CliException.failure("USER_EXISTS", "a user with this " + e.field() + " exists");
            } catch (NoSuchRoleException e) {
                throw CliException.failure("NO_SUCH_ROLE", e.getMessage());
            }
            if (typed.isEmpty()) {
                output.note("no password set: " + created.email() + " cannot sign in with a password until one is set"
                        + " with `gatehouse users change-password`");
            }
            output.result("Created user " + created.email() + " (id " + created.id() + ")"
                    + (created.roleNames().isEmpty() ? "" : " with roles " + Views.list(created.roleNames()))
                    + (created.isActive() ? "." : ", inactive."), Views.user(created));
        }
        return 0;
    }

    @Command(name = "activate", description = "Let a deactivated user sign in again.")
    int activate(@Parameters(paramLabel = "USER") String reference) {
        return setActive(reference, true);
    }

    @Command(name = "deactivate",
            description = "Stop a user from signing in; their sessions and tokens stop working too.")
    int deactivate(@Parameters(paramLabel = "USER") String reference) {
        return setActive(reference, false);
    }

    private int setActive(String reference, boolean active) {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            UserStore store = workspace.store();
            User user = Lookups.user(store, reference);
            boolean changed = active ? store.activate(user.id()) : store.deactivate(user.id());
            String state = active ? "active" : "inactive";
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("email", user.email());
            json.put("active", active);
            json.put("changed", changed);
            output.result(changed ? (active ? "Activated " : "Deactivated ") + user.email() + "."
                    : user.email() + " was already " + state + ".", json);
        }
        return 0;
    }

    @Command(name = "reset-access",
            description = {"End every session, remember-me cookie, API token and refresh token of a user by"
                    + " rotating their security stamp, and remove their second factors (authenticator app, email or"
                    + " SMS codes), recovery codes and unified sign-in methods: for a user who lost their phone."
                    + " The password stays as it is."})
    int resetAccess(@Parameters(paramLabel = "USER") String reference) {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            UserStore store = workspace.store();
            User user = Lookups.user(store, reference);
            boolean hadFactors = twoFactor(workspace).reset(user.id());
            store.rotateSecurityStamp(user.id());
            output.result("Reset the access of " + user.email() + ": their sessions, remember-me cookies and tokens"
                    + " no longer work" + (hadFactors ? ", and their second factors and recovery codes are removed (they"
                    + " can set up two-factor again after signing in with their password)." : "; they had no second factor."),
                    Views.object("email", user.email(), "reset", true, "second_factors_removed", hadFactors));
        }
        return 0;
    }

    @Command(name = "unlock",
            description = {"End the lock on a user's account after too many failed sign-ins (the lockout-* settings),"
                    + " and forget their failures, as the emailed unlock link does; recorded in the audit log"
                    + " (user_unlocked, how=admin). With lockout-scope=account-and-address the locks of every"
                    + " address end."})
    int unlock(@Parameters(paramLabel = "USER") String reference) {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            GatehouseConfig config = workspace.settings().config();
            if (!config.get(LOCKOUT_ENABLED)) {
                throw CliException.failure("LOCKOUT_DISABLED", "lockout-enabled is false in this configuration: no account"
                        + " is locked (give the application's settings with --config or GATEHOUSE_* variables)");
            }
            UserStore store = workspace.store();
            User user = Lookups.user(store, reference);
            boolean wasLocked = lockout(workspace).unlock(user.id(), "admin", ClientInfo.UNKNOWN);
            // Per-address locks cannot be listed: the unlock ends them all without knowing whether there were any.
            boolean perAddress = config.get(LOCKOUT_SCOPE) == LockoutScope.ACCOUNT_AND_ADDRESS;
            String text = perAddress ? "Ended every lock on " + user.email() + " from any address."
                    : wasLocked ? "Unlocked " + user.email() + "." : user.email() + " was not locked.";
            // was_locked is null where it cannot be known (per-address locks).
            output.result(text, Views.object("email", user.email(), "was_locked", perAddress ? null : wasLocked, "unlocked", true));
        }
        return 0;
    }

    /** The application's lockout over the same database: its counters and, for the event, its audit log. */
    private static Lockout lockout(Workspace workspace) {
        return new Application(workspace).lockout();
    }

    /**
     * The application's two-factor service over the same database (its stores; events to its audit log). The
     * CLI sends no code, so it has no SMS sender.
     */
    private static TwoFactor twoFactor(Workspace workspace) {
        Application app = new Application(workspace);
        return TwoFactor.builder(app.config, app.clock).users(workspace.store()).store(secondFactors(workspace))
                .counters(app.counters).limits(RateLimiter.fromConfig(app.config, app.counters, app.clock))
                .lockout(app.lockout()).outbox(app.outbox).events(app.events).tokens(app.tokens)
                .smsSender(SmsSender.NONE).build();
    }

    /** What the lockout and two-factor services of the application need, on the workspace's database. */
    private static final class Application {
        final GatehouseConfig config;
        final Clock clock = Clock.systemUTC();
        final CounterStore counters;
        final Events events;
        final Outbox outbox;
        final TokenSigner tokens;
        final UserStore users;

        Application(Workspace workspace) {
            this.config = workspace.settings().config();
            this.users = workspace.store();
            DataSource dataSource = workspace.database().dataSource();
            this.counters = JdbcCounterStore.create(dataSource, false);
            this.events = new Events(List.of(JdbcAuditLog.create(dataSource, false)::record));
            // The outbox and signer are only for unlock links and codes, which these commands never send.
            this.outbox = new Outbox(JdbcOutboxStore.create(dataSource, false), ValueSealer.create(config), clock);
            this.tokens = TokenSigner.create(config, clock);
        }

        Lockout lockout() {
            return Lockout.fromConfig(config, counters, users, tokens, outbox, events, clock);
        }
    }

    private static JdbcSecondFactorStore secondFactors(Workspace workspace) {
        return JdbcSecondFactorStore.create(workspace.database().dataSource(), false);
    }

    @Command(name = "change-password",
            description = {"Set a user's password (asked for on a terminal when no option gives it). Like"
                    + " Flask-Security's, this also ends every session and token of the user; tell them the new"
                    + " password another way."})
    int changePassword(@Parameters(paramLabel = "USER") String reference,
                       @ArgGroup(exclusive = true) Passwords.Source password) {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            UserStore store = workspace.store();
            User user = Lookups.user(store, reference);
            String typed = Passwords.read(password, root.environment(), output).orElseThrow(() -> CliException.usage(
                    "no password given: use --password-stdin (or --password, or run on a terminal to be asked)"));
            List<String> userInputs = new ArrayList<>();
            userInputs.add(user.email());
            user.username().ifPresent(userInputs::add);
            userInputs.addAll(user.attributes().values());
            String hash = Passwords.hash(typed, userInputs, workspace.policy(), workspace.hasher());
            // One write for both, so the new password never stands with the old sessions still valid.
            store.updateUser(user.toBuilder().passwordHash(hash).securityStamp(SecurityStamps.generate()).build());
            output.result("Changed the password of " + user.email() + " and ended their sessions and tokens.",
                    Views.object("email", user.email(), "password_changed", true));
        }
        return 0;
    }

    @Command(name = "delete",
            description = "Delete a user with their role links, attributes and stored sessions. Asks first, unless --yes.")
    int delete(@Parameters(paramLabel = "USER") String reference,
               @Option(names = {"-y", "--yes"}, description = "Do not ask.") boolean yes) {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            UserStore store = workspace.store();
            User user = Lookups.user(store, reference);
            root.confirm(yes, "Delete user " + user.email() + " (id " + user.id() + ")?",
                    "deleting " + user.email(), "not deleted: " + user.email());
            store.deleteUser(user.id());
            output.result("Deleted user " + user.email() + " (id " + user.id() + ").",
                    Views.object("email", user.email(), "id", user.id(), "deleted", true));
        }
        return 0;
    }

    @Command(name = "show",
            description = {"Show a user: roles, permissions, confirmation, login tracking, attributes, password scheme,"
                    + " second factor (method, masked phone, sign-in methods, recovery codes left) and the accounts at"
                    + " identity providers linked to it."})
    int show(@Parameters(paramLabel = "USER") String reference) {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            User user = Lookups.user(workspace.store(), reference);
            List<ExternalIdentity> identities = identities(workspace).listForUser(user.id());
            Optional<SecondFactorRecord> factors = secondFactors(workspace).find(user.id());
            Map<String, Object> json = Views.user(user);
            json.put("two_factor", Views.twoFactor(factors));
            json.put("external_identities", identities.stream().map(Views::identity).toList());
            output.result(Views.userText(user) + "\n" + Views.twoFactorText(factors) + "\n" + Views.identitiesText(identities),
                    json);
        }
        return 0;
    }

    @Command(name = "unlink",
            description = {"Unlink an account at an identity provider from a user, given by its issuer and subject"
                    + " as `users show` lists them. The user can no longer sign in with it; signing in with it again"
                    + " creates or links an account as on a first sign-in."})
    int unlink(@Parameters(paramLabel = "USER") String reference,
               @Option(names = "--issuer", required = true, paramLabel = "ISSUER", description = "The provider's issuer URL.")
               String issuer,
               @Option(names = "--subject", required = true, paramLabel = "SUBJECT",
                       description = "The user's subject (sub) at that issuer, exactly.") String subject) {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            User user = Lookups.user(workspace.store(), reference);
            ExternalIdentityStore identities = identities(workspace);
            if (!identities.unlink(user.id(), issuer, subject)) {
                throw CliException.failure("NO_SUCH_IDENTITY", user.email() + " has no linked identity with this issuer"
                        + " and subject; `gatehouse users show " + user.email() + "` lists them");
            }
            if (user.passwordHash().isEmpty() && identities.listForUser(user.id()).isEmpty()) {
                output.note(user.email() + " has no password and no other linked identity left: they cannot sign in"
                        + " until a password is set with `gatehouse users change-password`");
            }
            output.result("Unlinked " + issuer + " (subject " + subject + ") from " + user.email() + ".",
                    Views.object("email", user.email(), "issuer", issuer, "subject", subject, "unlinked", true));
        }
        return 0;
    }

    private static ExternalIdentityStore identities(Workspace workspace) {
        return JdbcExternalIdentityStore.create(workspace.database().dataSource(), false);
    }

    /** {@code --active} or {@code --inactive}. */
    static final class ActiveFilter {
        @Option(names = "--active", required = true, description = "Only active users.")
        boolean active;

        @Option(names = "--inactive", required = true, description = "Only deactivated users.")
        boolean inactive;
    }

    @Command(name = "two-factor",
            description = {"List the users who set up a second factor or unified sign-in methods, in id order, a page at"
                    + " a time: method, masked phone, sign-in methods and recovery codes left."})
    int twoFactorReport(@Option(names = "--limit", paramLabel = "N", defaultValue = "50",
                                description = "Users per page, 1-" + UserQuery.MAX_LIMIT + " (default ${DEFAULT-VALUE}).") int limit,
                        @Option(names = "--offset", paramLabel = "N", defaultValue = "0",
                                description = "Users to skip (default ${DEFAULT-VALUE}).") int offset) {
        if (limit < 1 || limit > UserQuery.MAX_LIMIT) {
            throw CliException.usage("--limit must be between 1 and " + UserQuery.MAX_LIMIT + ", not " + limit);
        }
        if (offset < 0) {
            throw CliException.usage("--offset must not be negative");
        }
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            // One more than asked tells whether there is a next page.
            List<SecondFactorRecord> records = secondFactors(workspace).list(offset, limit + 1);
            boolean hasNext = records.size() > limit;
            List<SecondFactorRecord> page = hasNext ? records.subList(0, limit) : records;
            List<List<String>> rows = new ArrayList<>();
            List<Map<String, Object>> users = new ArrayList<>();
            for (SecondFactorRecord r : page) {
                String email = workspace.store().findUserById(r.userId()).map(User::email).orElse("-");
                Map<String, Object> json = Views.object("id", r.userId(), "email", email);
                json.putAll(Views.twoFactor(Optional.of(r)));
                users.add(json);
                rows.add(List.of(Long.toString(r.userId()), email, r.primaryMethod().map(FactorMethod::wireName).orElse("-"),
                        r.phoneNumber().map(Views::maskPhone).orElse("-"), Views.list(Views.methodNames(r.signInMethods())),
                        Integer.toString(r.recoveryCodeDigests().size())));
            }
            String text = page.isEmpty() ? (offset == 0 ? "No user has a second factor." : "No users at offset " + offset + ".")
                    : Output.table(List.of("ID", "EMAIL", "METHOD", "PHONE", "SIGN-IN METHODS", "RECOVERY CODES"), rows)
                            + (hasNext ? "\nNext page: --offset " + (offset + page.size()) : "");
            output.result(text, Views.object("offset", offset, "limit", limit, "has_next", hasNext, "users", users));
        }
        return 0;
    }

    @Command(name = "list",
            description = "List users in id order, a page at a time, optionally only those with a role or activation state.")
    int list(@Option(names = {"-r", "--role"}, paramLabel = "ROLE", description = "Only users with this role.") String role,
             @ArgGroup(exclusive = true) ActiveFilter activeFilter,
             @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
                     description = "Users per page, 1-" + UserQuery.MAX_LIMIT + " (default ${DEFAULT-VALUE}).") int limit,
             @Option(names = "--offset", paramLabel = "N", defaultValue = "0",
                     description = "Users to skip (default ${DEFAULT-VALUE}).") int offset) {
        if (limit < 1 || limit > UserQuery.MAX_LIMIT) {
            throw CliException.usage("--limit must be between 1 and " + UserQuery.MAX_LIMIT + ", not " + limit);
        }
        if (offset < 0) {
            throw CliException.usage("--offset must not be negative");
        }
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            UserStore store = workspace.store();
            UserQuery query = new UserQuery(Optional.empty(), Optional.empty(), offset, limit);
            if (role != null) {
                query = query.withRole(Lookups.role(store, role).name());
            }
            if (activeFilter != null) {
                query = query.withActive(activeFilter.active);
            }
            Page<User> page = store.listUsers(query);
            output.result(listText(page), listJson(page));
        }
        return 0;
    }

    private static String listText(Page<User> page) {
        if (page.items().isEmpty()) {
            return page.total() == 0 ? "No users." : "No users at offset " + page.query().offset() + " (" + page.total() + " in all).";
        }
        List<List<String>> rows = new ArrayList<>();
        for (User user : page.items()) {
            rows.add(List.of(Long.toString(user.id()), user.email(), user.username().orElse("-"),
                    user.isActive() ? "yes" : "no", user.confirmedAt().isPresent() ? "yes" : "no",
                    Views.list(user.roleNames())));
        }
        int first = page.query().offset() + 1;
        int last = page.query().offset() + page.items().size();
        String footer = "Users " + first + "-" + last + " of " + page.total() + "."
                + (page.hasNext() ? " Next page: --offset " + last : "");
        return Output.table(List.of("ID", "EMAIL", "USERNAME", "ACTIVE", "CONFIRMED", "ROLES"), rows) + "\n" + footer;
    }

    private static Map<String, Object> listJson(Page<User> page) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("total", page.total());
        json.put("offset", page.query().offset());
        json.put("limit", page.query().limit());
        json.put("has_next", page.hasNext());
        json.put("users", page.items().stream().map(Views::user).toList());
        return json;
    }
}
