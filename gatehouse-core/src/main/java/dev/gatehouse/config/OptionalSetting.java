package dev.gatehouse.config;

import java.util.List;

/**
 * A setting that may be unset, e.g. {@code unauthorized-view}: {@link GatehouseConfig#get(OptionalSetting)}
 * returns an {@link java.util.Optional}, so no caller ever sees {@code null}. An empty value in a
 * properties file or the environment unsets it.
 *
 * @param <T> the Java type of the value when set
 */
public final class OptionalSetting<T> extends SettingKey<T> {

    private OptionalSetting(String name, ValueType<T> type, List<String> flaskNames, String description) {
        super(name, type, null, false, flaskNames, description);
    }

    /**
     * An optional setting, unset by default, for a module's {@link SettingGroup}.
     *
     * @param name        kebab-case, unique among all settings
     * @param type        how values are parsed and checked
     * @param description one sentence for the documentation, saying what unset means
     */
    public static <T> OptionalSetting<T> define(String name, ValueType<T> type, String description) {
        return of(name, type, List.of(), description);
    }

    static <T> OptionalSetting<T> of(String name, ValueType<T> type, List<String> flaskNames, String description) {
        return new OptionalSetting<>(name, type, flaskNames, description);
    }
}
