package dev.gatehouse.examples.diary;

import dev.gatehouse.jdbc.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same contract with the diary on PostgreSQL (a fresh database on the local server; fails
 * with CI=true when there is none, skipped loudly otherwise), chosen as an operator would: by
 * {@code GATEHOUSE_DB_URL}, {@code DIARY_DB_USER} and {@code DIARY_DB_PASSWORD}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresDiaryTest extends DiaryContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgres();

    private TestDiary diary;

    /** The web stack under test: Javalin here, Spring Boot in examples/diary-spring's subclass. */
    TestDiary.Stack stack() {
        return TestDiary.JAVALIN;
    }

    @BeforeAll
    void start() {
        String url;
        try {
            url = DATABASE.url();
        } catch (IllegalStateException serverUnreachable) {
            return; // TestDatabase skips every test of the class and says why.
        }
        diary = TestDiary.start(stack(), Map.of("GATEHOUSE_DB_URL", url, "DIARY_DB_USER", DATABASE.user(),
                "DIARY_DB_PASSWORD", DATABASE.password()));
    }

    @AfterAll
    void stop() {
        if (diary != null) {
            diary.close();
        }
    }

    @Override
    TestDiary diary() {
        return diary;
    }
}
