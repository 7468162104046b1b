package dev.gatehouse.cli;

import dev.gatehouse.jdbc.JdbcSchema;
import dev.gatehouse.jdbc.SchemaMigration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse db …}: Gatehouse's schema in the application's database. */
@Command(name = "db", description = "Create and upgrade Gatehouse's tables.")
final class DbCommand {

    @ParentCommand
    GatehouseCli root;

    @Command(name = "migrate",
            description = {"Apply every pending migration of Gatehouse's tables (gh_*), creating them in a new"
                    + " database. Other tables are left alone. Safe to repeat."})
    int migrate() {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.CREATE)) {
            JdbcSchema schema = JdbcSchema.of(workspace.database().dataSource());
            int applied = schema.migrate();
            String version = schema.currentVersion().orElse("none");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("applied", applied);
            json.put("version", version);
            output.result((applied == 0 ? "Schema up to date" : "Applied " + Lookups.count(applied, "migration"))
                    + " at " + workspace.database().displayUrl() + "; version " + version + ".", json);
        }
        return 0;
    }

    @Command(name = "status",
            description = "Show the migrations of Gatehouse's tables: applied, pending, or failed.")
    int status() {
        Output output = root.output();
        try (Workspace workspace = root.workspace(Workspace.Need.EXISTING)) {
            JdbcSchema schema = JdbcSchema.of(workspace.database().dataSource());
            List<SchemaMigration> migrations = schema.status();
            long pending = migrations.stream().filter(m -> !m.applied()).count();
            String version = schema.currentVersion().orElse("none");
            List<List<String>> rows = new ArrayList<>();
            List<Map<String, Object>> json = new ArrayList<>();
            for (SchemaMigration m : migrations) {
                String installed = m.installedOn().map(Instant::toString).orElse("-");
                rows.add(List.of(m.version().isEmpty() ? "-" : m.version(), m.description(), m.state(), installed));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("version", m.version());
                row.put("description", m.description());
                row.put("state", m.state());
                row.put("applied", m.applied());
                row.put("installed_on", m.installedOn().map(Instant::toString).orElse(null));
                json.add(row);
            }
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("version", version);
            document.put("pending", pending);
            document.put("migrations", json);
            String summary = "Schema version " + version + " at " + workspace.database().displayUrl() + "; "
                    + (pending == 0 ? "up to date." : Lookups.count(pending, "pending migration") + ": run `gatehouse db migrate`.");
            output.result(Output.table(List.of("VERSION", "DESCRIPTION", "STATE", "INSTALLED"), rows) + "\n" + summary,
                    document);
        }
        return 0;
    }
}
