package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.API_ENABLED_METHODS;
import static dev.gatehouse.config.Settings.CSRF_PROTECT_MECHANISMS;
import static dev.gatehouse.config.Settings.HTTP_AUTH_REALM;
import static dev.gatehouse.config.Settings.REMEMBER_COOKIE_DURATION;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.session.IssuedSession;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who sent a request: walks the registered {@link AuthenticationMechanism}s in order, limited to
 * the ones a route allows, and caches the result in the request's {@link Exchange}; signs users
 * in and out by session (cookies included). Thread-safe.
 */
final class Authenticator {

    private final Gatehouse gatehouse;
    private final GatehouseConfig config;
    private final Cookies cookies;
    /** In the order they are tried; an array so that the walk on every request allocates nothing. */
    private final AuthenticationMechanism[] mechanisms;
    private final AuthenticationMechanism token;
    private final AuthenticationMechanism session;
    /** {@code api-enabled-methods}: tried where a route names none. */
    final Set<Mechanism> defaultMechanisms;
    /** {@code csrf-protect-mechanisms}. */
    final Set<Mechanism> csrfMechanisms;
    /** HTTP Basic's credential check, told the features' second factors once they are known. */
    final BasicCredentials basic;
    /** Every registered mechanism: what a sign-in or sign-out in this request settles. */
    private final Set<Mechanism> all;

    /**
     * @param added the application's mechanisms, tried after the built-in token, session and Basic
     * @throws IllegalArgumentException if two mechanisms share a name, or a setting names an unregistered one
     */
    Authenticator(Gatehouse gatehouse, Cookies cookies, List<AuthenticationMechanism> added) {
        this.gatehouse = gatehouse;
        this.config = gatehouse.config();
        this.cookies = cookies;
        this.token = new TokenMechanism(gatehouse);
        this.session = new SessionMechanism(gatehouse, cookies);
        this.basic = new BasicCredentials(gatehouse);
        List<AuthenticationMechanism> ordered = new ArrayList<>(List.of(token, session,
                new BasicMechanism(basic, config.get(HTTP_AUTH_REALM))));
        ordered.addAll(added);
        Map<Mechanism, AuthenticationMechanism> byName = new LinkedHashMap<>();
        for (AuthenticationMechanism mechanism : ordered) {
            if (byName.putIfAbsent(mechanism.mechanism(), mechanism) != null) {
                throw new IllegalArgumentException("two authentication mechanisms are named " + mechanism.mechanism().settingName());
            }
        }
        this.mechanisms = ordered.toArray(AuthenticationMechanism[]::new);
        this.all = Set.copyOf(byName.keySet());
        Set<Mechanism> defaults = registered("api-enabled-methods", config.get(API_ENABLED_METHODS));
        this.defaultMechanisms = defaults.isEmpty() ? Set.of(Mechanism.TOKEN, Mechanism.SESSION) : defaults;
        this.csrfMechanisms = registered("csrf-protect-mechanisms", config.get(CSRF_PROTECT_MECHANISMS));
    }

    /** The mechanisms a setting names, each of which must be registered. */
    private Set<Mechanism> registered(String setting, List<String> names) {
        Set<Mechanism> named = Mechanism.fromSettingNames(names);
        for (Mechanism mechanism : named) {
            if (!all.contains(mechanism)) {
                throw new IllegalArgumentException(setting + " names the authentication mechanism \""
                        + mechanism.settingName() + "\", which is not registered; registered: " + names(all));
            }
        }
        return Set.copyOf(named);
    }

    private List<String> names(Set<Mechanism> set) {
        List<String> names = new ArrayList<>();
        for (AuthenticationMechanism mechanism : mechanisms) {
            if (set.contains(mechanism.mechanism())) {
                names.add(mechanism.mechanism().settingName());
            }
        }
        return names;
    }

    /**
     * The WWW-Authenticate challenges of the allowed mechanisms, in order; empty for most routes.
     */
    List<String> challenges(Set<Mechanism> allowed) {
        List<String> challenges = List.of();
        for (AuthenticationMechanism mechanism : mechanisms) {
            if (allowed.contains(mechanism.mechanism()) && mechanism.challenge().isPresent()) {
                if (challenges.isEmpty()) {
                    challenges = new ArrayList<>();
                }
                challenges.add(mechanism.challenge().get());
            }
        }
        return challenges;
    }

    /** The {@code insufficient_scope} challenge of the mechanism named {@code mechanism}, if it has one. */
    Optional<String> insufficientScope(Mechanism mechanism, List<String> required) {
        for (AuthenticationMechanism candidate : mechanisms) {
            if (candidate.mechanism().equals(mechanism)) {
                return candidate.insufficientScope(required);
            }
        }
        return Optional.empty();
    }

    /**
     * Who the request proves to be by one of the {@code allowed} mechanisms, tried in order; at
     * most once per request for the same mechanisms (or when what authenticated is allowed).
     */
    Optional<Authentication> authenticate(Exchange x, Set<Mechanism> allowed) {
        if (x.authentication != null) {
            if (x.authenticatedWith.equals(allowed)
                    || x.authentication.isPresent() && allowed.contains(x.authentication.get().mechanism())) {
                return x.authentication;
            }
        }
        Optional<Authentication> result = Optional.empty();
        x.rejectedBy = null;
        x.rejection = null;
        // A mechanism that rejects presented credentials ends the walk: the next one must not
        // answer for a request as if it had sent nothing (and, say, redirect it to the login page).
        for (int i = 0; i < mechanisms.length && result.isEmpty() && x.rejectedBy == null; i++) {
            if (allowed.contains(mechanisms[i].mechanism())) {
                result = mechanisms[i].authenticate(x);
            }
        }
        if (result.isPresent()) {
            x.rejectedBy = null;
            x.rejection = null;
        }
        x.authentication = result;
        x.authenticatedWith = allowed;
        return result;
    }

    /** By the default mechanisms ({@code api-enabled-methods}). */
    Optional<Authentication> authenticate(Exchange x) {
        return authenticate(x, defaultMechanisms);
    }

    /** The API token the request presents, if it is valid; leaves the request's authentication alone. */
    Optional<Authentication> tokenAuthentication(Exchange x) {
        return token.authenticate(x);
    }

    /** The live session the request's session cookie stands for, whatever the request authenticated with. */
    Optional<SessionRecord> cookieSession(Exchange x) {
        Optional<SessionRecord> authenticated = x.authentication == null ? Optional.empty()
                : x.authentication.flatMap(Authentication::session);
        if (authenticated.isPresent()) {
            return authenticated;
        }
        return x.request.cookie(cookies.session).flatMap(gatehouse.sessions()::resume).flatMap(Authentication::session);
    }

    /** See {@link GatehouseWeb#login}. */
    void login(Exchange x, User user, boolean remember, Optional<Duration> rememberFor, boolean fresh) {
        endCurrentSession(x);
        user = gatehouse.signIn().recordSignIn(user, x.client());
        IssuedSession issued = fresh
                ? gatehouse.sessions().start(user, remember, rememberFor, x.client())
                : gatehouse.sessions().startStale(user, remember, rememberFor, x.client());
        x.response.addHeader("Set-Cookie", cookies.sessionCookie(cookies.session, issued.secret()));
        issued.rememberSecret().ifPresent(secret -> x.response.addHeader("Set-Cookie",
                cookies.persistentCookie(cookies.remember, secret, rememberFor.orElse(config.get(REMEMBER_COOKIE_DURATION)))));
        x.authentication = Optional.of(new Authentication(user, Mechanism.SESSION, issued.record().authenticatedAt(),
                Optional.of(issued.record())));
        x.authenticatedWith = all;
    }

    /** See {@link GatehouseWeb#logout}. */
    void logout(Exchange x) {
        if (x.authentication != null) {
            x.authentication.filter(a -> a.mechanism().equals(Mechanism.TOKEN))
                    .ifPresent(a -> a.familyId().ifPresent(family -> gatehouse.sessions().endFamily(a.user().id(), family,
                            x.client())));
        }
        endCurrentSession(x);
        // The readable CSRF cookie names a token of the ended session: useless, but tidy it away.
        cookies.readableCsrf.filter(name -> x.request.cookie(name).isPresent())
                .ifPresent(name -> x.response.addHeader("Set-Cookie", cookies.expired(name)));
        x.authentication = Optional.empty();
        x.authenticatedWith = all;
    }

    /** Replaces the session after a re-authentication, keeping the remember-me grant. */
    void renewSession(Exchange x, SessionRecord old, User user) {
        IssuedSession issued = gatehouse.sessions().renew(old, user, x.client());
        x.response.addHeader("Set-Cookie", cookies.sessionCookie(cookies.session, issued.secret()));
        x.authentication = Optional.of(new Authentication(user, Mechanism.SESSION, issued.record().authenticatedAt(),
                Optional.of(issued.record())));
    }

    /** Ends the request's session and remember-me grant, if any, and clears their cookies. */
    void endCurrentSession(Exchange x) {
        Optional<Authentication> current = x.authentication != null ? x.authentication : session.authenticate(x);
        // A request authenticated otherwise (by token) may still carry a session cookie, which is
        // cleared below: its session must end too, or a copy of the cookie keeps working.
        Optional<SessionRecord> ended = current.flatMap(Authentication::session)
                .or(() -> x.request.cookie(cookies.session).flatMap(gatehouse.sessions()::resume).flatMap(Authentication::session));
        ended.ifPresent(gatehouse.sessions()::end);
        x.request.cookie(cookies.remember).ifPresent(gatehouse.sessions()::endRemembered);
        // A session restored from the remember-me cookie in this request already set a session
        // cookie on the response, though the request sent none: clear that one too.
        if (ended.isPresent() || x.request.cookie(cookies.session).isPresent()) {
            x.response.addHeader("Set-Cookie", cookies.expired(cookies.session));
        }
        if (x.request.cookie(cookies.remember).isPresent()) {
            x.response.addHeader("Set-Cookie", cookies.expired(cookies.remember));
        }
    }
}
