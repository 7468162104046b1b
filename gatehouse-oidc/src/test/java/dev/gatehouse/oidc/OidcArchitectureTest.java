package dev.gatehouse.oidc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.gatehouse.testing.ArchitectureRules;

/**
 * The packages of gatehouse-oidc and of every Gatehouse module below it form no cycle, core and web keep
 * their rules with the module on the class path, and the module speaks HTTP only through gatehouse-web:
 * no adapter (Javalin, servlets) in its production classes. Inside the module, {@link OidcFeature} is a
 * facade over its parts (endpoint groups, provider sessions, the shared context), which never reach back
 * up into it.
 */
@AnalyzeClasses(packages = "dev.gatehouse", importOptions = ArchitectureRules.ProductionClasses.class)
class OidcArchitectureTest {

    @ArchTest
    static final ArchRule packages_form_no_cycle = ArchitectureRules.NO_PACKAGE_CYCLES;

    @ArchTest
    static final ArchRule web_knows_no_adapter = ArchitectureRules.WEB_KNOWS_NO_ADAPTER;

    @ArchTest
    static final ArchRule oidc_knows_no_adapter = noClasses()
            .that().resideInAPackage("dev.gatehouse.oidc..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "javax.servlet..", "java.sql..")
            .because("gatehouse-oidc works over gatehouse-web's request/response and core's stores, so every "
                    + "adapter can host it");

    @ArchTest
    static final ArchRule only_oidc_knows_oidc = noClasses()
            .that().resideInAPackage("dev.gatehouse..").and().resideOutsideOfPackage("dev.gatehouse.oidc..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.gatehouse.oidc..", "com.nimbusds..")
            .because("OpenID Connect and the Nimbus SDK are the oidc module's: core, web and the adapters below it "
                    + "do not depend on it");

    @ArchTest
    static final ArchRule parts_do_not_reach_back_into_the_facade = noClasses()
            .that().resideInAPackage("dev.gatehouse.oidc").and().doNotBelongToAnyOf(OidcFeature.class)
            .should().dependOnClassesThat().belongToAnyOf(OidcFeature.class)
            .because("OidcFeature builds its parts and hands them the shared OidcContext; data goes down, "
                    + "nothing calls back up (as gatehouse-web's endpoint groups and its GatehouseWeb facade)");
}
