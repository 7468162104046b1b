package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.LOGIN_CODE_WITHIN;
import static dev.gatehouse.twofactor.TwoFactorSettings.US_ENABLED_METHODS;
import static dev.gatehouse.twofactor.TwoFactorSettings.US_SETUP_WITHIN;

import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.twofactor.CodeCheck;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The methods {@code /us-signin} accepts besides the emailed code, as the user set them up at
 * {@code /us-setup}: the identity with the password or an authenticator code (Flask-Security's
 * {@code passcode}), and a code texted to the account's phone. The SMS challenge travels in the
 * sign-in challenge cookie, sealed with the account it belongs to; for an identity without SMS
 * sign-in the cookie is sealed for no account, so the answer does not tell accounts apart.
 * Thread-safe.
 */
final class UnifiedSignIn {

    private static final Pattern DIGITS = Pattern.compile("\\d{6,8}");
    private static final long NO_ACCOUNT = -1;

    private final WebToolkit web;
    private final TwoFactor twoFactor;
    private final SetupStates smsStates;

    UnifiedSignIn(WebToolkit web) {
        this.web = web;
        this.twoFactor = web.gatehouse.twoFactor();
        this.smsStates = new SetupStates(ValueSealer.create(web.config), web.gatehouse.clock(), "us-signin-sms",
                web.config.get(US_SETUP_WITHIN).compareTo(web.config.get(LOGIN_CODE_WITHIN)) < 0
                        ? web.config.get(US_SETUP_WITHIN) : web.config.get(LOGIN_CODE_WITHIN));
    }

    /** {@code available_methods}: the enabled code methods, then the password. */
    List<String> availableMethods() {
        List<String> methods = new ArrayList<>();
        web.config.get(US_ENABLED_METHODS).forEach(m -> methods.add(m.wireName()));
        if (!methods.contains("email")) {
            methods.add(0, "email");
        }
        methods.add("password");
        return methods;
    }

    /** {@code code_methods}: the methods a code is sent for. */
    List<String> codeMethods() {
        return availableMethods().stream().filter(m -> m.equals("email") || m.equals("sms")).toList();
    }

    /**
     * The identity with an authenticator code (6 to 8 digits, when the account set the
     * authenticator up for sign-in) or else the password. Failures are {@code InvalidCredentials},
     * {@code LockedOut} or {@code RateLimited}, as from the password check.
     */
    SignInResult signIn(String identity, String passcode, ClientInfo client) {
        Optional<User> user = web.gatehouse.users().findUserByEmail(identity);
        if (user.isPresent() && DIGITS.matcher(passcode).matches() && enabled(FactorMethod.AUTHENTICATOR)
                && twoFactor.signInMethods(user.get()).contains(FactorMethod.AUTHENTICATOR)) {
            return result(user.get(), twoFactor.verify(user.get(), FactorMethod.AUTHENTICATOR, passcode, "", Optional.empty(),
                    client));
        }
        return web.gatehouse.signIn().signIn(identity, passcode, client);
    }

    /**
     * Texts a code to the phone of {@code identity}'s account if it set up SMS sign-in, and sets
     * the challenge cookie either way.
     *
     * @return a wait when codes were sent to this account too often (nothing sent, no cookie)
     */
    Optional<Duration> sendSms(Exchange x, String identity) {
        Optional<User> user = web.gatehouse.users().findUserByEmail(identity)
                .filter(u -> twoFactor.signInMethods(u).contains(FactorMethod.SMS));
        SetupStates.State state = smsStates.start(user.map(User::id).orElse(NO_ACCOUNT), FactorMethod.SMS, Optional.empty(),
                Optional.empty());
        if (user.isPresent()) {
            Optional<Duration> limited;
            try {
                limited = twoFactor.sendCode(user.get(), FactorMethod.SMS, state.challenge(), Optional.empty());
            } catch (dev.gatehouse.error.InvalidInputException e) {
                // No phone or no sender after all: answered like an account without SMS sign-in.
                limited = Optional.empty();
            }
            if (limited.isPresent()) {
                return limited;
            }
        }
        x.response.addHeader("Set-Cookie", web.cookies.persistentCookie(web.cookies.signInChallenge, smsStates.seal(state),
                smsStates.validity()));
        return Optional.empty();
    }

    /** Whether the challenge cookie holds an SMS challenge (sealed) rather than an email one. */
    static boolean isSmsChallenge(String challenge) {
        return ValueSealer.isSealed(challenge);
    }

    /** The texted code, with the SMS challenge from the cookie. */
    SignInResult verifySms(String challenge, String passcode, ClientInfo client) {
        Optional<SetupStates.State> state = smsStates.openAnyUser(challenge);
        Optional<User> user = state.filter(s -> s.userId() != NO_ACCOUNT)
                .flatMap(s -> web.gatehouse.users().findUserById(s.userId()));
        if (user.isEmpty()) {
            return new SignInResult.InvalidCredentials(SignInResult.Reason.INVALID_CODE);
        }
        return result(user.get(), twoFactor.verify(user.get(), FactorMethod.SMS, passcode, state.get().challenge(),
                Optional.empty(), client));
    }

    private SignInResult result(User user, CodeCheck check) {
        return switch (check) {
            case ACCEPTED -> user.isActive() ? new SignInResult.SignedIn(user) : new SignInResult.Disabled(user);
            case LOCKED_OUT -> new SignInResult.LockedOut(user, Optional.empty());
            case RATE_LIMITED -> new SignInResult.RateLimited(Duration.ofMinutes(1));
            default -> new SignInResult.InvalidCredentials(SignInResult.Reason.INVALID_CODE);
        };
    }

    private boolean enabled(FactorMethod method) {
        return web.config.get(US_ENABLED_METHODS).contains(method);
    }
}
