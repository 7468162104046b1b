package dev.gatehouse.user;

/**
 * What a passkey may be used for, as Flask-Security's {@code WAN_ALLOW_AS_*} usages: signing in
 * on its own ({@code first}) or as a second factor after a password ({@code secondary}).
 */
public enum PasskeyUsage {
    /** Signs in without a password (a discoverable credential, usually). */
    FIRST,
    /** Confirms a sign-in begun with another factor. */
    SECONDARY;

    /** Flask-Security's name for the usage: {@code first} or {@code secondary}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The usage named {@code code} ({@link #code()}), if any. */
    public static java.util.Optional<PasskeyUsage> fromCode(String code) {
        for (PasskeyUsage usage : values()) {
            if (usage.code().equals(code)) {
                return java.util.Optional.of(usage);
            }
        }
        return java.util.Optional.empty();
    }
}
