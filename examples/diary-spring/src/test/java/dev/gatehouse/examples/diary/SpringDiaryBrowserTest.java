package dev.gatehouse.examples.diary;

/** The Javalin diary's browser test ({@link DiaryBrowserTest}) against the Spring Boot diary, in headless Chromium. */
class SpringDiaryBrowserTest extends DiaryBrowserTest {

    @Override
    TestDiary.Stack stack() {
        return SpringDiaries.SPRING;
    }
}
