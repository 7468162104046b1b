package dev.gatehouse.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.regex.Pattern;

/**
 * The architecture rules every module's {@code ArchitectureTest} checks, kept in one place so a
 * module cannot quietly check a weaker set. Each module analyses the production classes of
 * {@code dev.gatehouse} on its own classpath, so the module furthest downstream sees them all.
 */
public final class ArchitectureRules {

    /**
     * No two packages of {@code dev.gatehouse} depend on each other, directly or around a loop.
     * Every package is its own slice — the root package {@code dev.gatehouse} (the facade)
     * included — so a cycle through the facade or between a package and its subpackage counts too.
     */
    public static final ArchRule NO_PACKAGE_CYCLES = slices().assignedFrom(new EachPackage())
            .should().beFreeOfCycles()
            .because("a package must sit above the packages it uses: value types at the ground floor, "
                    + "services above them, flows and the facade on top");

    /**
     * gatehouse-core knows no web framework, servlet API, JSON library, template engine, connection
     * pool, migration tool or JDBC driver: those belong to the modules that adapt the core to them.
     */
    public static final ArchRule CORE_KNOWS_NO_FRAMEWORK = noClasses()
            .that().resideInAPackage("dev.gatehouse..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "javax.servlet..",
                    "org.springframework..", "io.undertow..", "io.vertx..", "io.netty..",
                    "com.fasterxml.jackson..", "com.google.gson..",
                    "io.pebbletemplates..", "com.mitchellbosecke.pebble..",
                    "com.zaxxer.hikari..", "org.flywaydb..", "java.sql..", "javax.sql..",
                    "org.postgresql..", "org.mariadb..", "com.mysql..", "org.h2..", "org.sqlite..",
                    "org.hsqldb..", "oracle.jdbc..", "com.microsoft.sqlserver..")
            .because("gatehouse-core is the model and the flows; the web layer, the stores and the "
                    + "adapters bring their frameworks with them");

    /** gatehouse-web speaks HTTP through its own WebRequest/WebResponse, so any adapter can host it. */
    public static final ArchRule WEB_KNOWS_NO_ADAPTER = noClasses()
            .that().resideInAPackage("dev.gatehouse.web..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "javax.servlet..")
            .because("the Javalin (or a future Servlet) adapter depends on gatehouse-web, never the "
                    + "other way round");

    private ArchitectureRules() {
    }

    /**
     * Imports production classes only: neither a module's own test classes nor the test jars of
     * the modules it depends on (test helpers may reach anywhere).
     */
    public static final class ProductionClasses implements ImportOption {
        private static final ImportOption NOT_TESTS = new ImportOption.DoNotIncludeTests();
        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar.*");

        /** Creates the option; ArchUnit instantiates it from {@code @AnalyzeClasses}. */
        public ProductionClasses() {
        }

        @Override
        public boolean includes(Location location) {
            return NOT_TESTS.includes(location) && !location.matches(TEST_JAR);
        }
    }

    /** One slice per package under {@code dev.gatehouse}, the root package included. */
    private static final class EachPackage implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            return name.equals("dev.gatehouse") || name.startsWith("dev.gatehouse.")
                    ? SliceIdentifier.of(name)
                    : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the packages of dev.gatehouse";
        }
    }
}
