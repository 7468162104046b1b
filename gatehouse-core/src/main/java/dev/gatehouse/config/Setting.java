package dev.gatehouse.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the settings registry ({@link Settings}): everything Gatehouse knows about a
 * setting, from which parsing, validation, messages and the documentation all derive.
 *
 * @param <T> the Java type of the value
 */
final class Setting<T> {

    /** Groups settings in the documentation. */
    enum Section {
        SECRETS("Secrets"),
        PASSWORDS("Passwords"),
        FEATURES("Features"),
        TOKENS("Tokens and emailed links"),
        SESSIONS("Sessions, cookies and requests"),
        LOCKOUT("Account lockout"),
        RATE_LIMITS("Rate limits"),
        URLS("URLs and views"),
        PAGES("Pages, texts and languages"),
        MAIL("Email"),
        STORAGE("Storage");

        final String title;

        Section(String title) {
            this.title = title;
        }
    }

    final String name;
    final Section section;
    final ValueType<T> type;
    private final T defaultValue;
    final boolean required;
    final String description;
    final List<String> flaskNames;

    Setting(Section section, String name, ValueType<T> type, T defaultValue, boolean required,
            List<String> flaskNames, String description) {
        if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("setting names are kebab-case: " + name);
        }
        if (required && defaultValue != null) {
            throw new IllegalArgumentException(name + ": a required setting has no default");
        }
        this.section = section;
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.required = required;
        this.flaskNames = List.copyOf(flaskNames);
        this.description = Objects.requireNonNull(description);
    }

    /** The default; empty for the required secret and for optional settings that are unset by default. */
    Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** Unset is a legal state: no default, not required (e.g. {@code unauthorized-view}). */
    boolean optional() {
        return defaultValue == null && !required;
    }

    /** {@code GATEHOUSE_TOKEN_MAX_AGE} for {@code token-max-age}. */
    String envName() {
        return GatehouseConfig.ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** {@code tokenMaxAge} for {@code token-max-age}: the getter and builder method. */
    String methodName() {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    T cast(Object value) {
        return (T) value;
    }

    String formatValue(Object value) {
        return type.format(cast(value));
    }

    @Override
    public String toString() {
        return name;
    }
}
