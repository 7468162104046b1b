package dev.gatehouse.examples.diary;

import org.junit.jupiter.api.BeforeAll;

/** The diary's two-factor JSON contract on the embedded H2 database, as {@code scripts/demo} runs it. */
class H2DiaryTwoFactorTest extends DiaryTwoFactorContract {

    @BeforeAll
    void start() {
        optional = TestDiary.start(stack(), OPTIONAL);
        required = TestDiary.start(stack(), REQUIRED);
    }
}
