package dev.gatehouse.user;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An account at an external identity provider (an OpenID Connect issuer) linked to a local user.
 *
 * <p>It is identified by {@code (issuer, subject)}, compared exactly (case and every character
 * count), never by email: an OpenID Connect {@code sub} is unique and never reassigned only within
 * its issuer (ASVS 6.8). The email is what the provider asserted when the identity was linked, kept
 * for display; it proves nothing and is never used to find the identity.
 *
 * <p>The constructor checks every value against what all {@link ExternalIdentityStore}s can keep,
 * so an identity one store accepts, every store accepts and returns unchanged. Issuer and subject
 * come from providers' tokens, so a violation throws {@link InvalidInputException} naming the
 * field ({@code issuer}, {@code subject}, {@code provider}, {@code email}, {@code linked_at},
 * {@code last_sign_in_at}):
 * <ul>
 *   <li>{@code issuer} and {@code subject}: 1–{@value #MAX_KEY_LENGTH} characters (OpenID Connect
 *       caps {@code sub} at 255), no control characters or broken surrogate pairs, no whitespace at
 *       either end ({@link #isWellFormedKey});</li>
 *   <li>{@code provider}: the configured provider id, 1–{@value #MAX_PROVIDER_LENGTH} characters of
 *       {@code [a-z0-9-]} starting with a letter; it names the provider for display, the key is the issuer;</li>
 *   <li>{@code email}: 1–{@value Identifiers#MAX_EMAIL_LENGTH} characters without control characters;</li>
 *   <li>instants: cut to microseconds and within {@link StoreLimits#MIN_INSTANT}..{@link StoreLimits#MAX_INSTANT}.</li>
 * </ul>
 *
 * @param userId       the local user it is linked to
 * @param provider     the configured provider id, e.g. {@code keycloak}
 * @param issuer       the provider's issuer identifier ({@code iss})
 * @param subject      the user's identifier at that issuer ({@code sub})
 * @param email        the address the provider asserted, informational only
 * @param linkedAt     when it was linked
 * @param lastSignInAt when the user last signed in with it
 */
public record ExternalIdentity(
        long userId,
        String provider,
        String issuer,
        String subject,
        Optional<String> email,
        Instant linkedAt,
        Optional<Instant> lastSignInAt) {

    /** Longest {@link #issuer()} and {@link #subject()}. */
    public static final int MAX_KEY_LENGTH = 255;
    /** Longest {@link #provider()}. */
    public static final int MAX_PROVIDER_LENGTH = 32;

    private static final Pattern PROVIDER = Pattern.compile("[a-z][a-z0-9-]{0," + (MAX_PROVIDER_LENGTH - 1) + "}");

    public ExternalIdentity {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(linkedAt, "linkedAt");
        Objects.requireNonNull(lastSignInAt, "lastSignInAt");
        if (!PROVIDER.matcher(provider).matches()) {
            throw new InvalidInputException("provider", "INVALID_PROVIDER_ID",
                    "a provider id has 1-" + MAX_PROVIDER_LENGTH + " characters of a-z, 0-9 and -, starting with a letter");
        }
        if (!isWellFormedKeyPart(issuer)) {
            throw new InvalidInputException("issuer", "INVALID_ISSUER", "an issuer has 1-" + MAX_KEY_LENGTH
                    + " characters, no control characters and no whitespace at either end");
        }
        if (!isWellFormedKeyPart(subject)) {
            throw new InvalidInputException("subject", "INVALID_SUBJECT", "a subject has 1-" + MAX_KEY_LENGTH
                    + " characters, no control characters and no whitespace at either end");
        }
        email.ifPresent(value -> {
            if (value.isEmpty() || value.length() > Identifiers.MAX_EMAIL_LENGTH || !isStorable(value)) {
                throw new InvalidInputException("email", "INVALID_EMAIL_ADDRESS", "an asserted email has 1-"
                        + Identifiers.MAX_EMAIL_LENGTH + " characters and no control characters");
            }
        });
        linkedAt = StoreLimits.instant("linked_at", linkedAt);
        lastSignInAt = lastSignInAt.map(at -> StoreLimits.instant("last_sign_in_at", at));
    }

    /** A newly linked identity: never signed in with yet. */
    public static ExternalIdentity linked(long userId, String provider, String issuer, String subject,
            Optional<String> email, Instant linkedAt) {
        return new ExternalIdentity(userId, provider, issuer, subject, email, linkedAt, Optional.empty());
    }

    /** This identity, last signed in with at {@code at}. */
    public ExternalIdentity signedInAt(Instant at) {
        return new ExternalIdentity(userId, provider, issuer, subject, email, linkedAt, Optional.of(at));
    }

    /**
     * Whether {@code (issuer, subject)} could be an identity's key. Stores answer lookups of
     * anything else with "not found" without asking their backend; this also keeps databases
     * whose collations ignore trailing spaces from matching {@code "abc "} to {@code "abc"}.
     */
    public static boolean isWellFormedKey(String issuer, String subject) {
        return isWellFormedKeyPart(issuer) && isWellFormedKeyPart(subject);
    }

    private static boolean isWellFormedKeyPart(String value) {
        return !value.isEmpty() && value.length() <= MAX_KEY_LENGTH && isStorable(value)
                && !Character.isWhitespace(value.charAt(0)) && !Character.isWhitespace(value.charAt(value.length() - 1));
    }

    private static boolean isStorable(String value) {
        return Identifiers.isWellFormed(value) && value.chars().noneMatch(Character::isISOControl);
    }
}
