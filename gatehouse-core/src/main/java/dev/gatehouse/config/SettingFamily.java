package dev.gatehouse.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A setting repeated for ids the operator chooses, named {@code <prefix>.<id>.<suffix>}: the family
 * {@code oidc.<id>.issuer} holds {@code oidc.keycloak.issuer} and {@code oidc.entra.issuer}, set in a
 * properties file (also with the {@code gatehouse.} prefix), as the environment variables
 * {@code GATEHOUSE_OIDC_KEYCLOAK_ISSUER} and {@code GATEHOUSE_OIDC_ENTRA_ISSUER}, or in code with
 * {@link GatehouseConfig.Builder#set(SettingFamily, String, Object)}. Read a value with
 * {@link GatehouseConfig#get(SettingFamily, String)} and the ids configured under a prefix with
 * {@link GatehouseConfig#ids(String)}. A module contributes its families through
 * {@link SettingGroup#families()}; values parse, validate, redact and document exactly like
 * ordinary settings of the same {@link ValueType}.
 *
 * <p>Ids are 1–32 characters: lower-case letters, digits and {@code -}, starting with a letter
 * ({@link #isValidId}). In environment variables they are written in upper case with {@code _}
 * for {@code -}: {@code my-idp} is {@code GATEHOUSE_OIDC_MY_IDP_ISSUER}. Because {@code _} also
 * separates the id from the suffix, a variable is read with the <em>longest</em> suffix of its
 * prefix that it ends with: when a prefix has both {@code secret} and {@code client-secret},
 * {@code GATEHOUSE_OIDC_MY_CLIENT_SECRET} is {@code oidc.my.client-secret}, never
 * {@code oidc.my-client.secret} (set that one in a properties file or in code).
 *
 * <p>Immutable and thread-safe; compared by identity, like {@link SettingKey}.
 *
 * @param <T> the Java type of each value
 */
public final class SettingFamily<T> {

    private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    /** An id as written in an environment variable name: upper case, {@code _} for {@code -}. */
    static final Pattern ENV_ID = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    final String prefix;
    final String suffix;
    final ValueType<T> type;
    final T defaultValue;
    final String description;

    private SettingFamily(String prefix, String suffix, ValueType<T> type, T defaultValue, String description) {
        for (String part : new String[] {Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(suffix, "suffix")}) {
            if (!KEBAB.matcher(part).matches()) {
                throw new IllegalArgumentException("setting family prefixes and suffixes are kebab-case: " + part);
            }
        }
        if (prefix.equals("gatehouse")) {
            // gatehouse.x.y would be read as the prefixed property x.y.
            throw new IllegalArgumentException("gatehouse is not a setting family prefix: it prefixes property names");
        }
        this.prefix = prefix;
        this.suffix = suffix;
        this.type = Objects.requireNonNull(type, "type");
        this.description = Objects.requireNonNull(description, "description");
        if (defaultValue != null) {
            try {
                defaultValue = type.normalize(defaultValue);
            } catch (BadValue e) {
                throw new IllegalArgumentException(namePattern() + ": the default " + e.getMessage());
            }
        }
        this.defaultValue = defaultValue;
    }

    /**
     * A family without default: {@link GatehouseConfig#get(SettingFamily, String)} is empty for an id
     * that does not set it, and an empty value in a file or the environment unsets it.
     *
     * @param prefix      the kebab-case first part, shared by the module's families, e.g. {@code oidc}
     * @param suffix      the kebab-case last part, e.g. {@code client-id}
     * @param type        how values are parsed and checked
     * @param description one sentence for the documentation, saying what unset means
     */
    public static <T> SettingFamily<T> define(String prefix, String suffix, ValueType<T> type, String description) {
        return new SettingFamily<>(prefix, suffix, type, null, description);
    }

    /**
     * A family whose value is {@code defaultValue} for every id that does not set it.
     *
     * @param prefix       the kebab-case first part, shared by the module's families, e.g. {@code oidc}
     * @param suffix       the kebab-case last part, e.g. {@code scopes}
     * @param type         how values are parsed and checked
     * @param defaultValue the value for ids that do not set one; never {@code null}, valid for {@code type}
     * @param description  one sentence for the documentation
     */
    public static <T> SettingFamily<T> define(String prefix, String suffix, ValueType<T> type, T defaultValue,
            String description) {
        return new SettingFamily<>(prefix, suffix, type, Objects.requireNonNull(defaultValue, "defaultValue"),
                description);
    }

    /** Whether {@code id} may name a member: 1–32 lower-case letters, digits and {@code -}, starting with a letter. */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The first part of the names, e.g. {@code oidc}. */
    public String prefix() {
        return prefix;
    }

    /** The last part of the names, e.g. {@code client-id}. */
    public String suffix() {
        return suffix;
    }

    /**
     * The property name for {@code id}, e.g. {@code oidc.keycloak.client-id}.
     *
     * @throws IllegalArgumentException if {@code id} is not {@linkplain #isValidId valid}
     */
    public String name(String id) {
        return prefix + "." + checkId(id) + "." + suffix;
    }

    /**
     * The environment variable for {@code id}, e.g. {@code GATEHOUSE_OIDC_KEYCLOAK_CLIENT_ID}.
     *
     * @throws IllegalArgumentException if {@code id} is not {@linkplain #isValidId valid}
     */
    public String envName(String id) {
        return envPrefix() + envForm(checkId(id)) + "_" + envSuffix();
    }

    /** The value of ids that do not set one; empty when the family has no default. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The one-sentence description shown in the documentation. */
    public String description() {
        return description;
    }

    /** The name pattern, e.g. {@code oidc.<id>.issuer}. */
    @Override
    public String toString() {
        return namePattern();
    }

    // -------------------------------------------------------------- internals

    String namePattern() {
        return prefix + ".<id>." + suffix;
    }

    String envPattern() {
        return envPrefix() + "<ID>_" + envSuffix();
    }

    /** {@code GATEHOUSE_OIDC_}: what every variable of the prefix starts with. */
    String envPrefix() {
        return GatehouseConfig.ENV_PREFIX + envForm(prefix) + "_";
    }

    /** {@code CLIENT_ID}. */
    String envSuffix() {
        return envForm(suffix);
    }

    static String envForm(String kebab) {
        return kebab.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The id an environment variable spells {@code MY_IDP}: {@code my-idp}. */
    static String idFromEnv(String envId) {
        return envId.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String checkId(String id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("not a valid setting id (1-32 lower-case letters, digits and -, "
                    + "starting with a letter): " + (id == null ? null : "\"" + ValueType.quote(id) + "\""));
        }
        return id;
    }

    final boolean optional() {
        return defaultValue == null;
    }

    @SuppressWarnings("unchecked")
    final T cast(Object value) {
        return (T) value;
    }

    final String formatValue(Object value) {
        return type.format(cast(value));
    }
}
