package dev.gatehouse.examples.diary;

/** The Javalin diary's {@link GermanBrowserTest} against the Spring Boot diary, in headless Chromium. */
class SpringGermanBrowserTest extends GermanBrowserTest {

    @Override
    TestDiary.Stack stack() {
        return SpringDiaries.SPRING;
    }
}
