package dev.gatehouse.session;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.user.StoreLimits;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A small named value attached to one sign-in — a session family ({@link SessionRecord#familyId()})
 * — such as the tokens an identity provider issued with it. It lives until its own
 * {@link #expiresAt()} or until the sign-in ends, whichever comes first: ending a family or all of
 * a user's sessions through Gatehouse deletes the family's data too.
 *
 * <p>Stores keep the value as opaque text, in plain sight of whoever reads their backend (a
 * database table, a Redis key): a caller storing anything secret seals it first
 * ({@link dev.gatehouse.token.ValueSealer}, bound to the family and the name as context).
 *
 * <p>The constructor checks every value against what all {@link SessionDataStore}s can keep:
 * <ul>
 *   <li>{@code familyId}: {@link SessionRecord#isWellFormedFamilyId};</li>
 *   <li>{@code name}: 1–{@value #MAX_NAME_LENGTH} characters of {@code [a-z0-9._:-]}, e.g.
 *       {@code oidc:tokens};</li>
 *   <li>{@code value}: at most {@value #MAX_VALUE_LENGTH} printable ASCII characters (U+0020–U+007E),
 *       as sealed text is; sealed ID, access and refresh tokens together take some 4–8 KiB;</li>
 *   <li>{@code expiresAt}: cut to microseconds, within {@link StoreLimits#MIN_INSTANT}..{@link StoreLimits#MAX_INSTANT}.</li>
 * </ul>
 * A value that breaks them throws {@link InvalidInputException} with field {@code value} and code
 * {@code SESSION_DATA_TOO_LARGE} or {@code SESSION_DATA_NOT_ASCII} (it may come from a provider's
 * tokens); anything else throws {@link IllegalArgumentException}: names and family ids come from
 * code, so one means a programming error. Messages never quote the value.
 *
 * @param familyId  the sign-in it belongs to
 * @param name      what it is, unique within the family
 * @param userId    the user signed in (so that ending all of a user's sessions finds it)
 * @param value     opaque text, sealed by the caller when secret
 * @param expiresAt when it may be deleted regardless of the sign-in
 */
public record SessionData(String familyId, String name, long userId, String value, Instant expiresAt) {

    /** Longest {@link #name()}. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Longest {@link #value()}: 16 KiB. */
    public static final int MAX_VALUE_LENGTH = 16 * 1024;

    public SessionData {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!SessionRecord.isWellFormedFamilyId(familyId)) {
            throw new IllegalArgumentException("familyId must be 1-64 characters of A-Z, a-z, 0-9, - and _");
        }
        if (!isWellFormedName(name)) {
            throw new IllegalArgumentException("name must be 1-" + MAX_NAME_LENGTH + " characters of a-z, 0-9, ., _, : and -");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new InvalidInputException("value", "SESSION_DATA_TOO_LARGE",
                    "session data holds at most " + MAX_VALUE_LENGTH + " characters, not " + value.length());
        }
        if (!value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw new InvalidInputException("value", "SESSION_DATA_NOT_ASCII",
                    "session data is printable ASCII (seal or encode other text)");
        }
        Instant kept = expiresAt.truncatedTo(ChronoUnit.MICROS);
        if (kept.isBefore(StoreLimits.MIN_INSTANT) || kept.isAfter(StoreLimits.MAX_INSTANT)) {
            throw new IllegalArgumentException("expiresAt must lie between " + StoreLimits.MIN_INSTANT + " and "
                    + StoreLimits.MAX_INSTANT);
        }
        expiresAt = kept;
    }

    /** Whether it may be deleted at {@code now}: {@code expiresAt <= now}. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * Whether {@code name} could be a {@link #name()}. Stores answer lookups of anything else with
     * "not found" without asking their backend.
     */
    public static boolean isWellFormedName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        // The value is sealed, but there is no reason to print it either.
        return "SessionData[" + name + ", user=" + userId + ", family=" + familyId.substring(0, Math.min(6, familyId.length()))
                + "…, " + value.length() + " chars, expires=" + expiresAt + "]";
    }
}
