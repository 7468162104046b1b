package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.jdbc.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built artifacts as an operator runs them, each in a process of its own: the self-contained
 * {@code gatehouse-cli/target/gatehouse.jar} (JDBC drivers, Flyway's database support and
 * SQLite's native library must survive shading) and the {@code ./gatehouse} script. The
 * environment holds no {@code GATEHOUSE_*} variable at all, in particular no secret. Runs after
 * {@code package}, through Failsafe.
 */
class GatehouseJarIT {

    private static final Path JAR = Path.of(System.getProperty("gatehouse.jar", "target/gatehouse.jar"));
    private static final Path SCRIPT = Path.of(System.getProperty("gatehouse.script", "../gatehouse"));

    @RegisterExtension
    static final TestDatabase POSTGRES = TestDatabase.postgres();

    @TempDir
    Path workingDirectory;

    record Run(int exitCode, String out, String err) {
    }

    private Run run(String stdin, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("GATEHOUSE_"));
        Path out = workingDirectory.resolve("stdout.txt");
        Path err = workingDirectory.resolve("stderr.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run jar(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return run(stdin, command);
    }

    @Test
    void the_jar_works_on_the_default_database_in_the_working_directory_without_a_secret() throws Exception {
        Run migrate = jar("", "db", "migrate");
        Run create = jar("correct horse battery\n", "users", "create", "alice@example.com", "--password-stdin");
        Run list = jar("", "users", "list", "--json");

        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.out()).containsPattern("Applied \\d+ migrations? at jdbc:h2:file:\\./data/gatehouse;");
        assertThat(workingDirectory.resolve("data/gatehouse.mv.db")).exists();
        assertThat(create.exitCode()).as(create.err()).isZero();
        assertThat(create.out() + create.err()).doesNotContain("correct horse battery");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(new ObjectMapper().readTree(list.out()).path("users").get(0).path("email").asText())
                .isEqualTo("alice@example.com");
        // Libraries log warnings only: a successful command says nothing on standard error.
        assertThat(migrate.err() + list.err()).isEmpty();
    }

    @Test
    void the_jar_migrates_postgresql_and_imports_from_sqlite() throws Exception {
        Path flask = FlaskFixture.sqliteCopy(workingDirectory);
        Run migrate = jar("", "db", "migrate", "--db", Databases.url(POSTGRES));
        Run imported = jar("", "--db", Databases.url(POSTGRES), "import", "flask-security", "--from",
                FlaskFixture.sqliteUrl(flask));

        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.out()).containsPattern("Applied \\d+ migrations? at jdbc:postgresql://");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("(SQLite): 3 roles, 5 users.", "Created 3 roles; 5 users (8 changes).");
    }

    @Test
    void an_h2_database_held_open_by_another_process_is_reported_as_in_use() throws Exception {
        String url = "jdbc:h2:file:" + workingDirectory.resolve("data/gatehouse").toAbsolutePath();
        // This JVM plays the running application: an embedded H2 database belongs to one process.
        try (java.sql.Connection application = java.sql.DriverManager.getConnection(url, "sa", "")) {
            assertThat(application.isValid(5)).isTrue();
            Run run = jar("", "users", "list");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("is in use by another process (is the application running?)", "AUTO_SERVER=TRUE");
        }
    }

    @Test
    void the_script_runs_the_jar_and_passes_exit_codes_through() throws Exception {
        Run version = run("", List.of("bash", SCRIPT.toAbsolutePath().toString(), "--version"));
        Run usage = run("", List.of("bash", SCRIPT.toAbsolutePath().toString(), "users", "frobnicate"));

        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("gatehouse ").doesNotContain("unknown version");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("frobnicate");
    }
}
