package dev.gatehouse.examples.diary;

/** The Javalin diary's HTTP contract ({@link DiaryContract}) against the Spring Boot diary, on H2. */
class SpringH2DiaryTest extends H2DiaryTest {

    @Override
    TestDiary.Stack stack() {
        return SpringDiaries.SPRING;
    }
}
