package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;

import dev.gatehouse.auth.Lockout;
import dev.gatehouse.auth.SecondFactors;
import dev.gatehouse.auth.SignInFlow;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.Events;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.mail.Links;
import dev.gatehouse.mail.Notification;
import dev.gatehouse.mail.Outbox;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.PasswordPolicy;
import dev.gatehouse.password.PolicyViolation;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.session.Sessions;
import dev.gatehouse.token.Sha256;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What every flow works with; built once by {@link AccountLifecycle}. */
final class Context {

    final GatehouseConfig config;
    final Clock clock;
    final UserStore users;
    final PasswordHasher hasher;
    final PasswordPolicy policy;
    final TokenSigner tokens;
    final Outbox outbox;
    final Links links;
    final RateLimiter limits;
    final Lockout lockout;
    final SignInFlow signIn;
    final CounterStore counters;
    final Sessions sessions;
    final Events events;
    final SecondFactors secondFactors;

    Context(AccountLifecycle.Builder b) {
        this.config = b.config;
        this.clock = b.clock;
        this.users = b.users;
        this.hasher = b.hasher;
        this.policy = b.policy;
        this.tokens = b.tokens;
        this.outbox = b.outbox;
        this.links = Links.of(b.config);
        this.limits = b.limits;
        this.lockout = b.lockout;
        this.signIn = b.signIn;
        this.counters = b.counters;
        this.sessions = b.sessions;
        this.events = b.events;
        this.secondFactors = b.secondFactors;
    }

    boolean generic() {
        return config.get(RETURN_GENERIC_RESPONSES);
    }

    static void require(boolean enabled, String setting) {
        if (!enabled) {
            throw new FeatureDisabledException(setting);
        }
    }

    /** Queues an email to {@code to}, in the language of {@code user} or the client. */
    void mail(String template, String to, Optional<User> user, ClientInfo client, Map<String, String> model) {
        outbox.enqueue(new Notification(template, to, Notification.localeFor(user, client), model));
    }

    void publish(AccountEvent event) {
        events.publish(event);
    }

    /**
     * A 128-bit MAC of {@code parts}: what a token carries to bind itself to state that must not
     * have changed when it comes back (a password hash, a security stamp, an email address). Keyed,
     * so the token reveals nothing about the state, and cheap to recompute.
     */
    String binding(String purpose, String... parts) {
        return tokens.mac("binding", purpose + "\n" + String.join("\n", parts)).substring(0, 22);
    }

    /** Constant-time comparison of two bindings or MACs. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Marks {@code token} used for {@code purpose}; {@code true} for the first caller only, however
     * many race. The marker outlives the token's validity, so a token never works twice.
     */
    boolean useOnce(String purpose, String token, Duration validity) {
        String key = "once:" + purpose + ":" + Sha256.base64Url(token, 32);
        return counters.increment(key, validity.plus(TokenSigner.CLOCK_SKEW), clock.instant()).hits() == 1;
    }

    /**
     * Checks a new password: given, retyped alike (when retyped), and within the policy, which is
     * told the user's own words ({@code userInputs}: email address, username, profile fields).
     */
    void checkNewPassword(String password, Optional<String> retyped, String field, String retypeField,
            List<String> userInputs) {
        if (password == null || password.isEmpty()) {
            throw new InvalidInputException(field, "PASSWORD_NOT_PROVIDED", "Password not provided");
        }
        if (retyped.isPresent() && !retyped.get().equals(password)) {
            throw new InvalidInputException(retypeField, "RETYPE_PASSWORD_MISMATCH", "Passwords do not match");
        }
        List<PolicyViolation> violations = policy.check(password, userInputs);
        if (!violations.isEmpty()) {
            throw violations.get(0).toException(field);
        }
    }

    /** What a user's context knows about them, for {@link #checkNewPassword}. */
    static List<String> userInputs(User user) {
        List<String> inputs = new ArrayList<>();
        inputs.add(user.email());
        user.username().ifPresent(inputs::add);
        inputs.addAll(user.attributes().values());
        return inputs;
    }
}
