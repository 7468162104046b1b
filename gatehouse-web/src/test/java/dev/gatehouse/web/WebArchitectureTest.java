package dev.gatehouse.web;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.gatehouse.testing.ArchitectureRules;

/** gatehouse-web and the modules below it form no package cycle; gatehouse-web knows no adapter. */
@AnalyzeClasses(packages = "dev.gatehouse", importOptions = ArchitectureRules.ProductionClasses.class)
class WebArchitectureTest {

    @ArchTest
    static final ArchRule packages_form_no_cycle = ArchitectureRules.NO_PACKAGE_CYCLES;

    @ArchTest
    static final ArchRule web_imports_no_javalin_jetty_or_servlet_type = ArchitectureRules.WEB_KNOWS_NO_ADAPTER;
}
