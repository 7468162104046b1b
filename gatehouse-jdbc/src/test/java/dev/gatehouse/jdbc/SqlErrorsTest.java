package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.user.StoreException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Classification and redaction of driver exceptions, and dialect detection. */
class SqlErrorsTest {

    private static final String SECRET = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";

    @Test
    void integrityViolations_areFoundAnywhereInTheChain() {
        BatchUpdateException batch = new BatchUpdateException("batch failed", "XX000", 0, new int[0]);
        batch.setNextException(new SQLException("duplicate key", "23505"));

        assertThat(SqlErrors.isIntegrityViolation(batch)).isTrue();
        assertThat(SqlErrors.isIntegrityViolation(new SQLException("dup", "23000", 1062))).isTrue();
        assertThat(SqlErrors.isIntegrityViolation(new SQLException("wrapped", "HY000", new SQLException("fk", "23503"))))
                .isTrue();
        assertThat(SqlErrors.isIntegrityViolation(new SQLException("syntax", "42601"))).isFalse();
        assertThat(SqlErrors.isIntegrityViolation(new SQLException("no state"))).isFalse();
    }

    @Test
    void transientFailures_dependOnTheDialect() {
        assertThat(SqlErrors.isTransient(new SQLException("serialization", "40001"), Dialect.POSTGRESQL)).isTrue();
        assertThat(SqlErrors.isTransient(new SQLException("deadlock", "40P01"), Dialect.POSTGRESQL)).isTrue();
        assertThat(SqlErrors.isTransient(new SQLException("lock wait", "HY000", 1205), Dialect.MYSQL)).isTrue();
        assertThat(SqlErrors.isTransient(new SQLException("lock wait", "HY000", 1205), Dialect.POSTGRESQL)).isFalse();
        assertThat(SqlErrors.isTransient(new SQLException("timeout", "HYT00"), Dialect.H2)).isTrue();
        assertThat(SqlErrors.isTransient(new SQLException("concurrent", "90131"), Dialect.H2)).isTrue();
        assertThat(SqlErrors.isTransient(new SQLException("duplicate", "23505"), Dialect.H2)).isFalse();
        assertThat(SqlErrors.isTransient(new SQLException("connection", "08006"), Dialect.POSTGRESQL)).isFalse();
    }

    @Test
    void redaction_withholdsMessagesThatMayQuoteValues_andKeepsTheRest() {
        SQLException dataError = new SQLException("value too long: '" + SECRET + "'", "22001", 1406);
        dataError.setNextException(new SQLException("Duplicate entry '" + SECRET + "'", "23000", 1062));
        RuntimeException wrapper = new RuntimeException("pool says: " + SECRET, dataError);
        SQLException schemaError = new SQLException("relation \"gh_users\" does not exist", "42P01");

        Throwable redacted = SqlErrors.redact(wrapper);
        Throwable kept = SqlErrors.redact(schemaError);

        StringWriter trace = new StringWriter();
        redacted.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(SECRET).contains("java.lang.RuntimeException", "withheld");
        SQLException cause = (SQLException) redacted.getCause();
        assertThat(cause.getSQLState()).isEqualTo("22001");
        assertThat(cause.getErrorCode()).isEqualTo(1406);
        assertThat(cause.getNextException().getSQLState()).isEqualTo("23000");
        assertThat(cause.getNextException().getMessage()).doesNotContain(SECRET);
        assertThat(cause.getStackTrace()).isEqualTo(dataError.getStackTrace());
        assertThat(kept.getMessage()).contains("relation \"gh_users\" does not exist");
        assertThat(SqlErrors.redact(new java.io.IOException("Connection reset")).getMessage())
                .isEqualTo("java.io.IOException: Connection reset");
    }

    @Test
    void storeFailure_namesTheOperationAndStateOnly() {
        StoreException failure = SqlErrors.storeFailure("create a user", new SQLException(SECRET, "22001", 7));

        assertThat(failure.getMessage()).isEqualTo("could not create a user (SQLState 22001, vendor code 7)");
        assertThat(failure.getCause().getMessage()).doesNotContain(SECRET);
    }

    @Test
    void dialect_isChosenByProductName() {
        assertThat(Dialect.of("H2")).isEqualTo(Dialect.H2);
        assertThat(Dialect.of("PostgreSQL")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.of("MariaDB")).isEqualTo(Dialect.MYSQL);
        assertThat(Dialect.of("MySQL")).isEqualTo(Dialect.MYSQL);
        assertThat(Dialect.MYSQL.migrationLocation()).isEqualTo("classpath:db/gatehouse/mysql");
        assertThatThrownBy(() -> Dialect.of("Oracle")).isInstanceOf(StoreException.class)
                .hasMessageContaining("unsupported database: Oracle");
    }
}
