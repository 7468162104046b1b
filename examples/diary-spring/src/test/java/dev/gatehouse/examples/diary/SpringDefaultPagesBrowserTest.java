package dev.gatehouse.examples.diary;

/** The Javalin diary's {@link DefaultPagesBrowserTest} against the Spring Boot diary, in headless Chromium. */
class SpringDefaultPagesBrowserTest extends DefaultPagesBrowserTest {

    @Override
    TestDiary.Stack stack() {
        return SpringDiaries.SPRING;
    }
}
