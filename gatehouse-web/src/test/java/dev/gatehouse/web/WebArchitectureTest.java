package dev.gatehouse.web;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.gatehouse.testing.ArchitectureRules;
import java.util.Set;

/**
 * gatehouse-web and the modules below it form no package cycle; gatehouse-web knows no adapter;
 * and inside gatehouse-web the layers of docs/architecture.md hold: the facade on top, the
 * endpoint groups (features) below it, the toolkit at the bottom — nothing reaches back up.
 */
@AnalyzeClasses(packages = "dev.gatehouse", importOptions = ArchitectureRules.ProductionClasses.class)
class WebArchitectureTest {

    /** What builds the layers below and hands adapters their entry points. */
    private static final Set<String> FACADE = Set.of("GatehouseWeb", "BuiltInFeatures");

    @ArchTest
    static final ArchRule packages_form_no_cycle = ArchitectureRules.NO_PACKAGE_CYCLES;

    @ArchTest
    static final ArchRule web_imports_no_javalin_jetty_or_servlet_type = ArchitectureRules.WEB_KNOWS_NO_ADAPTER;

    @ArchTest
    static final ArchRule endpoint_groups_sit_between_the_facade_and_the_toolkit = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Facade").definedBy(inWeb("facade", FACADE::contains))
            .layer("Features").definedBy(inWeb("endpoint groups (*Endpoints)", name -> name.endsWith("Endpoints")))
            .layer("Toolkit").definedBy(inWeb("toolkit (the rest)",
                    name -> !FACADE.contains(name) && !name.endsWith("Endpoints")))
            .whereLayer("Facade").mayNotBeAccessedByAnyLayer()
            .whereLayer("Features").mayOnlyBeAccessedByLayers("Facade")
            .whereLayer("Toolkit").mayOnlyBeAccessedByLayers("Facade", "Features");

    /** Classes of {@code dev.gatehouse.web} whose top-level class's simple name passes {@code test}. */
    private static DescribedPredicate<JavaClass> inWeb(String description, java.util.function.Predicate<String> test) {
        return DescribedPredicate.describe(description, javaClass -> {
            String name = javaClass.getName();
            if (!name.startsWith("dev.gatehouse.web.") || name.indexOf('.', "dev.gatehouse.web.".length()) >= 0) {
                return false;
            }
            String topLevel = name.substring("dev.gatehouse.web.".length()).replaceAll("\\$.*", "");
            return test.test(topLevel);
        });
    }
}
