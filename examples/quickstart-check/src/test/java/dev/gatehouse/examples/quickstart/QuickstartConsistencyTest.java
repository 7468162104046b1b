package dev.gatehouse.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * What no compiler checks: the BOM names every library module and nothing else, the install
 * script installs exactly those, and the quickstart's pom (which has no parent, as an
 * application's has none) uses the versions Gatehouse is built and tested with.
 */
class QuickstartConsistencyTest {

    /** Reactor modules that applications do not depend on, so neither the BOM nor the install script names them. */
    private static final Set<String> NOT_LIBRARIES = Set.of("gatehouse-bom", "gatehouse-cli");

    /** For each artifact the quickstart's pom gives a version, the parent's property holding that version. */
    private static final Map<String, String> VERSION_PROPERTIES = Map.ofEntries(
            Map.entry("postgresql", "postgresql.version"),
            Map.entry("slf4j-simple", "slf4j.version"),
            Map.entry("junit-jupiter", "junit.version"),
            Map.entry("maven-clean-plugin", "clean-plugin.version"),
            Map.entry("maven-resources-plugin", "resources-plugin.version"),
            Map.entry("maven-compiler-plugin", "compiler-plugin.version"),
            Map.entry("maven-surefire-plugin", "surefire-plugin.version"),
            Map.entry("maven-jar-plugin", "jar-plugin.version"),
            Map.entry("maven-install-plugin", "install-plugin.version"),
            Map.entry("exec-maven-plugin", "exec-plugin.version"));

    private final Element parent = Poms.read(Poms.ROOT.resolve("pom.xml"));
    private final String version = Poms.text(parent, "version").orElseThrow();

    @Test
    void bomManagesEveryLibraryModuleAndNothingElse() {
        Element bom = Poms.read(Poms.ROOT.resolve("gatehouse-bom/pom.xml"));

        assertThat(Poms.child(bom, "parent")).as("the BOM must not inherit the parent's third-party pins").isEmpty();
        assertThat(Poms.text(bom, "packaging")).contains("pom");
        assertThat(Poms.text(bom, "version")).contains(version);
        List<Element> managed = Poms.children(Poms.child(bom, "dependencyManagement", "dependencies").orElseThrow(), "dependency");
        assertThat(managed).allSatisfy(d -> {
            assertThat(Poms.text(d, "groupId")).contains("dev.gatehouse");
            assertThat(Poms.text(d, "version")).contains("${project.version}");
            assertThat(Poms.text(d, "scope")).isEmpty();
        });
        Set<String> jars = managed.stream().filter(d -> Poms.text(d, "type").isEmpty())
                .map(d -> Poms.text(d, "artifactId").orElseThrow()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(jars).isEqualTo(libraries());
        assertThat(managed).filteredOn(d -> Poms.text(d, "type").isPresent())
                .allSatisfy(d -> assertThat(Poms.text(d, "type")).contains("test-jar"))
                .extracting(d -> Poms.text(d, "artifactId").orElseThrow())
                .containsExactlyInAnyOrder("gatehouse-core", "gatehouse-web");
    }

    @Test
    void installScriptInstallsTheLibrariesAndTheBom() throws IOException {
        String script = Files.readString(Poms.ROOT.resolve("scripts/install-libraries"));
        Matcher pl = Pattern.compile("-pl\\s+([\\w,-]+)").matcher(script);

        assertThat(pl.find()).as("a -pl list in scripts/install-libraries").isTrue();
        Set<String> expected = new TreeSet<>(libraries());
        expected.add("gatehouse-bom");
        assertThat(new TreeSet<>(List.of(pl.group(1).split(",")))).isEqualTo(expected);
        assertThat(script).contains(" install ").contains("-Pdocs");
    }

    @Test
    void quickstartImportsTheBomOfThisVersion() {
        Element quickstart = Poms.read(Poms.ROOT.resolve("examples/quickstart/pom.xml"));

        assertThat(Poms.child(quickstart, "parent")).as("the quickstart stands alone, as an application does").isEmpty();
        assertThat(Poms.text(quickstart, "properties", "gatehouse.version")).contains(version);
        Element imported = Poms.child(quickstart, "dependencyManagement", "dependencies", "dependency").orElseThrow();
        assertThat(Poms.text(imported, "artifactId")).contains("gatehouse-bom");
        assertThat(Poms.text(imported, "version")).contains("${gatehouse.version}");
        assertThat(Poms.text(imported, "scope")).contains("import");
        List<Element> dependencies = Poms.children(Poms.child(quickstart, "dependencies").orElseThrow(), "dependency");
        assertThat(dependencies).filteredOn(d -> Poms.text(d, "groupId").orElseThrow().equals("dev.gatehouse"))
                .extracting(d -> Poms.text(d, "artifactId").orElseThrow())
                .containsExactlyInAnyOrder("gatehouse-javalin", "gatehouse-jdbc");
        assertThat(dependencies).filteredOn(d -> Poms.text(d, "groupId").orElseThrow().equals("dev.gatehouse"))
                .allSatisfy(d -> assertThat(Poms.text(d, "version")).as("versions come from the BOM").isEmpty());
    }

    @Test
    void quickstartUsesTheVersionsGatehouseIsTestedWith() {
        Element quickstart = Poms.read(Poms.ROOT.resolve("examples/quickstart/pom.xml"));
        Element properties = Poms.child(parent, "properties").orElseThrow();
        Map<String, String> pinned = new LinkedHashMap<>();
        collectVersions(quickstart, pinned);

        assertThat(pinned.keySet()).containsExactlyInAnyOrderElementsOf(VERSION_PROPERTIES.keySet());
        pinned.forEach((artifact, pin) -> assertThat(pin)
                .as("%s's version in examples/quickstart/pom.xml (the parent's %s)", artifact, VERSION_PROPERTIES.get(artifact))
                .isEqualTo(Poms.text(properties, VERSION_PROPERTIES.get(artifact)).orElseThrow()));
    }

    /** Every dependency and plugin below {@code element} that has a literal version, by artifactId. */
    private static void collectVersions(Element element, Map<String, String> versions) {
        for (String kind : List.of("dependency", "plugin")) {
            for (int i = 0; i < element.getElementsByTagName(kind).getLength(); i++) {
                Element e = (Element) element.getElementsByTagName(kind).item(i);
                Poms.text(e, "version").filter(v -> !v.startsWith("${"))
                        .ifPresent(v -> versions.put(Poms.text(e, "artifactId").orElseThrow(), v));
            }
        }
    }

    /** The reactor's gatehouse-* modules that applications depend on. */
    private Set<String> libraries() {
        return Poms.children(Poms.child(parent, "modules").orElseThrow(), "module").stream()
                .map(m -> m.getTextContent().strip())
                .filter(m -> m.startsWith("gatehouse-") && !NOT_LIBRARIES.contains(m))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
