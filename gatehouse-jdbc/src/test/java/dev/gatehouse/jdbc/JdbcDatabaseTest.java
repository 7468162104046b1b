package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gatehouse.user.StoreException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection pool wrapper, on H2 and on servers that are not there. */
class JdbcDatabaseTest {

    @Test
    void embeddedDefault_isAnH2FileDatabaseUnderData() {
        assertThat(JdbcDatabase.DEFAULT_EMBEDDED_URL).isEqualTo("jdbc:h2:file:./data/gatehouse");
    }

    @Test
    void connect_opensAPoolThatCloseShutsDown(@TempDir Path directory) throws Exception {
        JdbcDatabase database = JdbcDatabase.connect("jdbc:h2:file:" + directory.resolve("pool") + ";PASSWORD_HASH=FALSE",
                "sa", "", 3);
        try (Connection c = database.dataSource().getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
        assertThat(database.toString()).isEqualTo("JdbcDatabase[jdbc:h2:file:" + directory.resolve("pool") + "]");

        database.close();

        assertThat(database.isClosed()).isTrue();
        assertThatThrownBy(() -> database.dataSource().getConnection()).isInstanceOf(java.sql.SQLException.class);
    }

    @Test
    void anUnreachableServer_failsFast_withoutRevealingCredentials() {
        Throwable failure = catchThrowable(() -> JdbcDatabase.connect(
                "jdbc:postgresql://127.0.0.1:1/app?user=app&password=url-secret", "app", "argument-secret"));

        assertThat(failure).isInstanceOf(StoreException.class)
                .hasMessage("could not connect to jdbc:postgresql://127.0.0.1:1/app");
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain("url-secret").doesNotContain("argument-secret")
                .contains("org.postgresql.util.PSQLException", "refused");
    }

    @Test
    void displayUrl_dropsUserInfoParametersAndH2Settings() {
        assertThat(JdbcDatabase.displayUrl("jdbc:postgresql://db:5432/app?user=u&password=secret"))
                .isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(JdbcDatabase.displayUrl("jdbc:mysql://u:secret@db:3306/app")).isEqualTo("jdbc:mysql://db:3306/app");
        assertThat(JdbcDatabase.displayUrl("jdbc:mariadb://u:p@ss@db/app?x=1")).isEqualTo("jdbc:mariadb://db/app");
        assertThat(JdbcDatabase.displayUrl("jdbc:h2:file:./data/gatehouse;PASSWORD=secret;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:file:./data/gatehouse");
        assertThat(JdbcDatabase.displayUrl(JdbcDatabase.DEFAULT_EMBEDDED_URL)).isEqualTo(JdbcDatabase.DEFAULT_EMBEDDED_URL);
    }

    @Test
    void connect_validatesItsArguments() {
        assertThatThrownBy(() -> JdbcDatabase.connect(null, "u", "p")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> JdbcDatabase.connect("jdbc:h2:mem:x", "u", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> JdbcDatabase.connect("jdbc:h2:mem:x", "u", "p", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
