package dev.gatehouse.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.gatehouse.testing.ArchitectureRules;

/**
 * The packages of the starter and of every Gatehouse module below it form no cycle, and Spring
 * stays in the starter: no other Gatehouse package refers to it.
 */
@AnalyzeClasses(packages = "dev.gatehouse", importOptions = ArchitectureRules.ProductionClasses.class)
class SpringArchitectureTest {

    @ArchTest
    static final ArchRule packages_form_no_cycle = ArchitectureRules.NO_PACKAGE_CYCLES;

    @ArchTest
    static final ArchRule only_the_starter_knows_spring = noClasses().that().resideOutsideOfPackage("dev.gatehouse.spring..")
            .should().dependOnClassesThat().resideInAPackage("org.springframework..");
}
