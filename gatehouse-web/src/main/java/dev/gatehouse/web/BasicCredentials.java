package dev.gatehouse.web;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.auth.SecondFactors;
import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.user.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic authentication. Verifying a password costs a deliberately slow hash, so a successful
 * check is remembered for a few minutes under a keyed MAC of the header (never the password
 * itself), the way Flask-Security's verify-hash cache works; the entry stops counting as soon as
 * the user's security stamp changes or the user is deactivated. Thread-safe.
 *
 * <p>A user with a second factor (or who must set one up) is never authenticated by Basic, even
 * with the right password: Basic proves one factor on every request and has no second step, and
 * Flask-Security's letting it bypass two-factor would make the second factor optional for anyone
 * holding the password. Such clients sign in through {@code /login} and {@code /tf-validate} and
 * use a token.
 */
final class BasicCredentials {

    private static final Duration REMEMBER_FOR = Duration.ofMinutes(5);
    private static final int MAX_ENTRIES = 10_000;
    private static final int MAX_HEADER_LENGTH = 4096;

    private record Verified(long userId, String securityStamp, Instant until) {
    }

    private final Gatehouse gatehouse;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    /** Who has a second factor: Gatehouse's, or (once the web layer knows its features) the toolkit's. */
    private volatile SecondFactors secondFactors;

    BasicCredentials(Gatehouse gatehouse) {
        this.gatehouse = gatehouse;
        this.secondFactors = gatehouse.secondFactors();
    }

    /** Also counts the second factors features provide (a second-factor passkey): Basic never passes one. */
    void secondFactors(SecondFactors secondFactors) {
        this.secondFactors = secondFactors;
    }

    Optional<Authentication> authenticate(String authorization) {
        if (authorization.length() > MAX_HEADER_LENGTH || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        Instant now = gatehouse.clock().instant();
        String key = gatehouse.tokens().mac("basic-cache", authorization);
        Verified known = verified.get(key);
        if (known != null && now.isBefore(known.until())) {
            Optional<User> user = gatehouse.users().findUserById(known.userId())
                    .filter(User::isActive)
                    .filter(u -> u.securityStamp().equals(known.securityStamp()))
                    .filter(u -> !needsSecondFactor(u));
            if (user.isPresent()) {
                return Optional.of(new Authentication(user.get(), Mechanism.BASIC, now, Optional.empty()));
            }
            verified.remove(key);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        SignInResult result = gatehouse.signIn().signIn(decoded.substring(0, colon), decoded.substring(colon + 1));
        if (!(result instanceof SignInResult.SignedIn signedIn)) {
            return Optional.empty();
        }
        User user = signedIn.user();
        if (needsSecondFactor(user)) {
            return Optional.empty();
        }
        if (verified.size() >= MAX_ENTRIES) {
            verified.entrySet().removeIf(e -> !now.isBefore(e.getValue().until()));
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
        }
        verified.put(key, new Verified(user.id(), user.securityStamp(), now.plus(REMEMBER_FOR)));
        return Optional.of(new Authentication(user, Mechanism.BASIC, now, Optional.empty()));
    }

    private boolean needsSecondFactor(User user) {
        return secondFactors.isEnabledFor(user) || gatehouse.twoFactor().isRequiredFor(user);
    }
}
