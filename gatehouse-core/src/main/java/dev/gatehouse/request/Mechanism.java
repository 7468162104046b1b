package dev.gatehouse.request;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The name of a way a request proves who sent it: the built-in {@link #TOKEN}, {@link #SESSION}
 * and {@link #BASIC}, or one a module adds ({@code bearer-jwt}, say). Only a name: what checks a
 * request is the web layer's mechanism registered under it, which also decides the order in which
 * they are tried (token, session, basic by default). Compared by name; immutable.
 */
public final class Mechanism {

    /** Lower-case letters, digits and hyphens, as in settings such as {@code api-enabled-methods}. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    /** An API token in a header, query parameter or JSON body field. */
    public static final Mechanism TOKEN = new Mechanism("token");
    /** The session cookie, or the remember-me cookie that re-creates a session. */
    public static final Mechanism SESSION = new Mechanism("session");
    /** HTTP Basic credentials, checked on every request. */
    public static final Mechanism BASIC = new Mechanism("basic");

    private final String name;

    private Mechanism(String name) {
        this.name = name;
    }

    /**
     * The mechanism of this name, matched case-insensitively: the built-in constant for
     * {@code token}, {@code session} and {@code basic}.
     *
     * @throws IllegalArgumentException unless the name is 1-32 letters, digits and hyphens, starting with a letter
     */
    public static Mechanism of(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "token" -> TOKEN;
            case "session" -> SESSION;
            case "basic" -> BASIC;
            default -> {
                if (!NAME.matcher(lower).matches()) {
                    throw new IllegalArgumentException("a mechanism name is 1-32 letters, digits and hyphens,"
                            + " starting with a letter, not \"" + name + "\"");
                }
                yield new Mechanism(lower);
            }
        };
    }

    /** The name used in settings and logs: {@code token}, {@code session}, {@code basic}, ... */
    public String settingName() {
        return name;
    }

    /** Parses names as used in settings such as {@code api-enabled-methods}, keeping their order. */
    public static Set<Mechanism> fromSettingNames(List<String> names) {
        Set<Mechanism> mechanisms = new LinkedHashSet<>();
        for (String name : names) {
            mechanisms.add(of(name));
        }
        return mechanisms;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Mechanism mechanism && mechanism.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** The upper-case name, as the enum this replaced printed it: {@code TOKEN}. */
    @Override
    public String toString() {
        return name.toUpperCase(Locale.ROOT);
    }
}
