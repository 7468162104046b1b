package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The architecture rules catch what they are there to catch: each is evaluated against small
 * test-only fixture packages that break it on purpose, and against ones that do not.
 */
class ArchitectureRulesTest {

    private static JavaClasses fixture(String name) {
        return new ClassFileImporter().importPackages("dev.gatehouse.testing.fixture." + name);
    }

    @Test
    void a_deliberate_package_cycle_fails_the_cycle_rule() {
        EvaluationResult result = ArchitectureRules.NO_PACKAGE_CYCLES.evaluate(fixture("cycle"));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString())
                .contains("dev.gatehouse.testing.fixture.cycle.a").contains("dev.gatehouse.testing.fixture.cycle.b");
    }

    @Test
    void packages_that_use_only_those_below_them_pass_the_cycle_rule() {
        assertThat(ArchitectureRules.NO_PACKAGE_CYCLES.evaluate(fixture("clean")).hasViolation()).isFalse();
    }

    @Test
    void a_jdbc_import_fails_the_core_rule() {
        EvaluationResult result = ArchitectureRules.CORE_KNOWS_NO_FRAMEWORK.evaluate(fixture("framework"));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("java.sql.Connection");
        assertThat(ArchitectureRules.CORE_KNOWS_NO_FRAMEWORK.evaluate(fixture("clean")).hasViolation()).isFalse();
    }
}
