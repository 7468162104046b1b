package dev.gatehouse.spring;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Feeds {@code gatehouse.*} properties from Spring's {@link ConfigurableEnvironment} into a
 * {@link GatehouseConfig.Builder}, so that Gatehouse parses and validates them itself (same
 * names, same messages) rather than Spring binding them to a second model.
 *
 * <p>Property sources are applied from the lowest precedence to the highest, one
 * {@code fromProperties}/{@code fromEnvironment} call each, so what Spring ranks higher wins, as
 * in Spring. Names are read with Spring's relaxed binding: {@code gatehouse.token-max-age}
 * (canonical), {@code gatehouse.tokenMaxAge}, {@code gatehouse.token_max_age} and the environment
 * variable {@code GATEHOUSE_TOKEN_MAX_AGE} (which Gatehouse's own environment reading resolves,
 * family members included); YAML lists ({@code [0]}, {@code [1]}) become comma-separated values.
 * Values may use {@code ${...}} placeholders. Sources that cannot list their names (random
 * values, JNDI) are not read.
 */
final class SpringSettings {

    private static final String PREFIX = "gatehouse.";
    private static final String ENV_PREFIX = "GATEHOUSE_";
    private static final Pattern INDEXED = Pattern.compile("(.*)\\[(\\d+)]");
    /** Boot's view of all sources at once: reading it too would apply every value twice. */
    private static final String ATTACHED = "configurationProperties";

    private SpringSettings() {
    }

    /**
     * Applies every {@code gatehouse.*} property and {@code GATEHOUSE_*} variable of
     * {@code environment} to {@code builder}.
     *
     * @throws InvalidConfigurationException with Gatehouse's problems, each prefixed by the
     *                                       property source that holds it
     */
    static void apply(ConfigurableEnvironment environment, GatehouseConfig.Builder builder) {
        List<PropertySource<?>> sources = new ArrayList<>();
        environment.getPropertySources().forEach(sources::add);
        for (int i = sources.size() - 1; i >= 0; i--) {
            if (sources.get(i) instanceof EnumerablePropertySource<?> source && !source.getName().equals(ATTACHED)) {
                apply(environment, source, builder);
            }
        }
    }

    private static void apply(ConfigurableEnvironment environment, EnumerablePropertySource<?> source,
            GatehouseConfig.Builder builder) {
        Map<String, String> variables = new TreeMap<>();
        Map<String, String> properties = new TreeMap<>();
        Map<String, TreeMap<Integer, String>> lists = new TreeMap<>();
        Map<String, String> keys = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (String key : source.getPropertyNames()) {
            if (key.startsWith(ENV_PREFIX)) {
                variables.put(key, value(environment, source, key));
            } else if (key.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                String name = canonical(key.substring(PREFIX.length()));
                String first = keys.putIfAbsent(name, key);
                if (first != null) {
                    // Two spellings of one setting (tokenMaxAge, token-max-age): neither silently wins.
                    problems.add("[" + source.getName() + "] " + key + ": set twice, also as " + first + "; keep one");
                    continue;
                }
                Matcher indexed = INDEXED.matcher(name);
                if (indexed.matches()) {
                    lists.computeIfAbsent(indexed.group(1), n -> new TreeMap<>())
                            .put(Integer.parseInt(indexed.group(2)), value(environment, source, key));
                } else {
                    properties.put(name, value(environment, source, key));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        lists.forEach((name, elements) -> properties.put(name, String.join(",", elements.values())));
        try {
            if (!variables.isEmpty()) {
                builder.fromEnvironment(variables);
            }
            if (!properties.isEmpty()) {
                Properties batch = new Properties();
                // With the prefix, which Gatehouse strips: its messages then name the property as written in Spring.
                properties.forEach((name, value) -> batch.setProperty(PREFIX + name, value));
                builder.fromProperties(batch);
            }
        } catch (InvalidConfigurationException e) {
            List<String> located = new ArrayList<>();
            e.problems().forEach(problem -> located.add("[" + source.getName() + "] " + problem));
            throw new InvalidConfigurationException(located);
        }
    }

    private static String value(ConfigurableEnvironment environment, PropertySource<?> source, String key) {
        Object raw = source.getProperty(key);
        return raw == null ? "" : environment.resolvePlaceholders(String.valueOf(raw));
    }

    /**
     * Gatehouse's kebab-case name for a relaxed one, element by element: {@code tokenMaxAge} and
     * {@code token_max_age} become {@code token-max-age}; an index ({@code [0]}) is kept.
     */
    static String canonical(String relaxed) {
        StringBuilder name = new StringBuilder(relaxed.length() + 8);
        for (int i = 0; i < relaxed.length(); i++) {
            char c = relaxed.charAt(i);
            if (c == '_') {
                name.append('-');
            } else if (Character.isUpperCase(c)) {
                char previous = i > 0 ? relaxed.charAt(i - 1) : '.';
                if (Character.isLowerCase(previous) || Character.isDigit(previous)) {
                    name.append('-');
                }
                name.append(Character.toLowerCase(c));
            } else {
                name.append(c);
            }
        }
        return name.toString().toLowerCase(Locale.ROOT);
    }
}
