package dev.gatehouse.examples.diary;

/** The Javalin diary's {@link DiaryTwoFactorBrowserTest} against the Spring Boot diary, in headless Chromium. */
class SpringDiaryTwoFactorBrowserTest extends DiaryTwoFactorBrowserTest {

    @Override
    TestDiary.Stack stack() {
        return SpringDiaries.SPRING;
    }
}
