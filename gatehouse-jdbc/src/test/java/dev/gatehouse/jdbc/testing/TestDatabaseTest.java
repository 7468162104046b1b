package dev.gatehouse.jdbc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How the fixture derives the per-run database URL from the server URL in the environment. */
class TestDatabaseTest {

    @Test
    void withDatabase_replacesOrAddsTheDatabase_keepingParameters() {
        assertThat(TestDatabase.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres", "gh_test_x"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/gh_test_x");
        assertThat(TestDatabase.withDatabase("jdbc:postgresql://db/postgres?sslmode=require", "gh_test_x"))
                .isEqualTo("jdbc:postgresql://db/gh_test_x?sslmode=require");
        assertThat(TestDatabase.withDatabase("jdbc:mariadb://127.0.0.1:3306/", "gh_test_x"))
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/gh_test_x");
        assertThat(TestDatabase.withDatabase("jdbc:mariadb://127.0.0.1:3306", "gh_test_x"))
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/gh_test_x");
        assertThat(TestDatabase.withDatabase("jdbc:mariadb://h:1?useSsl=true", "gh_test_x"))
                .isEqualTo("jdbc:mariadb://h:1/gh_test_x?useSsl=true");
        assertThatThrownBy(() -> TestDatabase.withDatabase("jdbc:postgresql:postgres", "gh_test_x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
