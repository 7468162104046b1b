package dev.gatehouse.examples.diary;

/** The Javalin diary's HTTP contract ({@link DiaryContract}) against the Spring Boot diary, on PostgreSQL. */
class SpringPostgresDiaryTest extends PostgresDiaryTest {

    @Override
    TestDiary.Stack stack() {
        return SpringDiaries.SPRING;
    }
}
