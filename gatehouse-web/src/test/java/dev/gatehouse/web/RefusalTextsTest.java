package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every refusal the core's flows raise — each {@code new InvalidInputException(...)} and
 * {@code new PolicyViolation(...)} in the packages a web client reaches — has a text in English,
 * German and French, and every {@code {name}} its texts use is an argument the refusal supplies.
 * The refusals are found by reading the core's sources, so a new one cannot be forgotten.
 */
class RefusalTextsTest {

    /** The core packages whose refusals reach a web client; the stores' own checks are for developers. */
    private static final List<String> PACKAGES = List.of("lifecycle", "auth", "password", "identifier");
    private static final Path CORE = Path.of("..", "gatehouse-core", "src", "main", "java", "dev", "gatehouse");
    private static final Pattern RAISED = Pattern.compile("new (InvalidInputException|PolicyViolation)\\(");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]+");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    /** Raised with a code that is not a literal at the call: {@code BreachCheckUnavailableException}'s. */
    private static final Map<String, Set<String>> INDIRECT = Map.of("PASSWORD_BREACHED_SITE_ERROR", Set.of());

    @Test
    void every_refusal_has_a_text_in_every_language_naming_only_the_arguments_it_supplies() throws IOException {
        Map<String, Set<String>> refusals = refusals();
        assertThat(refusals).as("the scan finds the flows' refusals")
                .containsKeys("EMAIL_ALREADY_ASSOCIATED", "PASSWORD_RESET_EXPIRED", "USERNAME_INVALID_LENGTH",
                        "PASSWORD_INVALID_LENGTH", "INVALID_PASSWORD");
        assertThat(refusals.get("PASSWORD_RESET_EXPIRED")).containsExactly("within");
        assertThat(refusals.get("USERNAME_INVALID_LENGTH")).containsExactly("min", "max");

        for (String language : List.of("", "_de", "_fr")) {
            Properties texts = MessagesTest.bundle("messages" + language + ".properties");
            refusals.forEach((code, arguments) -> {
                String text = texts.getProperty(code);
                assertThat(text).as("the text of %s in messages%s.properties", code, language).isNotBlank();
                assertThat(arguments).as("what %s%s names", code, language).containsAll(MessagesTest.parameters(text));
            });
        }
    }

    /** Code to the argument names its raisers supply (the names common to all of them). */
    private static Map<String, Set<String>> refusals() throws IOException {
        Map<String, Set<String>> found = new TreeMap<>(INDIRECT);
        for (String pkg : PACKAGES) {
            try (Stream<Path> files = Files.list(CORE.resolve(pkg))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file, StandardCharsets.UTF_8);
                    Matcher raised = RAISED.matcher(source);
                    while (raised.find()) {
                        String call = call(source, raised.end());
                        // A nested "new InvalidInputException(" (a ternary) is scanned on its own.
                        int nested = call.indexOf("new InvalidInputException(");
                        String own = nested < 0 ? call : call.substring(0, nested);
                        List<String> literals = LITERAL.matcher(own).results().map(m -> m.group(1)).toList();
                        literals.stream().filter(l -> CODE.matcher(l).matches()).findFirst().ifPresent(code -> {
                            Set<String> arguments = arguments(own);
                            found.merge(code, arguments, (a, b) -> {
                                Set<String> common = new LinkedHashSet<>(a);
                                common.retainAll(b);
                                return common;
                            });
                        });
                    }
                }
            }
        }
        return found;
    }

    /** The argument list of the call whose {@code (} ends at {@code start}, string literals skipped. */
    private static String call(String source, int start) {
        int depth = 1;
        for (int i = start; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '"') {
                for (i++; source.charAt(i) != '"'; i++) {
                    if (source.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return source.substring(start, i);
            }
        }
        throw new AssertionError("unbalanced call at " + start);
    }

    /** The names of a {@code Map.of("name", value, ...)} among a call's arguments. */
    private static Set<String> arguments(String call) {
        int map = call.indexOf("Map.of(");
        if (map < 0) {
            return Set.of();
        }
        String entries = call(call, map + "Map.of(".length());
        return LITERAL.matcher(entries).results().map(m -> m.group(1))
                .filter(l -> NAME.matcher(l).matches())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
