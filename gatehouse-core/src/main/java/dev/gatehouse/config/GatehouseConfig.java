package dev.gatehouse.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Gatehouse's configuration: one immutable, validated set of every setting, read through the
 * setting's typed key: {@code config.get(Settings.TOKEN_MAX_AGE)} is a {@link Duration}. Settings
 * without a default are {@link OptionalSetting}s, read as an {@link Optional}; no setting reads as
 * {@code null}.
 *
 * <h2>Assembling it</h2>
 * A {@link Builder} takes settings from code, a properties file and the environment:
 * <pre>{@code
 * GatehouseConfig config = GatehouseConfig.builder()
 *         .set(Settings.REGISTERABLE, true)             // the application's choices
 *         .fromPropertiesFile(Path.of("gatehouse.properties"))
 *         .fromEnvironment()                            // GATEHOUSE_REGISTERABLE=false, GATEHOUSE_SECRET=...
 *         .build();
 * }</pre>
 * <ul>
 *   <li><b>What you call last wins.</b> Each call overrides what earlier calls set, setting by
 *       setting; settings no call mentions keep their defaults. The order above (code, then file,
 *       then environment) lets an operator switch any feature without recompiling.</li>
 *   <li><b>Names.</b> Settings are named like Flask-Security's {@code SECURITY_*} settings,
 *       without the prefix, in kebab-case: {@code token-max-age} in properties files
 *       (also {@code gatehouse.token-max-age}), {@code GATEHOUSE_TOKEN_MAX_AGE} in the
 *       environment. {@code docs/configuration.md} lists them all.</li>
 *   <li><b>Formats.</b> Booleans are {@code true} or {@code false}; durations {@code 500ms},
 *       {@code 30s}, {@code 15m}, {@code 2h}, {@code 5d} or ISO-8601 ({@code PT1H30M}); lists are
 *       comma-separated. Surrounding whitespace is ignored, and an empty value unsets a setting
 *       that has no default.</li>
 *   <li><b>Fail fast.</b> A malformed value or an unknown name fails the call that supplied it with
 *       an {@link InvalidConfigurationException} naming the setting (all problems of a file or of
 *       the environment together); {@link Builder#build()} then checks the secret is set and that
 *       settings agree with each other.</li>
 *   <li><b>No default secret.</b> {@code secret} must be set, to at least 32 bytes.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. {@link #toString()} lists the settings that differ from their
 * defaults and never reveals a secret, the SMTP password or the database URL.
 */
public final class GatehouseConfig {

    /** Prefix of the environment variables Gatehouse reads. */
    static final String ENV_PREFIX = "GATEHOUSE_";
    /** Optional prefix of property keys, for files shared with other components. */
    static final String PROPERTIES_PREFIX = "gatehouse.";
    private static final String SEE_DOCS = "; the settings are listed in docs/configuration.md";

    /** Every setting with a value; optional settings that are unset are absent. */
    private final Map<SettingKey<?>, Object> values;

    private GatehouseConfig(Map<SettingKey<?>, Object> values) {
        this.values = Map.copyOf(values);
    }

    /** A builder with every setting at its default (and no secret). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The value of a setting that always has one: as configured, else its default.
     *
     * @throws IllegalArgumentException for a setting of a {@link SettingGroup} that is not on the class path
     */
    public <T> T get(Setting<T> setting) {
        // Every known setting has a value: one lookup on the hot path, the registry only on a miss.
        Object value = values.get(setting);
        return setting.cast(value != null ? value : values.get(known(setting)));
    }

    /**
     * The value of a setting that may be unset; empty when it is.
     *
     * @throws IllegalArgumentException for a setting of a {@link SettingGroup} that is not on the class path
     */
    public <T> Optional<T> get(OptionalSetting<T> setting) {
        Object value = values.get(setting);
        if (value == null) {
            known(setting);
        }
        return Optional.ofNullable(setting.cast(value));
    }

    private static <K extends SettingKey<?>> K known(K setting) {
        if (!Registry.get().contains(setting)) {
            throw new IllegalArgumentException(setting.name + ": not a registered setting; list its SettingGroup in "
                    + "META-INF/services/" + SettingGroup.class.getName());
        }
        return setting;
    }

    /** The settings that differ from their defaults, secrets shown as {@code <redacted>}. */
    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(", ", "GatehouseConfig[", "]");
        for (SettingKey<?> s : Registry.get().all) {
            Object v = values.get(s);
            if (v != null && !s.defaultValue().map(v::equals).orElse(false)) {
                joiner.add(s.name + "=" + s.formatValue(v));
            }
        }
        return joiner.toString();
    }

    /**
     * Assembles a {@link GatehouseConfig}; see the class documentation for the rules. Every method
     * returns this builder. Not thread-safe; meant for start-up code.
     */
    public static final class Builder {

        private final Map<SettingKey<?>, Object> values = new HashMap<>();

        private Builder() {
        }

        /**
         * Sets one setting from text, as a properties file or environment variable would.
         *
         * @param name  the kebab-case name, e.g. {@code token-max-age}
         * @param value its text form, e.g. {@code 15m}; blank unsets a setting without default
         * @throws InvalidConfigurationException if there is no such setting or the value does not fit
         */
        public Builder set(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Optional<SettingKey<?>> setting = Registry.get().byName(name);
            if (setting.isEmpty()) {
                throw new InvalidConfigurationException(List.of(unknown(name, name, SettingKey::name)));
            }
            Map<SettingKey<?>, Optional<Object>> parsed = new HashMap<>();
            List<String> problems = new ArrayList<>();
            parse(setting.get(), name, value, parsed, problems);
            return apply(parsed, problems);
        }

        /**
         * Sets every setting named in {@code properties}. Keys are setting names, optionally
         * prefixed with {@code gatehouse.}; every key must name a setting (a file shared with other
         * components should be filtered first).
         *
         * @throws InvalidConfigurationException listing every unknown key and malformed value;
         *                                       nothing is set then
         */
        public Builder fromProperties(Properties properties) {
            return fromProperties(properties, "");
        }

        /**
         * Reads a properties file (UTF-8) and {@linkplain #fromProperties(Properties) sets} the
         * settings in it.
         *
         * @throws InvalidConfigurationException if the file cannot be read, or as
         *                                       {@link #fromProperties(Properties)}
         */
        public Builder fromPropertiesFile(Path file) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw new InvalidConfigurationException(
                        List.of(file + ": cannot read the properties file (" + describe(e) + ")"), e);
            }
            return fromProperties(properties, file + ": ");
        }

        private Builder fromProperties(Properties properties, String origin) {
            Map<SettingKey<?>, Optional<Object>> parsed = new HashMap<>();
            Map<SettingKey<?>, String> keys = new HashMap<>();
            List<String> problems = new ArrayList<>();
            for (String key : new TreeSet<>(properties.stringPropertyNames())) {
                String name = key.startsWith(PROPERTIES_PREFIX) ? key.substring(PROPERTIES_PREFIX.length()) : key;
                Optional<SettingKey<?>> setting = Registry.get().byName(name);
                if (setting.isEmpty()) {
                    problems.add(origin + unknown(key, name, SettingKey::name));
                } else if (keys.containsKey(setting.get())) {
                    problems.add(origin + key + ": set twice, also as " + keys.get(setting.get()) + "; keep one");
                } else {
                    keys.put(setting.get(), key);
                    parse(setting.get(), origin + key, properties.getProperty(key), parsed, problems);
                }
            }
            return apply(parsed, problems);
        }

        /**
         * Sets a setting for every {@code GATEHOUSE_*} entry of {@code environment}
         * ({@code GATEHOUSE_TOKEN_MAX_AGE=15m}); other entries are ignored.
         *
         * @throws InvalidConfigurationException listing every {@code GATEHOUSE_*} variable that
         *                                       names no setting or has a malformed value; nothing
         *                                       is set then
         */
        public Builder fromEnvironment(Map<String, String> environment) {
            Map<SettingKey<?>, Optional<Object>> parsed = new HashMap<>();
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
                if (!e.getKey().startsWith(ENV_PREFIX)) {
                    continue;
                }
                Optional<SettingKey<?>> setting = Registry.get().byEnvName(e.getKey());
                if (setting.isEmpty()) {
                    problems.add(unknown(e.getKey(), e.getKey(), SettingKey::envName));
                } else {
                    parse(setting.get(), e.getKey(), e.getValue(), parsed, problems);
                }
            }
            return apply(parsed, problems);
        }

        /** {@link #fromEnvironment(Map)} with this process's environment. */
        public Builder fromEnvironment() {
            return fromEnvironment(System.getenv());
        }

        /**
         * The configuration: settings not set keep their defaults.
         *
         * @throws InvalidConfigurationException if {@code secret} is not set, or settings
         *                                       contradict each other (e.g. a minimum password
         *                                       length above the maximum); all problems together
         */
        public GatehouseConfig build() {
            Map<SettingKey<?>, Object> all = new HashMap<>();
            List<String> problems = new ArrayList<>();
            for (SettingKey<?> s : Registry.get().all) {
                Object v = values.containsKey(s) ? values.get(s) : s.defaultValue().orElse(null);
                if (v != null) {
                    all.put(s, v);
                } else if (s.required) {
                    problems.add(s.name + ": not set, and there is no default; set the environment variable "
                            + s.envName() + ", " + s.name + " in the properties file, or .set(Settings."
                            + s.name.toUpperCase(Locale.ROOT).replace('-', '_') + ", ...) in code, to at least 32 random bytes (" + Settings.GENERATE_SECRET + ")");
                }
            }
            problems.addAll(Settings.crossCheck(all::get));
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            return new GatehouseConfig(all);
        }

        // -------------------------------------------------------------- internals

        /**
         * Sets one setting to a typed value, e.g. {@code set(Settings.TOKEN_MAX_AGE, Duration.ofMinutes(30))}.
         *
         * @throws InvalidConfigurationException if the value is out of the setting's range or malformed
         */
        public <T> Builder set(SettingKey<T> setting, T value) {
            Objects.requireNonNull(value, known(setting).name);
            try {
                values.put(setting, setting.type.normalize(value));
            } catch (BadValue e) {
                throw new InvalidConfigurationException(List.of(problem(setting.name, setting, setting.type.format(value), e)));
            }
            return this;
        }

        private Builder apply(Map<SettingKey<?>, Optional<Object>> parsed, List<String> problems) {
            // All or nothing: a source with any problem changes nothing.
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            parsed.forEach((setting, value) -> {
                if (value.isPresent()) {
                    values.put(setting, value.get());
                } else {
                    values.remove(setting);
                }
            });
            return this;
        }

        private static void parse(SettingKey<?> setting, String source, String raw,
                Map<SettingKey<?>, Optional<Object>> parsed, List<String> problems) {
            String text = raw.strip();
            if (text.isEmpty() && setting.optional()) {
                parsed.put(setting, Optional.empty());
                return;
            }
            try {
                parsed.put(setting, Optional.of(setting.type.parse(text)));
            } catch (BadValue e) {
                problems.add(problem(source, setting, text, e));
            }
        }

        /** {@code source: "value" problem}, or {@code source: the value problem} for secrets. */
        private static String problem(String source, SettingKey<?> setting, String shown, BadValue e) {
            String subject = setting.type.redacted() ? "the value" : "\"" + ValueType.quote(shown) + "\"";
            return source + ": " + subject + " " + e.getMessage();
        }

        /** The value is not shown: a misspelt secret variable must not end up in a log. */
        private static String unknown(String shown, String name, Function<SettingKey<?>, String> naming) {
            return ValueType.quote(shown) + ": no such setting" + Registry.get().suggestion(name, naming) + SEE_DOCS;
        }

        private static String describe(Exception e) {
            if (e instanceof NoSuchFileException) {
                return "no such file";
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied";
            }
            return e.getClass().getSimpleName();
        }
    }
}
