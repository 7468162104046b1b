package dev.gatehouse.examples.diary;

/** The Javalin diary's {@link PostgresDiaryTwoFactorTest} against the Spring Boot diary, on PostgreSQL. */
class SpringPostgresDiaryTwoFactorTest extends PostgresDiaryTwoFactorTest {

    @Override
    TestDiary.Stack stack() {
        return SpringDiaries.SPRING;
    }
}
