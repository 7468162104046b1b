package dev.gatehouse.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import dev.gatehouse.config.Registry.BadName;
import dev.gatehouse.config.Registry.Member;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
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
 *   <li><b>Per-id settings.</b> A module's {@link SettingFamily} repeats a setting for ids the
 *       operator chooses: {@code oidc.keycloak.issuer} (also {@code gatehouse.oidc.keycloak.issuer})
 *       in properties files, {@code GATEHOUSE_OIDC_KEYCLOAK_ISSUER} in the environment, read with
 *       {@link #get(SettingFamily, String)}; {@link #ids(String)} lists the ids configured under a
 *       prefix. A name that is no setting's is read as a family member.</li>
 *   <li><b>Formats.</b> Booleans are {@code true} or {@code false}; durations {@code 500ms},
 *       {@code 30s}, {@code 15m}, {@code 2h}, {@code 5d} or ISO-8601 ({@code PT1H30M}); lists are
 *       comma-separated. Surrounding whitespace is ignored, and an empty value unsets a setting
 *       that has no default.</li>
 *   <li><b>Fail fast.</b> A malformed value or an unknown name fails the call that supplied it with
 *       an {@link InvalidConfigurationException} naming the setting (all problems of a file or of
 *       the environment together); {@link Builder#build()} then checks the secret is set and that
 *       settings agree with each other.</li>
 *   <li><b>No default secret.</b> {@code secret} must be set, to at least 32 bytes.</li>
 *   <li><b>Development.</b> {@code development=true} changes the defaults of {@code cookie-secure}
 *       (false) and {@code mail-backend} (files); a value set for either by any call still wins.
 *       It is refused when {@code external-url} is https or names another machine.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. {@link #toString()} lists the settings (and family members) that
 * differ from their defaults and never reveals a secret, the SMTP password or the database URL.
 */
public final class GatehouseConfig {

    /** Prefix of the environment variables Gatehouse reads. */
    static final String ENV_PREFIX = "GATEHOUSE_";
    /** Optional prefix of property keys, for files shared with other components. */
    static final String PROPERTIES_PREFIX = "gatehouse.";
    static final String SEE_DOCS = "; the settings are listed in docs/configuration.md";

    /** Every setting with a value; optional settings that are unset are absent. */
    private final Map<SettingKey<?>, Object> values;
    /** Family values set for an id; the family's default answers for the others. */
    private final Map<Member, Object> members;

    private GatehouseConfig(Map<SettingKey<?>, Object> values, Map<Member, Object> members) {
        this.values = Map.copyOf(values);
        this.members = Map.copyOf(members);
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

    /**
     * The value of a family member: as set for {@code id}, else the family's default, else empty.
     *
     * @throws IllegalArgumentException if {@code id} is not {@linkplain SettingFamily#isValidId valid}, or
     *                                  for a family of a {@link SettingGroup} that is not on the class path
     */
    public <T> Optional<T> get(SettingFamily<T> family, String id) {
        Object value = members.get(new Member(family, id));
        if (value == null) {
            known(family).name(id);  // checks the id
            value = family.defaultValue;
        }
        return Optional.ofNullable(family.cast(value));
    }

    /**
     * Every id with a value set for any family of {@code prefix}, sorted; e.g. {@code [entra, keycloak]}
     * after {@code oidc.keycloak.issuer} and {@code oidc.entra.client-id} were set. Defaults make no
     * id appear: which ids are in use is the module's to say (typically through a list setting).
     *
     * @throws IllegalArgumentException if no registered family has this prefix
     */
    public Set<String> ids(String prefix) {
        if (!Registry.get().isFamilyPrefix(prefix)) {
            throw new IllegalArgumentException(prefix + ": no registered setting family has this prefix; list its "
                    + "SettingGroup in META-INF/services/" + SettingGroup.class.getName());
        }
        SortedSet<String> ids = new TreeSet<>();
        for (Member m : members.keySet()) {
            if (m.family().prefix.equals(prefix)) {
                ids.add(m.id());
            }
        }
        return Collections.unmodifiableSortedSet(ids);
    }

    private static <K extends SettingKey<?>> K known(K setting) {
        if (!Registry.get().contains(setting)) {
            throw new IllegalArgumentException(setting.name + ": not a registered setting; list its SettingGroup in "
                    + "META-INF/services/" + SettingGroup.class.getName());
        }
        return setting;
    }

    private static <T> SettingFamily<T> known(SettingFamily<T> family) {
        if (!Registry.get().contains(family)) {
            throw new IllegalArgumentException(family.namePattern() + ": not a registered setting family; list its "
                    + "SettingGroup in META-INF/services/" + SettingGroup.class.getName());
        }
        return family;
    }

    /** The settings and family members that differ from their defaults, secrets shown as {@code <redacted>}. */
    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(", ", "GatehouseConfig[", "]");
        for (SettingKey<?> s : Registry.get().all) {
            Object v = values.get(s);
            if (v != null && !s.defaultValue().map(v::equals).orElse(false)) {
                joiner.add(s.name + "=" + s.formatValue(v));
            }
        }
        List<Member> set = new ArrayList<>(members.keySet());
        set.sort(Comparator.comparing(Member::name));
        for (Member m : set) {
            Object v = members.get(m);
            if (!v.equals(m.family().defaultValue)) {
                joiner.add(m.name() + "=" + m.family().formatValue(v));
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
        private final Map<Member, Object> members = new HashMap<>();

        private Builder() {
        }

        /**
         * Sets one setting, or one family member, from text, as a properties file or environment
         * variable would.
         *
         * @param name  the kebab-case name, e.g. {@code token-max-age}, or a member's, e.g.
         *              {@code oidc.keycloak.issuer}
         * @param value its text form, e.g. {@code 15m}; null or blank unsets a setting without default
         *              (for the required {@code secret}: the "not set" error)
         * @throws InvalidConfigurationException if there is no such setting or the value does not fit
         */
        public Builder set(String name, String value) {
            Objects.requireNonNull(name, "name");
            Batch batch = new Batch();
            // null as blank: the value often comes from System.getenv or a lookup that found nothing.
            batch.read("", name, name, false, value == null ? "" : value);
            return apply(batch);
        }

        /**
         * Sets every setting named in {@code properties}. Keys are setting names, or family member
         * names such as {@code oidc.keycloak.issuer}, optionally prefixed with {@code gatehouse.};
         * every key must name a setting (a file shared with other components should be filtered first).
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
            Batch batch = new Batch();
            for (String key : new TreeSet<>(properties.stringPropertyNames())) {
                String name = key.startsWith(PROPERTIES_PREFIX) ? key.substring(PROPERTIES_PREFIX.length()) : key;
                batch.read(origin, key, name, false, properties.getProperty(key));
            }
            return apply(batch);
        }

        /**
         * Sets a setting for every {@code GATEHOUSE_*} entry of {@code environment}
         * ({@code GATEHOUSE_TOKEN_MAX_AGE=15m}, {@code GATEHOUSE_OIDC_KEYCLOAK_ISSUER=https://...});
         * other entries are ignored. A family member's id is what lies between the family's prefix and
         * the longest of that prefix's suffixes the name ends with, upper case and {@code _} read
         * as lower case and {@code -} (see {@link SettingFamily}).
         *
         * @throws InvalidConfigurationException listing every {@code GATEHOUSE_*} variable that
         *                                       names no setting or has a malformed value; nothing
         *                                       is set then
         */
        public Builder fromEnvironment(Map<String, String> environment) {
            Batch batch = new Batch();
            for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
                if (e.getKey().startsWith(ENV_PREFIX)) {
                    batch.read("", e.getKey(), e.getKey(), true, e.getValue());
                }
            }
            return apply(batch);
        }

        /** {@link #fromEnvironment(Map)} with this process's environment. */
        public Builder fromEnvironment() {
            return fromEnvironment(System.getenv());
        }

        /**
         * The configuration: settings not set keep their defaults. When Gatehouse's own settings
         * agree, every {@link SettingGroup} then {@linkplain SettingGroup#check checks} its own.
         *
         * @throws InvalidConfigurationException if {@code secret} is not set, or settings
         *                                       contradict each other (e.g. a minimum password
         *                                       length above the maximum); all problems together
         */
        public GatehouseConfig build() {
            Map<SettingKey<?>, Object> all = new HashMap<>();
            List<String> problems = new ArrayList<>();
            boolean development = Boolean.TRUE.equals(values.get(Settings.DEVELOPMENT));
            for (SettingKey<?> s : Registry.get().all) {
                Object v = values.containsKey(s) ? values.get(s)
                        : development && Settings.DEVELOPMENT_DEFAULTS.containsKey(s) ? Settings.DEVELOPMENT_DEFAULTS.get(s)
                        : s.defaultValue().orElse(null);
                if (v != null) {
                    all.put(s, v);
                } else if (s.required) {
                    problems.add(notSet(s, s.name, "not set"));
                }
            }
            problems.addAll(Settings.crossCheck(all::get));
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            GatehouseConfig config = new GatehouseConfig(all, members);
            // Only now: a group's check may read any setting, so the secret must be there.
            for (SettingGroup group : Registry.get().groups) {
                problems.addAll(group.check(config));
            }
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            return config;
        }

        // -------------------------------------------------------------- internals

        /**
         * Sets one setting to a typed value, e.g. {@code set(Settings.TOKEN_MAX_AGE, Duration.ofMinutes(30))}.
         *
         * @throws InvalidConfigurationException if the value is out of the setting's range or malformed
         */
        public <T> Builder set(SettingKey<T> setting, T value) {
            known(setting);
            if (setting.required && blank(value)) {
                // e.g. set(SECRET, ...) fed from System.getenv of an unset variable: say how to set it, not NPE.
                throw new InvalidConfigurationException(List.of(notSet(setting, setting.name,
                        value == null ? "not set (null)" : "not set (blank)")));
            }
            Objects.requireNonNull(value, setting.name);
            try {
                values.put(setting, setting.type.normalize(value));
            } catch (BadValue e) {
                throw new InvalidConfigurationException(List.of(problem(setting.name, setting.type, setting.type.format(value), e)));
            }
            return this;
        }

        /**
         * Sets one family member to a typed value, e.g.
         * {@code set(OidcSettings.ISSUER, "keycloak", "https://sso.example.com/realms/app")}.
         *
         * @throws InvalidConfigurationException if {@code id} is not {@linkplain SettingFamily#isValidId valid}
         *                                       or the value does not fit the family's type
         * @throws IllegalArgumentException      for a family of a {@link SettingGroup} not on the class path
         */
        public <T> Builder set(SettingFamily<T> family, String id, T value) {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(value, known(family).namePattern());
            if (!SettingFamily.isValidId(id)) {
                throw new InvalidConfigurationException(List.of(family.namePattern() + ": the id \""
                        + ValueType.quote(id) + "\" is not valid; use 1-32 lower-case letters, digits and -, starting with a letter"));
            }
            String name = family.name(id);
            try {
                members.put(new Member(family, id), family.type.normalize(value));
            } catch (BadValue e) {
                throw new InvalidConfigurationException(List.of(problem(name, family.type, family.type.format(value), e)));
            }
            return this;
        }

        private Builder apply(Batch batch) {
            // All or nothing: a source with any problem changes nothing.
            if (!batch.problems.isEmpty()) {
                throw new InvalidConfigurationException(batch.problems);
            }
            batch.parsed.forEach((target, value) -> {
                if (target instanceof Member m) {
                    value.ifPresentOrElse(v -> members.put(m, v), () -> members.remove(m));
                } else {
                    SettingKey<?> s = (SettingKey<?>) target;
                    value.ifPresentOrElse(v -> values.put(s, v), () -> values.remove(s));
                }
            });
            return this;
        }

        /** What one source sets, applied as a whole or, if it has any problem, not at all. */
        private static final class Batch {
            /** By setting or {@link Member}: the value, or empty to unset. */
            final Map<Object, Optional<Object>> parsed = new HashMap<>();
            /** By setting or member: the key that set it, to refuse a second. */
            final Map<Object, String> keys = new HashMap<>();
            final List<String> problems = new ArrayList<>();

            /**
             * Parses the value of {@code name}, a setting's or member's property name or (with
             * {@code env}) environment variable, written {@code shown} in a source described by {@code origin}.
             */
            void read(String origin, String shown, String name, boolean env, String raw) {
                Registry registry = Registry.get();
                Optional<SettingKey<?>> setting = env ? registry.byEnvName(name) : registry.byName(name);
                if (setting.isPresent()) {
                    parse(setting.get(), setting.get().type, setting.get().optional(), origin, shown, raw);
                    return;
                }
                Optional<Member> member;
                try {
                    member = env ? registry.memberByEnvName(name) : registry.memberByName(name);
                } catch (BadName e) {
                    problems.add(origin + ValueType.quote(shown) + ": " + e.getMessage());
                    return;
                }
                if (member.isEmpty()) {
                    problems.add(origin + unknown(shown, name, env ? SettingKey::envName : SettingKey::name));
                } else {
                    SettingFamily<?> family = member.get().family();
                    parse(member.get(), family.type, family.optional(), origin, shown, raw);
                }
            }

            private void parse(Object target, ValueType<?> type, boolean optional, String origin, String shown,
                    String raw) {
                String first = keys.putIfAbsent(target, shown);
                if (first != null) {
                    problems.add(origin + shown + ": set twice, also as " + first + "; keep one");
                    return;
                }
                String text = raw.strip();
                if (text.isEmpty() && optional) {
                    parsed.put(target, Optional.empty());
                    return;
                }
                if (text.isEmpty() && target instanceof SettingKey<?> s && s.required) {
                    problems.add(notSet(s, origin + shown, raw.isEmpty() ? "not set (empty)" : "not set (blank)"));
                    return;
                }
                try {
                    parsed.put(target, Optional.of(type.parse(text)));
                } catch (BadValue e) {
                    problems.add(problem(origin + shown, type, text, e));
                }
            }
        }

        /**
         * The one message for a required setting (the secret) without a value, however it was
         * given: unset, null from {@code System.getenv}, empty or blank. Names every way to set it
         * and how to generate one.
         */
        static String notSet(SettingKey<?> s, String source, String state) {
            return source + ": " + state + ", and there is no default; set the environment variable " + s.envName()
                    + ", " + s.name + " in the properties file, or .set(Settings."
                    + s.name.toUpperCase(Locale.ROOT).replace('-', '_') + ", ...) in code, to at least 32 random bytes ("
                    + Settings.GENERATE_SECRET + ")";
        }

        private static boolean blank(Object value) {
            return value == null
                    || value instanceof Secret secret && secret.reveal().isBlank()
                    || value instanceof String text && text.isBlank();
        }

        /** {@code source: "value" problem}, or {@code source: the value problem} for secrets. */
        private static String problem(String source, ValueType<?> type, String shown, BadValue e) {
            String subject = type.redacted() ? "the value" : "\"" + ValueType.quote(shown) + "\"";
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
