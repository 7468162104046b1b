package dev.gatehouse.examples.diary;

/** The Javalin diary's {@link DiaryPasskeysBrowserTest} against the Spring Boot diary, in headless Chromium. */
class SpringDiaryPasskeysBrowserTest extends DiaryPasskeysBrowserTest {

    @Override
    TestDiary.Stack stack() {
        return SpringDiaries.SPRING;
    }
}
