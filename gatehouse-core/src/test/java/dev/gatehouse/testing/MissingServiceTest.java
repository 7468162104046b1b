package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class MissingServiceTest {

    /** The suite runs both ways (CI=true on CI, unset on a laptop); each checks its own branch. */
    @Test
    void fails_under_ci_and_otherwise_gives_a_reason_to_skip_with() {
        IOException cause = new IOException("connection refused");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThatThrownBy(() -> MissingService.failOrSkip("Example", "the example server is down", "Start it.", cause))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the example server is down. CI=true, so this fails the build. Start it.")
                    .hasCause(cause);
        } else {
            assertThat(MissingService.failOrSkip("Example", "the example server is down", "Start it.", cause))
                    .isEqualTo("the example server is down - skipped (with CI=true this fails)");
        }
    }
}
