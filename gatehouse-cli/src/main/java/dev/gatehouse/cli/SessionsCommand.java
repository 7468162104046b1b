package dev.gatehouse.cli;

import dev.gatehouse.jdbc.JdbcSessionDataStore;
import dev.gatehouse.jdbc.JdbcSessionStore;
import dev.gatehouse.session.SessionDataStore;
import dev.gatehouse.session.SessionStore;
import dev.gatehouse.user.Page;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserQuery;
import dev.gatehouse.user.UserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse sessions …}: ending sessions of every user at once (ASVS 7.4.5). */
@Command(name = "sessions", description = "End the sessions and tokens of every user. For one user, see 'users reset-access'.")
final class SessionsCommand {

    private static final int PAGE = 500;

    @ParentCommand
    GatehouseCli root;

    @Command(name = "end-all",
            description = {"Sign every user out everywhere: rotate each user's security stamp, which ends their"
                    + " sessions, remember-me cookies, API tokens and refresh tokens, and delete the stored session"
                    + " records with the data attached to them (such as identity providers' tokens). Passwords stay."
                    + " Asks first, unless --yes."})
    int endAll(@Option(names = {"-y", "--yes"}, description = "Do not ask.") boolean yes) {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            UserStore store = workspace.store();
            long users = store.listUsers(UserQuery.firstPage(1)).total();
            root.confirm(yes, "Sign out all " + users + (users == 1 ? " user" : " users") + " everywhere?",
                    "ending every session", "nothing ended");
            SessionStore sessions = JdbcSessionStore.builder(workspace.database().dataSource()).migrate(false).build();
            SessionDataStore data = JdbcSessionDataStore.create(workspace.database().dataSource(), false);
            long ended = 0;
            long records = 0;
            long values = 0;
            for (Page<User> page = store.listUsers(UserQuery.firstPage(PAGE)); !page.items().isEmpty();
                    page = store.listUsers(page.query().next())) {
                for (User user : page.items()) {
                    // The stamp first: a token or cookie presented meanwhile already fails.
                    store.rotateSecurityStamp(user.id());
                    records += sessions.deleteAllForUser(user.id());
                    values += data.deleteAllForUser(user.id());
                    ended++;
                }
            }
            output.result("Signed out " + ended + (ended == 1 ? " user" : " users") + " everywhere; deleted " + records
                    + " stored session records" + (values == 0 ? "" : " and " + Lookups.count(values, "value") + " attached to them") + ".",
                    Views.object("users", ended, "records", records, "session_data", values, "ended", true));
        }
        return 0;
    }
}
