package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the command finds its database and settings — {@code --db}, {@code --data-dir},
 * {@code GATEHOUSE_DB_URL}, {@code --config} — on embedded H2 files in temporary directories.
 * (The default, {@code ./data/gatehouse}, depends on the working directory: {@code GatehouseJarIT}
 * tests it in a process of its own.)
 */
class DatabaseLocationTest {

    @TempDir
    Path dir;

    private Cli.Result run(Cli cli, String... args) {
        return cli.run(args);
    }

    private Path migrated(String name) {
        Path data = dir.resolve(name);
        Cli.Result result = new Cli().run("--data-dir", data.toString(), "db", "migrate");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return data;
    }

    private static String url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("gatehouse");
    }

    private static List<String> emails(Path dataDir) {
        Cli.Result result = new Cli().run("--data-dir", dataDir.toString(), "users", "list", "--json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> emails = new ArrayList<>();
        result.json().path("users").forEach(user -> emails.add(user.path("email").asText()));
        return emails;
    }

    @Test
    void data_dir_names_the_embedded_database_which_only_db_migrate_creates() throws IOException {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);

        Cli.Result missing = new Cli().run("--data-dir", empty.toString(), "users", "list");
        Cli.Result status = new Cli().run("db", "status", "--data-dir", empty.toString());
        Path data = migrated("data");
        Cli.Result created = new Cli().run("users", "create", "a@example.com", "--data-dir", data.toString());

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no Gatehouse database at jdbc:h2:file:", "gatehouse.mv.db does not exist",
                "gatehouse db migrate");
        assertThat(status.exitCode()).isEqualTo(1);
        try (Stream<Path> files = Files.list(empty)) {
            assertThat(files).as("nothing created by commands other than db migrate").isEmpty();
        }
        assertThat(data.resolve("gatehouse.mv.db")).exists();
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(emails(data)).containsExactly("a@example.com");
    }

    @Test
    void the_command_line_beats_the_environment_which_beats_the_file_as_in_the_application() throws IOException {
        Path fromFile = migrated("file");
        Path fromEnv = migrated("env");
        Path fromOption = migrated("option");
        Path properties = dir.resolve("gatehouse.properties");
        Files.writeString(properties, "db-url=" + url(fromFile) + "\n");

        Cli cli = new Cli();
        assertThat(run(cli, "--config", properties.toString(), "users", "create", "file@example.com").exitCode()).isZero();
        cli.env("GATEHOUSE_DB_URL", url(fromEnv));
        assertThat(run(cli, "--config", properties.toString(), "users", "create", "env@example.com").exitCode()).isZero();
        assertThat(run(cli, "--config", properties.toString(), "--db", url(fromOption), "users", "create",
                "option@example.com").exitCode()).isZero();
        assertThat(run(cli, "users", "create", "dir@example.com", "--data-dir", fromOption.toString()).exitCode()).isZero();

        assertThat(emails(fromFile)).containsExactly("file@example.com");
        assertThat(emails(fromEnv)).containsExactly("env@example.com");
        assertThat(emails(fromOption)).containsExactly("option@example.com", "dir@example.com");
    }

    @Test
    void the_properties_file_configures_the_password_policy_and_scheme_with_the_application_names() throws IOException {
        Path data = migrated("data");
        Path properties = dir.resolve("gatehouse.properties");
        Files.writeString(properties, "gatehouse.db-url=" + url(data) + "\npassword-length-min=20\npassword-hash=pbkdf2-sha256\n");
        Cli cli = new Cli();

        Cli.Result refused = cli.stdin("fifteen chars!!").run("--config", properties.toString(), "users", "create",
                "a@example.com", "--password-stdin");
        Cli.Result accepted = cli.stdin("twenty-two characters!").run("--config", properties.toString(), "users",
                "create", "b@example.com", "--password-stdin");
        JsonNode b = cli.run("--config", properties.toString(), "users", "show", "b@example.com", "--json").json();

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("at least 20 characters");
        assertThat(accepted.exitCode()).as(accepted.toString()).isZero();
        assertThat(b.path("password").asText()).isEqualTo("pbkdf2-sha256");
    }

    @Test
    void configuration_and_location_mistakes_are_reported_clearly() throws IOException {
        Path properties = dir.resolve("bad.properties");
        Files.writeString(properties, "password-lenght-min=12\n");

        Cli.Result unknownSetting = new Cli().run("--config", properties.toString(), "users", "list");
        Cli.Result noFile = new Cli().run("--config", dir.resolve("missing.properties").toString(), "users", "list");
        Cli.Result both = new Cli().run("--db", "jdbc:h2:mem:x", "--data-dir", dir.toString(), "users", "list");
        Cli.Result notJdbc = new Cli().run("--db", "postgres://db/app", "users", "list");
        Cli.Result unreachable = new Cli().run("--db", "jdbc:postgresql://127.0.0.1:1/app?user=app&password=s3cret",
                "users", "list", "--json");

        assertThat(unknownSetting.exitCode()).isEqualTo(1);
        assertThat(unknownSetting.err()).contains("password-lenght-min", "no such setting", "did you mean password-length-min");
        assertThat(noFile.exitCode()).isEqualTo(1);
        assertThat(noFile.err()).contains("missing.properties", "no such file");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--db and --data-dir");
        assertThat(notJdbc.exitCode()).isEqualTo(2);
        assertThat(notJdbc.err()).contains("--db: not a JDBC URL");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).contains("warning: a password in --db is visible to other users",
                "could not connect to jdbc:postgresql://127.0.0.1:1/app").doesNotContain("s3cret");
        assertThat(unreachable.json().path("error").path("code").asText()).isEqualTo("DATABASE_UNREACHABLE");
        assertThat(unreachable.out()).doesNotContain("s3cret");
    }
}
