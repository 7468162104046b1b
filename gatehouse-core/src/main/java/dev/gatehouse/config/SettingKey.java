package dev.gatehouse.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed key of {@link GatehouseConfig}: one setting's name, type, default and description, from
 * which properties and environment parsing, validation messages and {@code docs/configuration.md}
 * all derive. There are two kinds, so that reading a setting never yields {@code null}:
 * <ul>
 *   <li>{@link Setting} always has a value (its default, or the required {@code secret}):
 *       {@link GatehouseConfig#get(Setting)} returns it as is;</li>
 *   <li>{@link OptionalSetting} may be unset (e.g. {@code unauthorized-view}):
 *       {@link GatehouseConfig#get(OptionalSetting)} returns an {@link Optional}.</li>
 * </ul>
 * Gatehouse's own keys are the constants of {@link Settings}; other modules define theirs with
 * {@link Setting#define} and {@link OptionalSetting#define} and contribute them through a
 * {@link SettingGroup}.
 *
 * @param <T> the Java type of the value
 */
public abstract sealed class SettingKey<T> permits Setting, OptionalSetting {

    final String name;
    final ValueType<T> type;
    final T defaultValue;
    final boolean required;
    final String description;
    final List<String> flaskNames;

    SettingKey(String name, ValueType<T> type, T defaultValue, boolean required, List<String> flaskNames,
            String description) {
        if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("setting names are kebab-case: " + name);
        }
        if (required && defaultValue != null) {
            throw new IllegalArgumentException(name + ": a required setting has no default");
        }
        this.name = name;
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.required = required;
        this.flaskNames = List.copyOf(flaskNames);
        this.description = Objects.requireNonNull(description, "description");
    }

    /** The kebab-case name used in properties files, e.g. {@code token-max-age}. */
    public final String name() {
        return name;
    }

    /** The environment variable, e.g. {@code GATEHOUSE_TOKEN_MAX_AGE} for {@code token-max-age}. */
    public final String envName() {
        return GatehouseConfig.ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The one-sentence description shown in the documentation. */
    public final String description() {
        return description;
    }

    /** The default; empty for the required secret and for optional settings. */
    final Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** Unset is a legal state: no default, not required. */
    final boolean optional() {
        return this instanceof OptionalSetting;
    }

    @SuppressWarnings("unchecked")
    final T cast(Object value) {
        return (T) value;
    }

    final String formatValue(Object value) {
        return type.format(cast(value));
    }

    /** The name. */
    @Override
    public final String toString() {
        return name;
    }
}
