package dev.gatehouse.examples.diary;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The diary's HTTP contract on the embedded H2 database, as {@code scripts/demo} runs it; on
 * Javalin here, on Spring Boot in examples/diary-spring's subclass. One diary per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class H2DiaryTest extends DiaryContract {

    private TestDiary diary;

    /** The web stack under test. */
    TestDiary.Stack stack() {
        return TestDiary.JAVALIN;
    }

    @BeforeAll
    void start() {
        diary = TestDiary.start(stack(), Map.of());
    }

    @AfterAll
    void stop() {
        diary.close();
    }

    @Override
    TestDiary diary() {
        return diary;
    }
}
