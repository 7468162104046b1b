package dev.gatehouse.config;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A secret configuration value (signing key, password salt, SMTP password) that never shows up
 * in {@link #toString()}, so logging a configuration or a setting by mistake does not leak it.
 *
 * <p>Read it with {@link #reveal()} or {@link #bytes()} only where it is used. Immutable and
 * thread-safe. Deliberately without value-based {@code equals}: secrets are compared by the code
 * that uses them, in constant time.
 */
public final class Secret {

    private final String value;

    Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /**
     * A secret holding {@code value}, e.g. for {@code builder.set(Settings.SECRET, Secret.of(key))}.
     *
     * @throws InvalidConfigurationException if {@code value} is null, as {@code System.getenv} gives for
     *                                       an unset variable: the message says how to set the secret
     */
    public static Secret of(String value) {
        if (value == null) {
            // Which setting is not known here; the secret is the one usually read from the environment.
            throw new InvalidConfigurationException(List.of(GatehouseConfig.Builder.notSet(Settings.SECRET,
                    "Secret.of(null)", "no value (an unset environment variable?)")));
        }
        return new Secret(value);
    }

    /** The secret as configured. */
    public String reveal() {
        return value;
    }

    /** The secret's key material: the UTF-8 bytes of the configured string, in a fresh array. */
    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Always {@code <redacted>}. */
    @Override
    public String toString() {
        return "<redacted>";
    }
}
