package dev.gatehouse.cli;

import dev.gatehouse.user.DuplicateRoleException;
import dev.gatehouse.user.Role;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserQuery;
import dev.gatehouse.user.UserStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse roles …}: Flask-Security's {@code flask roles} commands, plus list. */
@Command(name = "roles",
        description = "Create roles, grant and revoke them, change their permissions. USER is an email address or a username.")
final class RolesCommand {

    @ParentCommand
    GatehouseCli root;

    @Command(name = "create", description = "Create a role.")
    int create(@Parameters(paramLabel = "NAME") String name,
               @Option(names = {"-d", "--description"}, paramLabel = "DESC") String description,
               @Option(names = {"-p", "--permission"}, paramLabel = "PERM",
                       description = "A permission the role grants (repeatable, or comma-separated).") List<String> permissions) {
        Output output = root.output();
        Role role = new Role(name, description, Lookups.permissions(permissions));
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            try {
                workspace.store().createRole(role);
            } catch (DuplicateRoleException e) {
                throw CliException.failure("ROLE_EXISTS", "role exists: " + role.name());
            }
            output.result("Created role " + role.name()
                    + (role.permissions().isEmpty() ? "." : " with permissions " + Views.list(role.permissions()) + "."),
                    Views.role(role, 0));
        }
        return 0;
    }

    @Command(name = "add", description = "Grant a role to a user.")
    int add(@Parameters(index = "0", paramLabel = "USER") String reference,
            @Parameters(index = "1", paramLabel = "ROLE") String roleName) {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            UserStore store = workspace.store();
            User user = Lookups.user(store, reference);
            Role role = Lookups.role(store, roleName);
            boolean changed = !user.hasRole(role.name());
            if (changed) {
                store.addRoleToUser(user.id(), role.name());
            }
            output.result(changed ? "Granted role " + role.name() + " to " + user.email() + "."
                    : user.email() + " already has role " + role.name() + ".", link(user, role, changed));
        }
        return 0;
    }

    @Command(name = "remove", description = "Revoke a role from a user.")
    int remove(@Parameters(index = "0", paramLabel = "USER") String reference,
               @Parameters(index = "1", paramLabel = "ROLE") String roleName) {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            UserStore store = workspace.store();
            User user = Lookups.user(store, reference);
            Role role = Lookups.role(store, roleName);
            boolean changed = user.hasRole(role.name());
            if (changed) {
                store.removeRoleFromUser(user.id(), role.name());
            }
            output.result(changed ? "Revoked role " + role.name() + " from " + user.email() + "."
                    : user.email() + " does not have role " + role.name() + ".", link(user, role, changed));
        }
        return 0;
    }

    @Command(name = "add-permissions",
            description = "Add permissions to a role; every user holding it gains them.")
    int addPermissions(@Parameters(index = "0", paramLabel = "ROLE") String roleName,
                       @Parameters(index = "1..*", arity = "1..*", paramLabel = "PERM",
                               description = "Permissions (several arguments, or comma-separated).") List<String> permissions) {
        return changePermissions(roleName, permissions, true);
    }

    @Command(name = "remove-permissions",
            description = "Remove permissions from a role; every user holding it loses them.")
    int removePermissions(@Parameters(index = "0", paramLabel = "ROLE") String roleName,
                          @Parameters(index = "1..*", arity = "1..*", paramLabel = "PERM",
                                  description = "Permissions (several arguments, or comma-separated).") List<String> permissions) {
        return changePermissions(roleName, permissions, false);
    }

    private int changePermissions(String roleName, List<String> arguments, boolean add) {
        Output output = root.output();
        Set<String> permissions = Lookups.permissions(arguments);
        if (permissions.isEmpty()) {
            throw CliException.usage("no permissions given");
        }
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            UserStore store = workspace.store();
            Role role = Lookups.role(store, roleName);
            Set<String> unchanged = new LinkedHashSet<>(permissions);
            if (add) {
                unchanged.retainAll(role.permissions());
            } else {
                unchanged.removeAll(role.permissions());
            }
            Role updated = add ? role.withPermissions(permissions) : role.withoutPermissions(permissions);
            if (!unchanged.equals(permissions)) {
                store.updateRole(updated);
            }
            if (!unchanged.isEmpty()) {
                output.note("role " + role.name() + (add ? " already granted " : " did not grant ") + Views.list(unchanged));
            }
            output.result("Role " + role.name() + " grants " + (updated.permissions().isEmpty() ? "no permissions."
                    : Views.list(updated.permissions()) + "."), Views.role(updated, holders(store, role.name())));
        }
        return 0;
    }

    @Command(name = "delete",
            description = "Delete a role; its holders lose it and its permissions. Asks first, unless --yes.")
    int delete(@Parameters(paramLabel = "ROLE") String roleName,
               @Option(names = {"-y", "--yes"}, description = "Do not ask.") boolean yes) {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            UserStore store = workspace.store();
            Role role = Lookups.role(store, roleName);
            long users = holders(store, role.name());
            root.confirm(yes, "Delete role " + role.name() + ", held by " + users + (users == 1 ? " user" : " users") + "?",
                    "deleting role " + role.name(), "not deleted: role " + role.name());
            if (!store.deleteRole(role.name())) {
                // Deleted by someone else between the lookup and now: the outcome the operator wanted.
                output.note("role " + role.name() + " was already gone");
            }
            output.result("Deleted role " + role.name() + (users == 0 ? "." : "; " + users + (users == 1 ? " user" : " users")
                    + " lost it."), Views.object("role", role.name(), "users", users, "deleted", true));
        }
        return 0;
    }

    @Command(name = "list", description = "List roles with their permissions and number of users.")
    int list() {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            UserStore store = workspace.store();
            List<Role> roles = store.listRoles();
            List<Map<String, Object>> json = new ArrayList<>();
            List<List<String>> rows = new ArrayList<>();
            for (Role role : roles) {
                long users = holders(store, role.name());
                json.add(Views.role(role, users));
                rows.add(List.of(role.name(), role.description().isEmpty() ? "-" : role.description(),
                        Views.list(new TreeSet<>(role.permissions())), Long.toString(users)));
            }
            output.result(roles.isEmpty() ? "No roles."
                    : Output.table(List.of("NAME", "DESCRIPTION", "PERMISSIONS", "USERS"), rows), Map.of("roles", json));
        }
        return 0;
    }

    private static long holders(UserStore store, String role) {
        return store.listUsers(UserQuery.firstPage(1).withRole(role)).total();
    }

    private static Map<String, Object> link(User user, Role role, boolean changed) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("email", user.email());
        json.put("role", role.name());
        json.put("changed", changed);
        return json;
    }
}
