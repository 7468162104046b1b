package dev.gatehouse.examples.diary;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.InvalidConfigurationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting the diary: options, the demo secret, settings from the environment, restarts. */
class DiaryMainTest {

    @Test
    void options_have_demo_friendly_defaults_and_are_checked() {
        DiarySetup.Options defaults = DiarySetup.Options.parse();
        assertThat(defaults.port()).isEqualTo(8080);
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.data()).isEqualTo(Path.of("data"));
        assertThat(defaults.dbUrl()).isEmpty();
        assertThat(defaults.demo()).isFalse();

        DiarySetup.Options given = DiarySetup.Options.parse("--port", "9000", "--data", "/tmp/d", "--db-url",
                "jdbc:postgresql://db/diary", "--db-user", "diary", "--host", "0.0.0.0", "--demo");
        assertThat(given).isEqualTo(new DiarySetup.Options("0.0.0.0", 9000, Path.of("/tmp/d"),
                Optional.of("jdbc:postgresql://db/diary"), Optional.of("diary"), true, false));
        assertThat(DiarySetup.Options.parse("--help").help()).isTrue();

        assertThatThrownBy(() -> DiarySetup.Options.parse("--port", "http")).hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> DiarySetup.Options.parse("--port", "70000")).hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> DiarySetup.Options.parse("--data")).hasMessage("--data needs a value");
        assertThatThrownBy(() -> DiarySetup.Options.parse("--verbose")).hasMessage("unknown option --verbose");
    }

    @Test
    void the_demo_secret_is_generated_once_into_the_data_folder_readable_only_by_its_owner(@TempDir Path data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

        String first = DiarySetup.demoSecret(data, print);
        String second = DiarySetup.demoSecret(data, print);

        assertThat(first).isEqualTo(second).hasSizeGreaterThanOrEqualTo(64);
        assertThat(Files.getPosixFilePermissions(data.resolve("secret"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("WARNING: demo mode").contains("Set GATEHOUSE_SECRET");
    }

    @Test
    void without_a_secret_it_refuses_to_start_unless_in_demo_mode(@TempDir Path data) {
        DiarySetup.Options plain = new DiarySetup.Options("127.0.0.1", 0, data, Optional.empty(), Optional.empty(), false, false);

        assertThatThrownBy(() -> DiaryMain.launch(plain, Map.of(), new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GATEHOUSE_SECRET").hasMessageContaining("--demo");

        DiarySetup.Options demo = new DiarySetup.Options("127.0.0.1", 0, data, Optional.empty(), Optional.empty(), true, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DiaryMain.Running running = DiaryMain.launch(demo, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Diary is running at " + running.url())
                    .contains("start with GATEHOUSE_COOKIE_SECURE=false")
                    .contains("Emails (welcome, password reset, ...): files in " + data.resolve("mail").toAbsolutePath());
            assertThat(running.url()).startsWith("http://localhost:");
            assertThat(Files.exists(data.resolve("secret"))).isTrue();
            assertThat(Files.exists(data.resolve("gatehouse.mv.db"))).as("the embedded database lives in the data folder").isTrue();
        }
    }

    @Test
    void gatehouse_settings_come_from_the_environment_and_bad_ones_stop_the_start() {
        try (TestDiary diary = TestDiary.start(Map.of("GATEHOUSE_REGISTERABLE", "false", "GATEHOUSE_DEFAULT_LOCALE", "fr"))) {
            HttpSession client = diary.client();
            assertThat(client.get("/register").status()).isEqualTo(404);
            assertThat(client.get("/login").body()).contains("<h1>Connexion</h1>").doesNotContain("href=\"/register\"");
            assertThat(diary.running.gatehouse().config().get(CHANGEABLE)).isTrue();
            assertThat(diary.running.gatehouse().config().get(RECOVERABLE)).isTrue();
            assertThat(diary.running.gatehouse().config().get(CONFIRMABLE)).isFalse();
        }
        assertThatThrownBy(() -> TestDiary.start(Map.of("GATEHOUSE_TOKEN_MAX_AGE", "soon")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("GATEHOUSE_TOKEN_MAX_AGE");
    }

    @Test
    void entries_have_their_own_table_and_migration_history_next_to_gatehouses_and_go_with_their_user() throws Exception {
        try (TestDiary diary = TestDiary.start()) {
            HttpSession writer = diary.newWriter("cascade");
            writer.write("Goes with its author");
            javax.sql.DataSource data = diary.running.database().dataSource();
            try (var c = data.getConnection(); var s = c.createStatement()) {
                try (var rs = s.executeQuery("SELECT \"version\" FROM \"diary_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
                    java.util.List<String> versions = new java.util.ArrayList<>();
                    while (rs.next()) {
                        versions.add(rs.getString(1));
                    }
                    assertThat(versions).containsExactly("0", "1");
                }
                try (var rs = s.executeQuery("SELECT COUNT(*) FROM \"gh_schema_history\" WHERE \"script\" LIKE '%diary%'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("Gatehouse's history knows nothing of the diary").isZero();
                }
            }
            String email = writer.get("/").body().replaceAll("(?s).*Signed in as ([^<]+)</span>.*", "$1");
            long userId = diary.running.gatehouse().users().findUserByEmail(email).orElseThrow().id();

            assertThat(diary.running.gatehouse().users().deleteUser(userId)).isTrue();

            try (var c = data.getConnection(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT COUNT(*) FROM diary_entries WHERE user_id = " + userId)) {
                rs.next();
                assertThat(rs.getInt(1)).as("the foreign key to gh_users cascades").isZero();
            }
        }
    }

    @Test
    void users_sessions_and_entries_survive_a_restart_and_the_seed_users_are_created_once(@TempDir Path data) {
        HttpSession writer;
        long admins;
        try (TestDiary first = TestDiary.start(data, Map.of(), false)) {
            writer = first.signedIn("writer@example.com", "writerpass");
            writer.write("Written before the restart");
            assertThat(first.output).contains("Created the demo user admin@example.com");
        }
        try (TestDiary second = TestDiary.start(data, Map.of(), false)) {
            HttpSession sameBrowser = second.client();
            sameBrowser.cookies.putAll(writer.cookies);

            HttpSession.Reply dashboard = sameBrowser.get("/");

            assertThat(dashboard.status()).as("the session is stored in the database").isEqualTo(200);
            assertThat(dashboard.body()).contains("Written before the restart");
            admins = second.running.gatehouse().users().listUsers(dev.gatehouse.user.UserQuery.firstPage(100)).items().stream()
                    .filter(u -> u.email().equals("admin@example.com")).count();
            assertThat(admins).isEqualTo(1);
            assertThat(second.output).doesNotContain("Created the demo user");
        }
    }
}
