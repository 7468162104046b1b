package dev.gatehouse.examples.diary;

import dev.gatehouse.jdbc.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two-factor JSON contract with the diary on PostgreSQL (second factors and recovery codes in
 * {@code gh_second_factors} and {@code gh_recovery_codes}), a fresh database for each of the two
 * diaries; fails with CI=true when there is no server, skipped loudly otherwise.
 */
class PostgresDiaryTwoFactorTest extends DiaryTwoFactorContract {

    @RegisterExtension
    static final TestDatabase OPTIONAL_DATABASE = TestDatabase.postgres();

    @RegisterExtension
    static final TestDatabase REQUIRED_DATABASE = TestDatabase.postgres();

    @BeforeAll
    void start() {
        try {
            optional = TestDiary.start(stack(), on(OPTIONAL_DATABASE, OPTIONAL));
            required = TestDiary.start(stack(), on(REQUIRED_DATABASE, REQUIRED));
        } catch (IllegalStateException serverUnreachable) {
            // TestDatabase skips every test of the class and says why.
        }
    }

    private static Map<String, String> on(TestDatabase database, Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("GATEHOUSE_DB_URL", database.url());
        environment.put("DIARY_DB_USER", database.user());
        environment.put("DIARY_DB_PASSWORD", database.password());
        return environment;
    }
}
