package dev.gatehouse.examples.diary;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.gatehouse.testing.ArchitectureRules;

/** The packages of examples/diary-spring, of the diary it builds on and of every Gatehouse module below form no cycle. */
@AnalyzeClasses(packages = "dev.gatehouse", importOptions = ArchitectureRules.ProductionClasses.class)
class SpringDiaryArchitectureTest {

    @ArchTest
    static final ArchRule packages_form_no_cycle = ArchitectureRules.NO_PACKAGE_CYCLES;
}
