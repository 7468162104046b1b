package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.LOGIN_CODE_WITHIN;
import static dev.gatehouse.config.Settings.LOGIN_WITHIN;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static dev.gatehouse.config.Settings.US_VERIFY_LINK_URL;

import dev.gatehouse.auth.Lockout;
import dev.gatehouse.auth.SignInResult.Reason;
import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.limit.LimitedAction;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.mail.Notification;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.token.Sha256;
import dev.gatehouse.token.TokenCheck;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserPatch;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Passwordless sign-in by email (Flask-Security's unified sign-in with the email method,
 * django-allauth's login by code): {@link #sendCode} emails a six-digit code and a link; the user
 * types the code ({@link #verifyCode}) or follows the link ({@link #verifyLink}).
 *
 * <h2>The code</h2>
 * <ul>
 *   <li>Six digits from {@link SecureRandom}, valid for {@code login-code-within} (at most 10
 *       minutes), at most {@value #MAX_ATTEMPTS} attempts, once.</li>
 *   <li>Bound to the request that asked for it: {@link #sendCode} returns a {@code challenge} — a
 *       signed token holding the address, a 256-bit random id and a keyed MAC of the code — that
 *       the client must present with the code. A code is useless without its challenge, and the
 *       challenge proves nothing without the code. Neither the code nor its MAC is stored; the
 *       attempt count and the used-marker are counters keyed by the challenge id's digest.</li>
 *   <li>With generic responses, an unknown address also gets a challenge (for a code that is never
 *       sent and never accepted), so both cases look and work alike.</li>
 *   <li>Wrong codes count as failed sign-ins ({@code rate-limit-login-failed}).</li>
 * </ul>
 *
 * <h2>The link</h2>
 * A token (purpose {@code login-link}, valid {@code login-within}) naming the user, bound to the
 * address, and sharing the challenge id: following it uses up the code too, and the other way
 * round.
 *
 * <p>A successful sign-in proves the mailbox, so it confirms an unconfirmed address (as allauth
 * does). Locked and deactivated accounts are refused as with a password. The result is a
 * {@link SignInResult}; the web layer then starts the session as after a password sign-in.
 * Events: {@link AccountEvent.LoginInstructionsSent}, {@link AccountEvent.AuthenticationFailed},
 * {@link AccountEvent.UserConfirmed}. Thread-safe.
 */
public final class PasswordlessFlow {

    /** Attempts one code allows. */
    public static final int MAX_ATTEMPTS = 3;
    /** Digits of a code. */
    public static final int CODE_DIGITS = 6;

    static final String CHALLENGE_PURPOSE = "login-code";
    static final String LINK_PURPOSE = "login-link";
    private static final Pattern CODE = Pattern.compile("\\d{" + CODE_DIGITS + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Context c;

    PasswordlessFlow(Context context) {
        this.c = context;
    }

    /**
     * Emails a sign-in code and link to {@code email}.
     *
     * @return the challenge to present with the code
     * @throws InvalidInputException field {@code email}: a malformed address; without generic
     *         responses also {@code USER_DOES_NOT_EXIST}
     * @throws FeatureDisabledException if {@code unified-signin} is off
     */
    public LoginCodeResult sendCode(String email, ClientInfo client) {
        Context.require(c.config.get(UNIFIED_SIGNIN), "unified-signin");
        AddressRequest request = AddressRequest.start(c, LimitedAction.LOGIN_CODE, email, client);
        if (request instanceof AddressRequest.Limited limited) {
            return limited.refusal();
        }
        AddressRequest.Allowed to = (AddressRequest.Allowed) request;
        String address = to.address();
        Optional<User> user = to.user();
        String id = OneTimeSecret.generate().value();
        String code = String.format(Locale.ROOT, "%0" + CODE_DIGITS + "d", RANDOM.nextInt(1_000_000));
        String challenge = c.tokens.sign(CHALLENGE_PURPOSE,
                TokenPayload.join(Identifiers.emailKey(address), id, codeMac(id, code)));
        if (user.isPresent()) {
            User u = user.get();
            String linkToken = c.tokens.sign(LINK_PURPOSE, TokenPayload.join(u.id(), id, binding(u)));
            Map<String, String> model = new LinkedHashMap<>();
            model.put("email", u.email());
            model.put("code", code);
            model.put("login_link", c.links.withToken(c.config.get(US_VERIFY_LINK_URL), linkToken));
            model.put("within", Notification.durationValue(c.config.get(LOGIN_CODE_WITHIN)));
            c.mail(MailTemplates.LOGIN_INSTRUCTIONS, u.email(), user, client, model);
            c.publish(new AccountEvent.LoginInstructionsSent(EventContext.of(c.clock.instant(), u.id(), client)));
        } else {
            UnknownAccounts.notify(c, address, "login", Optional.of(LINK_PURPOSE), 2, client);
        }
        return new LoginCodeResult.CodeSent(challenge);
    }

    /**
     * Signs in with the emailed code, presented with the challenge its request returned.
     *
     * @return {@link SignInResult.SignedIn}, or {@link SignInResult.InvalidCredentials} with
     *         {@link Reason#INVALID_CODE} for a wrong, expired, used or foreign code or challenge
     *         (all alike), or {@link SignInResult.RateLimited}, {@link SignInResult.LockedOut},
     *         {@link SignInResult.Disabled}
     */
    public SignInResult verifyCode(String challenge, String code, ClientInfo client) {
        Context.require(c.config.get(UNIFIED_SIGNIN), "unified-signin");
        TokenCheck check = c.tokens.verify(CHALLENGE_PURPOSE, challenge, c.config.get(LOGIN_CODE_WITHIN));
        Optional<List<String>> fields = check.validPayload().flatMap(p -> TokenPayload.fields(p, 3));
        // Known only from a genuine challenge; a forged one is limited by address alone.
        Optional<String> key = fields.map(f -> "email:" + f.get(0));
        Optional<Duration> wait = c.limits.check(LimitedAction.LOGIN_FAILED, client, key);
        if (wait.isPresent()) {
            failed(Optional.empty(), client, "RATE_LIMITED");
            return new SignInResult.RateLimited(wait.get());
        }
        if (fields.isEmpty()) {
            return wrongCode(Optional.empty(), client, key);
        }
        String emailKey = fields.get().get(0);
        String id = fields.get().get(1);
        String attemptsKey = "code-attempts:" + Sha256.base64Url(id, 32);
        long attempt = c.counters.increment(attemptsKey, c.config.get(LOGIN_CODE_WITHIN).plusMinutes(1), c.clock.instant()).hits();
        String typed = code == null ? "" : code.replace(" ", "").replace("-", "");
        if (attempt > MAX_ATTEMPTS || !CODE.matcher(typed).matches()
                || !Context.same(codeMac(id, typed), fields.get().get(2))) {
            return wrongCode(Optional.empty(), client, key);
        }
        Optional<User> user = c.users.findUserByEmail(emailKey);
        if (user.isEmpty() || !c.useOnce("login", id, longestValidity())) {
            return wrongCode(user.map(User::id), client, key);
        }
        key.ifPresent(k -> c.limits.clear(LimitedAction.LOGIN_FAILED, k));
        return finish(user.get(), client);
    }

    /**
     * Signs in with an emailed link.
     *
     * @return {@link SignInResult.SignedIn}, or {@link SignInResult.InvalidCredentials} with
     *         {@link Reason#INVALID_LOGIN_TOKEN} (not genuine, used, or the address changed) or
     *         {@link Reason#LOGIN_EXPIRED}, or {@link SignInResult.LockedOut}, {@link SignInResult.Disabled}
     */
    public SignInResult verifyLink(String token, ClientInfo client) {
        Context.require(c.config.get(UNIFIED_SIGNIN), "unified-signin");
        TokenCheck check = c.tokens.verify(LINK_PURPOSE, token, c.config.get(LOGIN_WITHIN));
        if (check instanceof TokenCheck.Expired) {
            failed(Optional.empty(), client, Reason.LOGIN_EXPIRED.name());
            return new SignInResult.InvalidCredentials(Reason.LOGIN_EXPIRED);
        }
        Optional<List<String>> fields = check.validPayload().flatMap(p -> TokenPayload.fields(p, 3));
        Optional<User> user = fields.flatMap(f -> TokenPayload.userId(f.get(0)))
                .flatMap(c.users::findUserById)
                .filter(u -> Context.same(binding(u), fields.get().get(2)));
        if (user.isEmpty() || !c.useOnce("login", fields.get().get(1), longestValidity())) {
            failed(user.map(User::id), client, Reason.INVALID_LOGIN_TOKEN.name());
            return new SignInResult.InvalidCredentials(Reason.INVALID_LOGIN_TOKEN);
        }
        return finish(user.get(), client);
    }

    /**
     * Whether an emailed link is genuine, current and still names its user's address — without
     * using it up: for the page that asks for the confirming click before {@link #verifyLink}.
     * A used link passes here; {@link #verifyLink} refuses it.
     *
     * @return empty for a link worth offering, else {@link Reason#LOGIN_EXPIRED} or
     *         {@link Reason#INVALID_LOGIN_TOKEN}
     */
    public Optional<Reason> checkLink(String token) {
        Context.require(c.config.get(UNIFIED_SIGNIN), "unified-signin");
        TokenCheck check = c.tokens.verify(LINK_PURPOSE, token, c.config.get(LOGIN_WITHIN));
        if (check instanceof TokenCheck.Expired) {
            return Optional.of(Reason.LOGIN_EXPIRED);
        }
        Optional<List<String>> fields = check.validPayload().flatMap(p -> TokenPayload.fields(p, 3));
        boolean genuine = fields.flatMap(f -> TokenPayload.userId(f.get(0)))
                .flatMap(c.users::findUserById)
                .filter(u -> Context.same(binding(u), fields.get().get(2)))
                .isPresent();
        return genuine ? Optional.empty() : Optional.of(Reason.INVALID_LOGIN_TOKEN);
    }

    /**
     * Whether the link was mailed in answer to this challenge, i.e. whether the client presenting
     * both is the one that asked for the link ({@link #sendCode} returned it the challenge). Both
     * must be genuine; expiry is left to {@link #verifyLink}.
     */
    public boolean isLinkOf(String token, String challenge) {
        Optional<String> linkId = c.tokens.verify(LINK_PURPOSE, token, longestValidity()).validPayload()
                .flatMap(p -> TokenPayload.fields(p, 3)).map(f -> f.get(1));
        Optional<String> challengeId = c.tokens.verify(CHALLENGE_PURPOSE, challenge, longestValidity()).validPayload()
                .flatMap(p -> TokenPayload.fields(p, 3)).map(f -> f.get(1));
        return linkId.isPresent() && challengeId.isPresent() && Context.same(linkId.get(), challengeId.get());
    }

    /** The proof was good: the account's own state decides. */
    private SignInResult finish(User user, ClientInfo client) {
        Optional<Lockout.Lock> lock = c.lockout.status(user.id(), client);
        if (lock.isPresent()) {
            failed(Optional.of(user.id()), client, "LOCKED_OUT");
            return new SignInResult.LockedOut(user, lock.get().until());
        }
        if (!user.isActive()) {
            return new SignInResult.Disabled(user);
        }
        c.lockout.recordSuccess(user.id(), client);
        if (user.confirmedAt().isEmpty()) {
            Instant now = c.clock.instant();
            user = c.users.patchUser(user.id(), UserPatch.builder().confirmedAt(now).build());
            c.publish(new AccountEvent.UserConfirmed(EventContext.of(now, user.id(), client)));
        }
        return new SignInResult.SignedIn(user);
    }

    private SignInResult wrongCode(Optional<Long> userId, ClientInfo client, Optional<String> key) {
        c.limits.hit(LimitedAction.LOGIN_FAILED, client, key);
        failed(userId, client, Reason.INVALID_CODE.name());
        return new SignInResult.InvalidCredentials(Reason.INVALID_CODE);
    }

    private void failed(Optional<Long> userId, ClientInfo client, String reason) {
        c.publish(new AccountEvent.AuthenticationFailed(new EventContext(c.clock.instant(), userId, client), reason));
    }

    /** The code's MAC, bound to its challenge id: keyed, so the challenge cannot be brute-forced offline. */
    private String codeMac(String id, String code) {
        return c.tokens.mac("login-code-value", id + ":" + code);
    }

    private String binding(User user) {
        return c.binding(LINK_PURPOSE, String.valueOf(user.id()), Identifiers.emailKey(user.email()));
    }

    private Duration longestValidity() {
        Duration code = c.config.get(LOGIN_CODE_WITHIN);
        Duration link = c.config.get(LOGIN_WITHIN);
        return code.compareTo(link) > 0 ? code : link;
    }
}
