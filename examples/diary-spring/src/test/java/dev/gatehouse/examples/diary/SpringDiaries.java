package dev.gatehouse.examples.diary;

import dev.gatehouse.examples.diary.spring.SpringDiaryMain;

/**
 * The Spring Boot diary as a {@link TestDiary.Stack}: started by {@link SpringDiaryMain#launch}, as
 * {@code java -jar diary-spring.jar} starts it. In the diary's package, as the shared test classes
 * it runs are package-private.
 */
final class SpringDiaries {

    static final TestDiary.Stack SPRING = (options, environment, out) -> {
        SpringDiaryMain.Running running = SpringDiaryMain.launch(options, environment, out);
        return new TestDiary.Started(running.backend(), running.port(), running);
    };

    private SpringDiaries() {
    }
}
