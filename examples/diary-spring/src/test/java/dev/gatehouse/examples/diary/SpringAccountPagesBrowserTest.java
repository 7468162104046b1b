package dev.gatehouse.examples.diary;

/** The Javalin diary's {@link AccountPagesBrowserTest} against the Spring Boot diary, in headless Chromium. */
class SpringAccountPagesBrowserTest extends AccountPagesBrowserTest {

    @Override
    TestDiary.Stack stack() {
        return SpringDiaries.SPRING;
    }
}
