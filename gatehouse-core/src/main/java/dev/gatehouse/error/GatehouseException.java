package dev.gatehouse.error;

import java.util.Objects;

/**
 * Root of every exception Gatehouse throws on purpose.
 *
 * <p>Each exception carries a stable, upper-case {@linkplain #code() code} (for example
 * {@code DUPLICATE_USER}) that callers and the web layer can switch on without parsing messages.
 * Messages never contain secrets: no passwords, hashes, tokens or keys.
 */
public class GatehouseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    public GatehouseException(String code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public GatehouseException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** A stable machine-readable identifier of the failure, e.g. {@code DUPLICATE_USER}. */
    public String code() {
        return code;
    }
}
