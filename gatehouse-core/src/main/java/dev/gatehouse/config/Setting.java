package dev.gatehouse.config;

import java.util.List;
import java.util.Objects;

/**
 * A setting that always has a value: {@link GatehouseConfig#get(Setting)} returns its configured
 * value or its default. Gatehouse's own settings are the constants of {@link Settings}.
 *
 * @param <T> the Java type of the value
 */
public final class Setting<T> extends SettingKey<T> {

    private Setting(String name, ValueType<T> type, T defaultValue, boolean required, List<String> flaskNames,
            String description) {
        super(name, type, defaultValue, required, flaskNames, description);
    }

    /**
     * A setting with a default, for a module's {@link SettingGroup}.
     *
     * @param name         kebab-case, unique among all settings
     * @param type         how values are parsed and checked, e.g. {@link ValueType#urlPath()}
     * @param defaultValue the value when nothing sets it; never {@code null}
     * @param description  one sentence for the documentation
     */
    public static <T> Setting<T> define(String name, ValueType<T> type, T defaultValue, String description) {
        return of(name, type, Objects.requireNonNull(defaultValue, "defaultValue"), List.of(), description);
    }

    static <T> Setting<T> of(String name, ValueType<T> type, T defaultValue, List<String> flaskNames,
            String description) {
        return new Setting<>(name, type, Objects.requireNonNull(defaultValue, name), false, flaskNames, description);
    }

    /** A setting without default that {@link GatehouseConfig.Builder#build()} insists on. */
    static <T> Setting<T> required(String name, ValueType<T> type, List<String> flaskNames, String description) {
        return new Setting<>(name, type, null, true, flaskNames, description);
    }
}
