package dev.gatehouse.request;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A way a request proves who sent it. Gatehouse tries them in this order — token, session,
 * basic — limited to the ones a route allows; the first that succeeds wins.
 */
public enum Mechanism {
    /** An API token in a header, query parameter or JSON body field. */
    TOKEN,
    /** The session cookie, or the remember-me cookie that re-creates a session. */
    SESSION,
    /** HTTP Basic credentials, checked on every request. */
    BASIC;

    /** Flask-Security's name: {@code token}, {@code session} or {@code basic}. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses names as used in settings such as {@code api-enabled-methods}. */
    public static Set<Mechanism> fromSettingNames(List<String> names) {
        Set<Mechanism> mechanisms = EnumSet.noneOf(Mechanism.class);
        for (String name : names) {
            mechanisms.add(Mechanism.valueOf(name.toUpperCase(Locale.ROOT)));
        }
        return mechanisms;
    }
}
