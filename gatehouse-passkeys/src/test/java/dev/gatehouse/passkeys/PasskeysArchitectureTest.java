package dev.gatehouse.passkeys;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.gatehouse.testing.ArchitectureRules;

/**
 * gatehouse-passkeys speaks HTTP only through gatehouse-web and keeps webauthn4j to itself; the
 * packages below it form no cycle and core and web keep their rules with the module on the class path.
 */
@AnalyzeClasses(packages = "dev.gatehouse", importOptions = ArchitectureRules.ProductionClasses.class)
class PasskeysArchitectureTest {

    @ArchTest
    static final ArchRule packages_form_no_cycle = ArchitectureRules.NO_PACKAGE_CYCLES;

    @ArchTest
    static final ArchRule web_knows_no_adapter = ArchitectureRules.WEB_KNOWS_NO_ADAPTER;

    @ArchTest
    static final ArchRule passkeys_know_no_adapter = noClasses()
            .that().resideInAPackage("dev.gatehouse.passkeys..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "javax.servlet..", "java.sql..")
            .because("gatehouse-passkeys works over gatehouse-web's request/response and core's stores");

    @ArchTest
    static final ArchRule only_passkeys_know_webauthn4j = noClasses()
            .that().resideInAPackage("dev.gatehouse..").and().resideOutsideOfPackage("dev.gatehouse.passkeys..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.gatehouse.passkeys..", "com.webauthn4j..")
            .because("WebAuthn and webauthn4j are the passkeys module's; core keeps only the PasskeyStore SPI");
}
