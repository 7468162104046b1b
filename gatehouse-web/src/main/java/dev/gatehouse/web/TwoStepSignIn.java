package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.Setting;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.twofactor.TwoFactorSettings;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.user.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a proven first factor becomes a session — or does not. Every sign-in of the
 * web layer that rests on one factor (password, passwordless code or link, confirmation and reset
 * auto-login, registration, an external provider, a passkey without user verification) goes
 * through {@link #firstFactor}: a user with a second factor gets a {@link PendingSignIns pending
 * sign-in} and Flask-Security's {@code tf_required} answer instead of a session, a user who must
 * set one up first ({@code two-factor-required}) is sent to the setup. Only {@link #complete},
 * after the second step, starts the session. Thread-safe.
 */
final class TwoStepSignIn {

    private static final Logger LOG = LoggerFactory.getLogger(TwoStepSignIn.class);
    private static final String TRUST_CONTEXT = "gatehouse-tf-validity";

    private final WebToolkit web;
    private final Gatehouse gatehouse;
    final PendingSignIns pending;
    /** {@code tf_validity}: a browser trusted to skip the second step. */
    final String trustCookie;
    private final ValueSealer sealer;

    TwoStepSignIn(WebToolkit web) {
        this.web = web;
        this.gatehouse = web.gatehouse;
        // A pending sign-in lives as long as the longer-lived code it may wait for; one waiting for
        // a setup (an authenticator app to install) as long as a setup may take.
        Duration codes = web.config.get(TwoFactorSettings.TWO_FACTOR_MAIL_VALIDITY);
        if (web.config.get(TwoFactorSettings.TWO_FACTOR_SMS_VALIDITY).compareTo(codes) > 0) {
            codes = web.config.get(TwoFactorSettings.TWO_FACTOR_SMS_VALIDITY);
        }
        this.pending = new PendingSignIns(gatehouse, web.cookies, codes, web.config.get(TwoFactorSettings.TWO_FACTOR_SETUP_WITHIN));
        this.trustCookie = web.cookies.named("tf_validity");
        this.sealer = ValueSealer.create(web.config);
    }

    private TwoFactor twoFactor() {
        return gatehouse.twoFactor();
    }

    /**
     * A first factor was proven for {@code user}. Starts the session if the user needs no second
     * factor (or this browser is trusted to skip it) and returns {@code true}; else answers the
     * request itself — JSON {@code tf_required}, browsers a redirect to the second step or the
     * setup — and returns {@code false}: the caller must then answer nothing more.
     *
     * @param next where to go once signed in (already checked safe), kept in the pending state
     * @param via  how the first factor was proven, for the pending state and the log
     */
    boolean firstFactor(Exchange x, User user, boolean remember, Optional<Duration> rememberFor, boolean fresh,
            Optional<String> next, String via) {
        boolean enabled = web.secondFactors().isEnabledFor(user);
        if (!enabled && !twoFactor().isRequiredFor(user)) {
            web.authenticator.login(x, user, remember, rememberFor, fresh);
            return true;
        }
        if (enabled && trusted(x, user)) {
            LOG.debug("User {} skips the second factor on a trusted browser", user.id());
            web.authenticator.login(x, user, remember, rememberFor, fresh);
            return true;
        }
        // A first factor proven while signed in as someone (or as this user) ends that session:
        // the pending state must not ride along with a session of another sign-in.
        web.authenticator.endCurrentSession(x);
        x.authentication = Optional.empty();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tf_required", true);
        if (!enabled) {
            pending.start(x, user, remember, next, via, PendingSignIns.SETUP_FROM_LOGIN);
            LOG.info("User {} proved a first factor ({}) and must set up a second one", user.id(), via);
            body.put("tf_state", PendingSignIns.SETUP_FROM_LOGIN);
            secondStep(x, body, TwoFactorSettings.TWO_FACTOR_SETUP_URL);
            return false;
        }
        PendingSignIns.Pending state = pending.start(x, user, remember, next, via, PendingSignIns.READY);
        LOG.info("User {} proved a first factor ({}); second factor required", user.id(), via);
        Optional<FactorMethod> method = twoFactor().isEnabledFor(user) ? twoFactor().primaryMethod(user) : Optional.empty();
        body.put("tf_state", PendingSignIns.READY);
        Optional<SecondStepMethod> other = method.isPresent() ? Optional.empty() : featureMethods(user).stream().findFirst();
        if (other.isPresent()) {
            // Only a feature's factor (a second-factor passkey): its own page is the second step.
            body.put("tf_method", other.get().method());
            body.put("tf_signin_url", other.get().path());
            if (x.wantsJson()) {
                body.put("csrf_token", web.csrfToken(x));
                web.json(x, 200, body);
            } else {
                web.redirect(x, other.get().path());
            }
            return false;
        }
        body.put("tf_primary_method", method.map(FactorMethod::wireName).orElse(null));
        body.put("tf_method", method.map(FactorMethod::wireName).orElse(null));
        if (method.isPresent() && method.get() != FactorMethod.AUTHENTICATOR && !sendCode(x, user, method.get(), state)) {
            return false;
        }
        secondStep(x, body, TwoFactorSettings.TWO_FACTOR_TOKEN_VALIDATION_URL);
        return false;
    }

    /** The second factors features provide that {@code user} has set up. */
    List<SecondStepMethod> featureMethods(User user) {
        return web.secondSteps.stream().filter(m -> m.users().isEnabledFor(user)).toList();
    }

    /** Sends the client on to the second step: JSON {@code body} with a CSRF token, browsers to the page. */
    private void secondStep(Exchange x, Map<String, Object> body, Setting<String> page) {
        if (x.wantsJson()) {
            body.put("csrf_token", web.csrfToken(x));
            web.json(x, 200, body);
        } else {
            web.redirect(x, web.url(web.config.get(page)));
        }
    }

    /**
     * Sends a code by email or SMS for the pending sign-in; on failure answers (JSON 500, browsers
     * back to the login page with the error; 429 when rate-limited) and returns {@code false}.
     */
    boolean sendCode(Exchange x, User user, FactorMethod method, PendingSignIns.Pending state) {
        Optional<Duration> limited;
        try {
            limited = twoFactor().sendCode(user, method, state.challenge(), Optional.empty());
        } catch (RuntimeException e) {
            LOG.warn("Could not send a {} code to user {}: {}", method.wireName(), user.id(), e.getClass().getSimpleName());
            backToLogin(x, 500, x.text("TWO_FACTOR_SEND_FAILED"));
            return false;
        }
        if (limited.isPresent()) {
            RefusalLog.rateLimited(x);
            long seconds = Math.max(1, limited.get().toSeconds());
            x.response.header("Retry-After", Long.toString(seconds));
            backToLogin(x, 429, x.text("TOO_MANY_REQUESTS", Map.of("seconds", seconds)));
            return false;
        }
        return true;
    }

    /** A sign-in that cannot go on: JSON {@code status} with {@code message}, browsers to the login page with it. */
    private void backToLogin(Exchange x, int status, String message) {
        if (x.wantsJson()) {
            web.json(x, status, Map.of(), List.of(message), Map.of());
        } else {
            web.flashes.add(x, "error", message);
            web.redirect(x, web.url(web.config.get(LOGIN_URL)));
        }
    }

    /**
     * The second step passed for {@code current} (or a setup during sign-in finished — then
     * {@code user} is the user as it is after enabling, whose security stamp has rotated): marks
     * the pending state used, starts the session as {@code /login} would (remember-me as asked at
     * the first factor, tracking, events), trusts the browser if configured, and answers with the
     * user (JSON) or a redirect to the saved {@code next}. Returns {@code false} and answers as an
     * illegal state if the pending state was used meanwhile.
     */
    boolean complete(Exchange x, PendingSignIns.Pending state, User user, String messageKey) {
        if (!pending.consume(state)) {
            illegalState(x);
            return false;
        }
        pending.clear(x);
        web.authenticator.login(x, user, state.remember(), Optional.empty(), true);
        User signedIn = x.authentication.orElseThrow().user();
        if (!web.config.get(TwoFactorSettings.TWO_FACTOR_ALWAYS_VALIDATE) && state.remember()) {
            trust(x, signedIn);
        }
        if (x.wantsJson()) {
            web.json(x, 200, web.authenticatedBody(x, signedIn));
        } else {
            web.flashes.add(x, "success", messageKey);
            web.redirect(x, state.next().flatMap(web::safeRedirect).orElse(web.config.get(POST_LOGIN_VIEW)));
        }
        return true;
    }

    /**
     * Flask-Security's {@code tf_illegal_state}: a second-step request without a good pending
     * sign-in. JSON 400, browsers back to the login page with the message.
     */
    void illegalState(Exchange x) {
        pending.clear(x);
        backToLogin(x, 400, x.text("TWO_FACTOR_PERMISSION_DENIED"));
    }

    // ------------------------------------------------------------------ trusted browsers (tf_validity)

    /**
     * Sets {@code tf_validity}: sealed, naming the user and their security stamp, valid
     * {@code two-factor-login-validity}. Rotating the stamp (password change, turning factors on
     * or off) revokes every trusted browser of the user.
     */
    private void trust(Exchange x, User user) {
        Duration validity = web.config.get(TwoFactorSettings.TWO_FACTOR_LOGIN_VALIDITY);
        Instant until = gatehouse.clock().instant().plus(validity);
        String value = user.id() + ":" + until.toEpochMilli() + ":" + user.securityStamp();
        x.response.addHeader("Set-Cookie", web.cookies.persistentCookie(trustCookie,
                sealer.seal(value, TRUST_CONTEXT), validity));
    }

    private boolean trusted(Exchange x, User user) {
        if (web.config.get(TwoFactorSettings.TWO_FACTOR_ALWAYS_VALIDATE)) {
            return false;
        }
        Optional<String> value = x.request.cookie(trustCookie)
                .flatMap(cookie -> sealer.open(cookie, TRUST_CONTEXT));
        if (value.isEmpty()) {
            return false;
        }
        String[] parts = value.get().split(":", 3);
        if (parts.length != 3) {
            return false;
        }
        try {
            return Long.parseLong(parts[0]) == user.id()
                    && gatehouse.clock().instant().isBefore(Instant.ofEpochMilli(Long.parseLong(parts[1])))
                    && MessageDigest.isEqual(parts[2].getBytes(StandardCharsets.UTF_8),
                            user.securityStamp().getBytes(StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
