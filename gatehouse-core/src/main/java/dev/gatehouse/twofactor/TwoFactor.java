package dev.gatehouse.twofactor;

import static dev.gatehouse.twofactor.TwoFactorSettings.MULTI_FACTOR_RECOVERY_CODES_N;
import static dev.gatehouse.twofactor.TwoFactorSettings.TOTP_ISSUER;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_ENABLED_METHODS;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_MAIL_VALIDITY;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_REQUIRED;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_REQUIRED_ROLES;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_SMS_VALIDITY;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_TOTP_WINDOW;
import static dev.gatehouse.twofactor.TwoFactorSettings.US_ENABLED_METHODS;

import dev.gatehouse.auth.Lockout;
import dev.gatehouse.auth.SecondFactors;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Settings;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.event.Events;
import dev.gatehouse.limit.Counter;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.limit.LimitedAction;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.mail.Notification;
import dev.gatehouse.mail.Outbox;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserPatch;
import dev.gatehouse.user.UserStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Two-factor authentication: the authenticator app (TOTP, RFC 6238), one-time codes by email and
 * SMS, recovery codes, and the methods of unified sign-in; {@code Gatehouse#twoFactor()}. The web
 * layer drives it: it sends and checks codes, and turns factors on and off after the user proved
 * a code.
 *
 * <p>As a {@link SecondFactors} it tells whether a user has two-factor on ({@code two-factor} and a
 * primary method), so no one-factor sign-in path completes for them.
 *
 * <p>Secrets are stored sealed ({@link dev.gatehouse.token.ValueSealer}, key from {@code secret},
 * {@code secret-previous} still opens them), recovery codes as digests; codes never appear in logs,
 * events or exceptions. Wrong codes count like wrong passwords (lockout and
 * {@code rate-limit-login-failed}). Thread-safe.
 */
public final class TwoFactor implements SecondFactors {

    /** Wrong tries one sent code allows. */
    static final int MAX_ATTEMPTS = 3;
    static final int MIN_CHALLENGE_LENGTH = 16;
    static final int MAX_CHALLENGE_LENGTH = 512;
    private static final String CODE_PURPOSE = "two-factor-code";
    private static final String TEXTS = "dev.gatehouse.mail.mail";
    /** How long the generation count of a challenge's codes lives: longer than any code. */
    private static final Duration GENERATION_WINDOW = Duration.ofHours(1);
    private static final Pattern SENT_CODE = Pattern.compile("[0-9]{6}");
    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{7,14}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final GatehouseConfig config;
    private final Clock clock;
    private final UserStore users;
    private final SecondFactorStore store;
    private final CounterStore counters;
    private final RateLimiter limits;
    private final Lockout lockout;
    private final Outbox outbox;
    private final Events events;
    private final SmsSender sms;
    private final TokenSigner tokens;
    private final ValueSealer sealer;

    private TwoFactor(Builder b) {
        this.config = Objects.requireNonNull(b.config, "config");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.users = Objects.requireNonNull(b.users, "users");
        this.store = Objects.requireNonNull(b.store, "store");
        this.counters = Objects.requireNonNull(b.counters, "counters");
        this.limits = Objects.requireNonNull(b.limits, "limits");
        this.lockout = Objects.requireNonNull(b.lockout, "lockout");
        this.outbox = Objects.requireNonNull(b.outbox, "outbox");
        this.events = Objects.requireNonNull(b.events, "events");
        this.sms = Objects.requireNonNull(b.sms, "sms");
        this.tokens = Objects.requireNonNull(b.tokens, "tokens");
        this.sealer = ValueSealer.create(config);
    }

    /** A builder, for {@code Gatehouse} and tests; every collaborator is required. */
    public static Builder builder(GatehouseConfig config, Clock clock) {
        return new Builder(config, clock);
    }

    /** The store the records live in. */
    public SecondFactorStore store() {
        return store;
    }

    /** Whether {@code user} must pass a second factor to sign in: {@code two-factor} is on and they set one up. */
    @Override
    public boolean isEnabledFor(User user) {
        return config.get(TWO_FACTOR) && primaryMethod(user).isPresent();
    }

    /** The second factor {@code user} set up (stored, whether or not {@code two-factor} is on now). */
    public Optional<FactorMethod> primaryMethod(User user) {
        return store.find(user.id()).flatMap(SecondFactorRecord::primaryMethod);
    }

    /** The phone number SMS codes of {@code user} go to, if set. */
    public Optional<String> phoneNumber(User user) {
        return store.find(user.id()).flatMap(SecondFactorRecord::phoneNumber);
    }

    /** The methods {@code user} enabled for unified sign-in ({@code /us-signin}). */
    public Set<FactorMethod> signInMethods(User user) {
        return store.find(user.id()).map(SecondFactorRecord::signInMethods).orElse(Set.of());
    }

    /**
     * Whether {@code user} must have a second factor ({@code two-factor-required}, or a role of
     * {@code two-factor-required-roles}): if they have none, the sign-in sets one up first.
     */
    public boolean isRequiredFor(User user) {
        if (!config.get(TWO_FACTOR)) {
            return false;
        }
        return config.get(TWO_FACTOR_REQUIRED)
                || config.get(TWO_FACTOR_REQUIRED_ROLES).stream().anyMatch(user.roleNames()::contains);
    }

    /**
     * A new random 160-bit authenticator key for {@code user}, not stored yet: the setup page shows
     * it, keeps {@link TotpSetup#sealedSecret()} and passes it to {@link #verify} and {@link #enable}.
     */
    public TotpSetup newTotpSecret(User user) {
        String key = Totp.newKey();
        String issuer = config.get(TOTP_ISSUER).orElse(config.get(Settings.SITE_NAME));
        // Key Uri Format: label "issuer:account" with both parts percent-encoded, issuer repeated as a parameter.
        String uri = "otpauth://totp/" + uriEncode(issuer) + ":" + uriEncode(user.email()) + "?secret=" + key
                + "&issuer=" + uriEncode(issuer) + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
        return new TotpSetup(key, uri, sealer.seal(key, sealContext(user.id())));
    }

    /**
     * Sends {@code user} a one-time code by email or SMS, bound to {@code challenge}: 6 digits from
     * {@link SecureRandom}, valid for {@code two-factor-mail-validity} / {@code two-factor-sms-validity},
     * 3 attempts, single use. A new code for the same challenge replaces the previous one. Neither the
     * code nor a digest is stored: only counters named by keyed MACs of it.
     *
     * @param method        {@link FactorMethod#EMAIL} or {@link FactorMethod#SMS}
     * @param challenge     an opaque random id of the pending sign-in or setup the code belongs to
     *                      (at least 16 characters)
     * @param phoneOverride during SMS setup, the new number (otherwise the stored one)
     * @return empty when the code was sent (queued); otherwise nothing was sent because codes were sent
     *         to this user too often ({@code rate-limit-login-code}), and the time until the next may go
     * @throws InvalidInputException if the method cannot send (no phone, no SMS sender), or for a short challenge
     */
    public Optional<Duration> sendCode(User user, FactorMethod method, String challenge, Optional<String> phoneOverride) {
        Objects.requireNonNull(user, "user");
        checkChallenge(challenge);
        if (method == FactorMethod.AUTHENTICATOR) {
            throw new InvalidInputException("method", "TWO_FACTOR_METHOD_NOT_AVAILABLE", "an authenticator app makes its own codes");
        }
        Optional<String> phone = Optional.empty();
        if (method == FactorMethod.SMS) {
            phone = phoneOverride.map(TwoFactor::normalizePhoneNumber).or(() -> phoneNumber(user));
            if (phone.isEmpty() || !sms.available()) {
                throw new InvalidInputException("phone", "TWO_FACTOR_METHOD_NOT_AVAILABLE",
                        phone.isEmpty() ? "no phone number to send the code to" : "no SMS sender is configured (sms-service)");
            }
        }
        Optional<Duration> wait = limits.hit(LimitedAction.LOGIN_CODE, ClientInfo.UNKNOWN,
                Optional.of(RateLimiter.userKey(user.id())));
        if (wait.isPresent()) {
            return wait;
        }
        Duration validity = validity(method);
        Instant now = clock.instant();
        String slot = slot(user, method, challenge);
        long generation = counters.increment("tf-gen:" + slot, GENERATION_WINDOW, now).hits();
        String code = String.format(Locale.ROOT, "%06d", RANDOM.nextInt(1_000_000));
        counters.increment(codeKey(slot, generation, code), validity, now);
        counters.increment("tf-live:" + mac(slot + ":" + generation), validity, now);
        if (method == FactorMethod.EMAIL) {
            outbox.enqueue(new Notification(MailTemplates.TWO_FACTOR_INSTRUCTIONS, user.email(),
                    Notification.localeFor(Optional.of(user), ClientInfo.UNKNOWN),
                    Map.of("email", user.email(), "code", code, "within", Notification.durationValue(validity))));
        } else {
            sms.send(phone.get(), smsText(user, code));
        }
        events.publish(new AccountEvent.SecondFactorCodeSent(EventContext.of(now, user.id(), ClientInfo.UNKNOWN),
                method.wireName()));
        return Optional.empty();
    }

    /**
     * Checks a code of {@code method}: for {@link FactorMethod#AUTHENTICATOR} a TOTP code (SHA-1, 6
     * digits, 30 s, ± {@code two-factor-totp-window} steps, each step accepted once) against
     * {@code sealedPendingSecret} during setup or the stored secret otherwise; for EMAIL and SMS the
     * code last sent for {@code challenge} (ignored for the authenticator). Wrong codes count like wrong
     * passwords ({@code rate-limit-login-failed}, lockout) and publish
     * {@link AccountEvent.AuthenticationFailed} ({@code INVALID_CODE}); a locked account gets
     * {@link CodeCheck#LOCKED_OUT} whatever the code.
     */
    public CodeCheck verify(User user, FactorMethod method, String code, String challenge,
            Optional<String> sealedPendingSecret, ClientInfo client) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(client, "client");
        Optional<String> key = Optional.of(RateLimiter.userKey(user.id()));
        Optional<CodeCheck> refused = refusal(user, client, key);
        if (refused.isPresent()) {
            return refused.get();
        }
        CodeCheck check = method == FactorMethod.AUTHENTICATOR
                ? checkTotp(user, code, sealedPendingSecret)
                : checkSentCode(user, method, code, challenge);
        return settle(user, client, key, check, "INVALID_CODE");
    }

    /**
     * Makes {@code method} the user's second factor, after they proved a code of it: stores it (with
     * the sealed secret for the authenticator, the phone for SMS), rotates the security stamp (ending
     * one-factor sessions and remember-me grants elsewhere; the caller re-issues its own session),
     * publishes {@link AccountEvent.SecondFactorChanged} and queues the notice email.
     *
     * @return the user as stored now, with the new security stamp
     * @throws InvalidInputException if the method is not in {@code two-factor-enabled-methods} or lacks
     *                               what it needs (a secret that opens, a phone number, an SMS sender)
     */
    public User enable(User user, FactorMethod method, Optional<String> sealedSecret, Optional<String> phone,
            EventContext context) {
        Objects.requireNonNull(user, "user");
        if (!config.get(TWO_FACTOR_ENABLED_METHODS).contains(method)) {
            throw new InvalidInputException("method", "TWO_FACTOR_METHOD_NOT_AVAILABLE",
                    method.wireName() + " is not in two-factor-enabled-methods");
        }
        SecondFactorRecord old = store.find(user.id()).orElse(SecondFactorRecord.empty(user.id()));
        Needs needs = needs(user.id(), Set.of(method), old, sealedSecret, phone);
        store.save(new SecondFactorRecord(user.id(), Optional.of(method), needs.secret(), needs.phone(),
                old.recoveryCodeDigests(), old.signInMethods(), old.lastTotpStep()));
        User changed = users.patchUser(user.id(), UserPatch.builder().rotateSecurityStamp().build());
        notice(changed, MailTemplates.TWO_FACTOR_CHANGED, Map.of("method", method.wireName()), context);
        events.publish(new AccountEvent.SecondFactorChanged(context, Optional.of(method.wireName()), true));
        return changed;
    }

    /** Turns two-factor off for {@code user} (keeping what unified sign-in uses), with notice email and event. */
    public void disable(User user, EventContext context) {
        Objects.requireNonNull(user, "user");
        Optional<SecondFactorRecord> old = store.find(user.id());
        if (old.isEmpty() || old.get().primaryMethod().isEmpty()) {
            return;
        }
        SecondFactorRecord r = old.get();
        Set<FactorMethod> kept = r.signInMethods();
        store.save(new SecondFactorRecord(user.id(), Optional.empty(),
                kept.contains(FactorMethod.AUTHENTICATOR) ? r.sealedTotpSecret() : Optional.empty(),
                kept.contains(FactorMethod.SMS) ? r.phoneNumber() : Optional.empty(),
                r.recoveryCodeDigests(), kept, r.lastTotpStep()));
        notice(user, MailTemplates.TWO_FACTOR_CHANGED, Map.of(), context);
        events.publish(new AccountEvent.SecondFactorChanged(context, Optional.empty(), false));
    }

    /**
     * Sets the methods {@code user} may use for unified sign-in ({@code /us-setup}), with the sealed
     * secret or phone a new method needs (kept from before otherwise); notice email and event.
     *
     * @throws InvalidInputException if a method is not in {@code us-enabled-methods} or lacks what it needs
     */
    public void setSignInMethods(User user, Set<FactorMethod> methods, Optional<String> sealedSecret,
            Optional<String> phone, EventContext context) {
        Objects.requireNonNull(user, "user");
        for (FactorMethod method : methods) {
            if (!config.get(US_ENABLED_METHODS).contains(method)) {
                throw new InvalidInputException("method", "US_METHOD_NOT_AVAILABLE", method.wireName()
                        + " is not in us-enabled-methods");
            }
        }
        SecondFactorRecord old = store.find(user.id()).orElse(SecondFactorRecord.empty(user.id()));
        Set<FactorMethod> needed = new HashSet<>(methods);
        old.primaryMethod().ifPresent(needed::add);
        Needs needs = needs(user.id(), needed, old, sealedSecret, phone);
        store.save(new SecondFactorRecord(user.id(), old.primaryMethod(), needs.secret(), needs.phone(),
                old.recoveryCodeDigests(), methods, old.lastTotpStep()));
        notice(user, MailTemplates.SIGN_IN_METHODS_CHANGED, Map.of(), context);
        events.publish(new AccountEvent.SignInMethodsChanged(context, methods.stream().map(FactorMethod::wireName).toList()));
    }

    /**
     * A new set of {@code multi-factor-recovery-codes-n} recovery codes for {@code user}, each 80 random
     * bits written as 4 groups of 4 base32 characters ({@code abcd-efgh-ijkl-mnop}), shown once: only
     * their digests are kept, and the previous set stops working. Notice email and event.
     */
    public List<String> newRecoveryCodes(User user, EventContext context) {
        Objects.requireNonNull(user, "user");
        int n = config.get(MULTI_FACTOR_RECOVERY_CODES_N);
        List<String> codes = new ArrayList<>(n);
        List<String> digests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] bytes = new byte[10];
            RANDOM.nextBytes(bytes);
            String plain = Totp.encode(bytes).toLowerCase(Locale.ROOT);
            codes.add(plain.substring(0, 4) + "-" + plain.substring(4, 8) + "-" + plain.substring(8, 12) + "-"
                    + plain.substring(12, 16));
            digests.add(recoveryDigest(user.id(), plain));
        }
        SecondFactorRecord old = store.find(user.id()).orElse(SecondFactorRecord.empty(user.id()));
        store.save(new SecondFactorRecord(user.id(), old.primaryMethod(), old.sealedTotpSecret(), old.phoneNumber(), digests,
                old.signInMethods(), old.lastTotpStep()));
        notice(user, MailTemplates.RECOVERY_CODES_CHANGED, Map.of(), context);
        events.publish(new AccountEvent.RecoveryCodesGenerated(context, n));
        return List.copyOf(codes);
    }

    /** How many unused recovery codes {@code user} has. */
    public int recoveryCodesLeft(User user) {
        return store.find(user.id()).map(r -> r.recoveryCodeDigests().size()).orElse(0);
    }

    /**
     * Uses up one recovery code (single use: of two concurrent uses one wins); a wrong or used one
     * counts like a wrong password ({@code INVALID_RECOVERY_CODE}), a locked account gets
     * {@link CodeCheck#LOCKED_OUT}.
     */
    public CodeCheck useRecoveryCode(User user, String code, ClientInfo client) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(client, "client");
        Optional<String> key = Optional.of(RateLimiter.userKey(user.id()));
        Optional<CodeCheck> refused = refusal(user, client, key);
        if (refused.isPresent()) {
            return refused.get();
        }
        String plain = Totp.normalize(code).toLowerCase(Locale.ROOT);
        boolean used = plain.length() == 16 && store.useRecoveryCode(user.id(), recoveryDigest(user.id(), plain));
        return settle(user, client, key, used ? CodeCheck.ACCEPTED : CodeCheck.INVALID, "INVALID_RECOVERY_CODE");
    }

    /**
     * Removes all of the user's second factors, recovery codes and sign-in methods (CLI
     * {@code users reset-access}); publishes {@link AccountEvent.SecondFactorChanged} (off) if there
     * were any. No email: the caller (an administrator) tells the user.
     *
     * @return whether the user had anything set up
     */
    public boolean reset(long userId) {
        // A record can exist with nothing set up (a started authenticator setup keeps its replay guard there).
        boolean had = store.find(userId).filter(r -> !r.isEmpty()).isPresent();
        store.delete(userId);
        if (had) {
            events.publish(new AccountEvent.SecondFactorChanged(EventContext.of(clock.instant(), userId, ClientInfo.UNKNOWN),
                    Optional.empty(), false));
        }
        return had;
    }

    /**
     * Stores factors brought over from Flask-Security as if set up here (key sealed), without email
     * or stamp rotation. Replaces what the user had, but keeps recovery codes.
     *
     * @param base32TotpKey the authenticator key in base32, at least 80 bits
     * @throws InvalidInputException for a key that is not base32 of at least 80 bits, or a method
     *                               without what it needs (SMS without phone, authenticator without key)
     * @throws dev.gatehouse.user.NoSuchUserException if the user does not exist
     */
    public void importFactors(long userId, Optional<String> base32TotpKey, Optional<FactorMethod> primaryMethod,
            Optional<String> phoneNumber, Set<FactorMethod> signInMethods) {
        Optional<String> sealed = Optional.empty();
        if (base32TotpKey.isPresent()) {
            byte[] key = Totp.decode(base32TotpKey.get(), Totp.MIN_IMPORT_KEY_BYTES).orElseThrow(() -> new InvalidInputException(
                    "tf_totp_secret", "INVALID_TOTP_SECRET", "an authenticator key is base32 of at least 80 bits"));
            sealed = Optional.of(sealer.seal(Totp.encode(key), sealContext(userId)));
        }
        Optional<String> phone = phoneNumber.map(TwoFactor::normalizePhoneNumber);
        Set<FactorMethod> all = new HashSet<>(signInMethods);
        primaryMethod.ifPresent(all::add);
        if (all.contains(FactorMethod.AUTHENTICATOR) && sealed.isEmpty()) {
            throw new InvalidInputException("tf_primary_method", "TWO_FACTOR_METHOD_NOT_AVAILABLE",
                    "the authenticator method needs a TOTP key");
        }
        if (all.contains(FactorMethod.SMS) && phone.isEmpty()) {
            throw new InvalidInputException("tf_phone_number", "TWO_FACTOR_METHOD_NOT_AVAILABLE", "the sms method needs a phone number");
        }
        List<String> codes = store.find(userId).map(SecondFactorRecord::recoveryCodeDigests).orElse(List.of());
        store.save(new SecondFactorRecord(userId, primaryMethod, sealed, phone, codes, signInMethods, 0));
    }

    // ------------------------------------------------------------------ internals

    /** A refusal before any code is looked at: a rate limit or a lock (which counts as a failure, like SignInFlow's). */
    private Optional<CodeCheck> refusal(User user, ClientInfo client, Optional<String> key) {
        if (limits.check(LimitedAction.LOGIN_FAILED, client, key).isPresent()) {
            failed(user.id(), client, "RATE_LIMITED");
            return Optional.of(CodeCheck.RATE_LIMITED);
        }
        if (lockout.status(user.id(), client).isPresent()) {
            limits.hit(LimitedAction.LOGIN_FAILED, client, key);
            failed(user.id(), client, "LOCKED_OUT");
            return Optional.of(CodeCheck.LOCKED_OUT);
        }
        return Optional.empty();
    }

    /** Books the outcome of a check: failures count towards the limits and the lockout, success clears the failures. */
    private CodeCheck settle(User user, ClientInfo client, Optional<String> key, CodeCheck check, String reason) {
        if (check == CodeCheck.ACCEPTED) {
            key.ifPresent(k -> limits.clear(LimitedAction.LOGIN_FAILED, k));
            return check;
        }
        if (check == CodeCheck.EXPIRED) {
            // No code was compared: nothing was guessed.
            failed(user.id(), client, "CODE_EXPIRED");
            return check;
        }
        limits.hit(LimitedAction.LOGIN_FAILED, client, key);
        Optional<Lockout.Lock> locked = lockout.recordFailure(user, client);
        failed(user.id(), client, check == CodeCheck.INVALID ? reason : check.name());
        return locked.isPresent() ? CodeCheck.LOCKED_OUT : check;
    }

    private CodeCheck checkTotp(User user, String code, Optional<String> sealedPendingSecret) {
        boolean pending = sealedPendingSecret.isPresent();
        Optional<SecondFactorRecord> record = store.find(user.id());
        Optional<String> sealed = pending ? sealedPendingSecret : record.flatMap(SecondFactorRecord::sealedTotpSecret);
        Optional<byte[]> key = sealed.flatMap(s -> sealer.open(s, sealContext(user.id())))
                .flatMap(k -> Totp.decode(k, Totp.MIN_IMPORT_KEY_BYTES));
        if (key.isEmpty()) {
            return CodeCheck.INVALID;
        }
        long now = Totp.stepAt(clock.instant().getEpochSecond());
        OptionalLong step = Totp.match(key.get(), code, now, config.get(TWO_FACTOR_TOTP_WINDOW));
        if (step.isEmpty()) {
            return CodeCheck.INVALID;
        }
        if (record.isEmpty()) {
            // A first setup: the replay guard needs a record to keep the step in.
            saveIfAbsent(user.id());
        }
        if (!store.acceptTotpStep(user.id(), step.getAsLong())) {
            return CodeCheck.REPLAYED;
        }
        if (!pending && !sealer.isSealedWithCurrentKey(sealed.get())) {
            reseal(user.id(), sealed.get());
        }
        return CodeCheck.ACCEPTED;
    }

    private void saveIfAbsent(long userId) {
        if (store.find(userId).isEmpty()) {
            store.save(SecondFactorRecord.empty(userId));
        }
    }

    /** After {@code secret} rotation: the stored secret sealed again under the current key, if it is still the stored one. */
    private void reseal(long userId, String oldSealed) {
        store.find(userId).filter(r -> r.sealedTotpSecret().equals(Optional.of(oldSealed))).ifPresent(r ->
                sealer.open(oldSealed, sealContext(userId)).ifPresent(key -> store.save(new SecondFactorRecord(userId,
                        r.primaryMethod(), Optional.of(sealer.seal(key, sealContext(userId))), r.phoneNumber(),
                        r.recoveryCodeDigests(), r.signInMethods(), r.lastTotpStep()))));
    }

    /** The sent-code check; counters hold all its state (see {@link #sendCode}). */
    private CodeCheck checkSentCode(User user, FactorMethod method, String code, String challenge) {
        if (challenge == null || challenge.length() < MIN_CHALLENGE_LENGTH || challenge.length() > MAX_CHALLENGE_LENGTH) {
            return CodeCheck.INVALID;
        }
        Instant now = clock.instant();
        String slot = slot(user, method, challenge);
        Optional<Counter> generation = counters.get("tf-gen:" + slot, now);
        if (generation.isEmpty()) {
            return CodeCheck.INVALID;
        }
        long g = generation.get().hits();
        String sent = mac(slot + ":" + g);
        if (counters.get("tf-live:" + sent, now).isEmpty()) {
            return CodeCheck.EXPIRED;
        }
        Duration validity = validity(method);
        if (counters.increment("tf-try:" + sent, validity, now).hits() > MAX_ATTEMPTS) {
            return CodeCheck.ATTEMPTS_EXHAUSTED;
        }
        String typed = Totp.normalize(code);
        if (!SENT_CODE.matcher(typed).matches() || counters.get(codeKey(slot, g, typed), now).isEmpty()) {
            return CodeCheck.INVALID;
        }
        // Single use: of concurrent right answers only the first marks it used.
        if (counters.increment("tf-used:" + sent, validity, now).hits() != 1) {
            return CodeCheck.REPLAYED;
        }
        counters.delete("tf-live:" + sent);
        return CodeCheck.ACCEPTED;
    }

    /**
     * The counters' name for one user's codes of one method and challenge: a MAC, so the counter
     * store neither shows the challenge nor lets anyone guess names; bound to the security stamp,
     * so codes sent before a stamp change stop working.
     */
    private String slot(User user, FactorMethod method, String challenge) {
        return mac(user.id() + "\n" + user.securityStamp() + "\n" + method.wireName() + "\n" + challenge);
    }

    private String codeKey(String slot, long generation, String code) {
        return "tf-code:" + mac(slot + ":" + generation + ":" + code);
    }

    private String mac(String data) {
        return tokens.mac(CODE_PURPOSE, data);
    }

    private Duration validity(FactorMethod method) {
        return config.get(method == FactorMethod.SMS ? TWO_FACTOR_SMS_VALIDITY : TWO_FACTOR_MAIL_VALIDITY);
    }

    private static void checkChallenge(String challenge) {
        if (challenge == null || challenge.length() < MIN_CHALLENGE_LENGTH || challenge.length() > MAX_CHALLENGE_LENGTH) {
            throw new IllegalArgumentException("a challenge is " + MIN_CHALLENGE_LENGTH + "-" + MAX_CHALLENGE_LENGTH
                    + " characters");
        }
    }

    /** What a set of methods needs, from the arguments or else the old record; refuses what is missing. */
    private Needs needs(long userId, Set<FactorMethod> methods, SecondFactorRecord old, Optional<String> sealedSecret,
            Optional<String> phone) {
        Optional<String> secret = sealedSecret.or(old::sealedTotpSecret);
        if (sealedSecret.isPresent() && sealer.open(sealedSecret.get(), sealContext(userId)).isEmpty()) {
            throw new InvalidInputException("secret", "TWO_FACTOR_SETUP_EXPIRED", "the authenticator secret does not open");
        }
        Optional<String> number = phone.map(TwoFactor::normalizePhoneNumber).or(old::phoneNumber);
        if (methods.contains(FactorMethod.AUTHENTICATOR) && secret.isEmpty()) {
            throw new InvalidInputException("secret", "TWO_FACTOR_METHOD_NOT_AVAILABLE", "the authenticator method needs a secret");
        }
        if (methods.contains(FactorMethod.SMS) && (number.isEmpty() || !sms.available())) {
            throw new InvalidInputException("phone", "TWO_FACTOR_METHOD_NOT_AVAILABLE",
                    number.isEmpty() ? "the sms method needs a phone number" : "no SMS sender is configured (sms-service)");
        }
        return new Needs(secret, number);
    }

    private record Needs(Optional<String> secret, Optional<String> phone) {
    }

    /**
     * A phone number as Gatehouse stores it: E.164, + then 8 to 15 digits, with spaces, dashes, dots
     * and parentheses dropped.
     *
     * @throws InvalidInputException (field {@code phone}, code {@code PHONE_INVALID}) for anything else
     */
    public static String normalizePhoneNumber(String phone) {
        String compact = phone == null ? "" : phone.replaceAll("[\\s()\\-.]", "");
        if (!PHONE.matcher(compact).matches()) {
            throw new InvalidInputException("phone", "PHONE_INVALID", "a phone number starts with + and the country code");
        }
        return compact;
    }

    private void notice(User user, String template, Map<String, String> extra, EventContext context) {
        Map<String, String> model = new HashMap<>(extra);
        model.put("email", user.email());
        outbox.enqueue(new Notification(template, user.email(), Notification.localeFor(Optional.of(user), context.client()),
                model));
    }

    private String smsText(User user, String code) {
        Locale locale = Notification.localeFor(Optional.of(user), ClientInfo.UNKNOWN);
        ResourceBundle texts = ResourceBundle.getBundle(TEXTS, locale, TwoFactor.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        return texts.getString("SMS_CODE").replace("{site_name}", config.get(Settings.SITE_NAME)).replace("{code}", code);
    }

    private void failed(long userId, ClientInfo client, String reason) {
        events.publish(new AccountEvent.AuthenticationFailed(EventContext.of(clock.instant(), userId, client), reason));
    }

    private static String sealContext(long userId) {
        return "two-factor-totp:" + userId;
    }

    private static String recoveryDigest(long userId, String plain) {
        // 80 random bits per code: an unsalted fast digest cannot be reversed by trying codes; the user id binds it.
        return OneTimeSecret.digestOf("recovery-code:" + userId + ":" + plain);
    }

    private static String uriEncode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Assembles a {@link TwoFactor}; not thread-safe. */
    public static final class Builder {
        private final GatehouseConfig config;
        private final Clock clock;
        private UserStore users;
        private SecondFactorStore store;
        private CounterStore counters;
        private RateLimiter limits;
        private Lockout lockout;
        private Outbox outbox;
        private Events events;
        private SmsSender sms;
        private TokenSigner tokens;

        private Builder(GatehouseConfig config, Clock clock) {
            this.config = config;
            this.clock = clock;
        }

        /** The users whose factors these are (security stamps are rotated here). */
        public Builder users(UserStore users) {
            this.users = users;
            return this;
        }

        /** Where the records live. */
        public Builder store(SecondFactorStore store) {
            this.store = store;
            return this;
        }

        /** Where code attempts and single-use markers are counted. */
        public Builder counters(CounterStore counters) {
            this.counters = counters;
            return this;
        }

        /** The sign-in rate limits wrong codes count towards. */
        public Builder limits(RateLimiter limits) {
            this.limits = limits;
            return this;
        }

        /** The lockout wrong codes count towards. */
        public Builder lockout(Lockout lockout) {
            this.lockout = lockout;
            return this;
        }

        /** Where code and notice emails are queued. */
        public Builder outbox(Outbox outbox) {
            this.outbox = outbox;
            return this;
        }

        /** Where events are published. */
        public Builder events(Events events) {
            this.events = events;
            return this;
        }

        /** How SMS codes are sent. */
        public Builder smsSender(SmsSender sms) {
            this.sms = sms;
            return this;
        }

        /** Makes the MACs that name code counters. */
        public Builder tokens(TokenSigner tokens) {
            this.tokens = tokens;
            return this;
        }

        /** The service. */
        public TwoFactor build() {
            return new TwoFactor(this);
        }
    }
}
