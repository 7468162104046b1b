package dev.gatehouse.examples.diary;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The diary's HTTP contract on the embedded H2 database, as {@code scripts/demo} runs it. */
class H2DiaryTest extends DiaryContract {

    private static TestDiary diary;

    @BeforeAll
    static void start() {
        diary = TestDiary.start();
    }

    @AfterAll
    static void stop() {
        diary.close();
    }

    @Override
    TestDiary diary() {
        return diary;
    }
}
