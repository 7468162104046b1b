package dev.gatehouse.examples.diary;

/** The Javalin diary's {@link H2DiaryTwoFactorTest} against the Spring Boot diary, on H2. */
class SpringH2DiaryTwoFactorTest extends H2DiaryTwoFactorTest {

    @Override
    TestDiary.Stack stack() {
        return SpringDiaries.SPRING;
    }
}
