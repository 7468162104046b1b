package dev.gatehouse.testing;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** gatehouse-core's packages form no cycle, and the core imports no framework. */
@AnalyzeClasses(packages = "dev.gatehouse", importOptions = ArchitectureRules.ProductionClasses.class)
class CoreArchitectureTest {

    @ArchTest
    static final ArchRule packages_form_no_cycle = ArchitectureRules.NO_PACKAGE_CYCLES;

    @ArchTest
    static final ArchRule core_imports_no_web_framework_json_template_or_jdbc_type = ArchitectureRules.CORE_KNOWS_NO_FRAMEWORK;
}
