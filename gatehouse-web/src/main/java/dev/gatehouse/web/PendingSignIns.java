package dev.gatehouse.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.user.User;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The partial state of a sign-in after its first factor (Flask-Security's {@code tf_state}): who
 * proved a first factor, how, and what the finished sign-in is to look like. It lives in a sealed
 * cookie of its own, never in a session, so that nothing that checks authentication can mistake
 * it for one: no route, mechanism or CSRF rule reads it but the second-step endpoints.
 *
 * <ul>
 *   <li>Sealed ({@link ValueSealer}, AES-GCM, bound to its own context): the browser can neither
 *       read the user id nor forge or alter a state.</li>
 *   <li>Bound to the user's security stamp: a password change, a reset, turning a factor on or
 *       off — anything that rotates the stamp — ends every pending state.</li>
 *   <li>Short-lived (the longer of {@code two-factor-mail-validity} and {@code two-factor-sms-validity}, the
 *       life of the code it waits for; {@code two-factor-setup-within} while it waits for a setup), checked
 *       against the issue time inside the seal, not only the cookie's Max-Age.</li>
 *   <li>Single use: finishing a sign-in marks its random challenge id used in the
 *       {@link CounterStore} (on every node), so a copy of the cookie cannot finish it again.</li>
 *   <li>HttpOnly, Secure per {@code cookie-secure}, Path=/, and {@code SameSite=Lax}: Strict would
 *       break every first factor that arrives by a cross-site navigation — a passwordless or
 *       confirmation link opened from a webmail page, an OIDC provider's redirect back — because
 *       the browser would then withhold the cookie on the redirect to the second step. Lax sends it
 *       on top-level GETs only; every POST of the second step also needs the login CSRF token.</li>
 * </ul>
 * Thread-safe. For the two-factor setup during sign-in (helper endpoints of {@code /tf-setup}) the
 * same state is read with {@link #current} and finished with {@link WebToolkit}'s second-step completion.
 */
final class PendingSignIns {

    /** Flask-Security's {@code tf_state} values. */
    static final String READY = "ready";
    static final String SETUP_FROM_LOGIN = "setup_from_login";

    private static final String CONTEXT = "gatehouse-tf-pending";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One pending sign-in.
     *
     * @param userId      who proved the first factor
     * @param stamp       their security stamp then; the state dies when it rotates
     * @param remember    whether the finished sign-in sets a remember-me cookie
     * @param next        where to go afterwards (already checked safe), or empty
     * @param firstFactor how the first factor was proven ({@code password}, {@code us-code}, {@code oidc}...)
     * @param challenge   random id of this state: codes sent for it are bound to it, and it is
     *                    marked used when the sign-in finishes
     * @param issuedAt    when the first factor was proven
     * @param state       {@link #READY} or {@link #SETUP_FROM_LOGIN}
     * @param method      the second-factor method chosen on {@code /tf-select} or {@code /tf-rescue}
     *                    ({@code FactorMethod} wire name), else empty for the user's primary method
     */
    record Pending(long userId, String stamp, boolean remember, Optional<String> next, String firstFactor,
            String challenge, Instant issuedAt, String state, Optional<String> method) {

        Pending withMethod(String chosen) {
            return new Pending(userId, stamp, remember, next, firstFactor, challenge, issuedAt, state, Optional.of(chosen));
        }
    }

    private final Gatehouse gatehouse;
    private final Cookies cookies;
    private final ValueSealer sealer;
    private final CounterStore counters;
    private final Duration lifetime;
    private final Duration setupLifetime;
    /** The cookie's name. */
    final String cookieName;

    /**
     * @param lifetime      how long a state waiting for a second factor lives
     * @param setupLifetime how long one waiting for a second factor's setup lives ({@code two-factor-setup-within})
     */
    PendingSignIns(Gatehouse gatehouse, Cookies cookies, Duration lifetime, Duration setupLifetime) {
        this.gatehouse = gatehouse;
        this.cookies = cookies;
        this.sealer = ValueSealer.create(gatehouse.config());
        this.counters = gatehouse.counters();
        this.lifetime = lifetime;
        this.setupLifetime = setupLifetime;
        this.cookieName = cookies.named("tf_state");
    }

    /** How long a pending sign-in in {@code state} lives. */
    Duration lifetime(String state) {
        return state.equals(SETUP_FROM_LOGIN) ? setupLifetime : lifetime;
    }

    /** A new pending sign-in for {@code user}, set as the cookie on the response. */
    Pending start(Exchange x, User user, boolean remember, Optional<String> next, String firstFactor, String state) {
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        Pending pending = new Pending(user.id(), user.securityStamp(), remember, next, firstFactor,
                Base64.getUrlEncoder().withoutPadding().encodeToString(random), gatehouse.clock().instant(), state,
                Optional.empty());
        write(x, pending);
        return pending;
    }

    /** Stores a changed state (a chosen method) in the cookie; its lifetime still runs from the first factor. */
    void write(Exchange x, Pending pending) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("u", pending.userId());
        node.put("s", pending.stamp());
        node.put("r", pending.remember());
        pending.next().ifPresent(next -> node.put("n", next));
        node.put("f", pending.firstFactor());
        node.put("c", pending.challenge());
        node.put("i", pending.issuedAt().toEpochMilli());
        node.put("t", pending.state());
        pending.method().ifPresent(method -> node.put("m", method));
        Duration left = Duration.between(gatehouse.clock().instant(), pending.issuedAt().plus(lifetime(pending.state())));
        x.response.addHeader("Set-Cookie", cookies.persistentCookie(cookieName, sealer.seal(Json.write(node), CONTEXT),
                left.isNegative() ? Duration.ZERO : left));
    }

    /**
     * The request's pending sign-in with its user, if it is still good: it opens, is younger than
     * the lifetime, was not finished yet, and the user still exists, is active and has the same
     * security stamp.
     */
    Optional<Current> current(Exchange x) {
        Optional<Pending> pending = x.request.cookie(cookieName).flatMap(value -> sealer.open(value, CONTEXT))
                .flatMap(PendingSignIns::parse);
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        Pending p = pending.get();
        Instant now = gatehouse.clock().instant();
        if (!now.isBefore(p.issuedAt().plus(lifetime(p.state()))) || p.issuedAt().isAfter(now.plus(TokenSigner.CLOCK_SKEW))
                || counters.get(usedKey(p), now).isPresent()) {
            return Optional.empty();
        }
        Optional<User> user = gatehouse.users().findUserById(p.userId()).filter(User::isActive)
                .filter(u -> MessageDigest.isEqual(u.securityStamp().getBytes(StandardCharsets.UTF_8),
                        p.stamp().getBytes(StandardCharsets.UTF_8)));
        return user.map(u -> new Current(p, u));
    }

    /** A good pending sign-in and its user as they are now. */
    record Current(Pending pending, User user) {
    }

    /**
     * Marks {@code pending} finished; {@code false} if it already was (a replayed cookie, or two
     * requests racing with one state), and then the caller must not sign anyone in.
     */
    boolean consume(Pending pending) {
        Instant now = gatehouse.clock().instant();
        return counters.increment(usedKey(pending), lifetime(pending.state()).plus(TokenSigner.CLOCK_SKEW), now).hits() == 1;
    }

    /** Removes the cookie from the browser. */
    void clear(Exchange x) {
        if (x.request.cookie(cookieName).isPresent()) {
            x.response.addHeader("Set-Cookie", cookies.expired(cookieName));
        }
    }

    private static String usedKey(Pending pending) {
        return "tf-pending:" + pending.challenge();
    }

    private static Optional<Pending> parse(String json) {
        Optional<ObjectNode> node = Json.readObject(json);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode n = node.get();
        for (String field : new String[] {"u", "s", "r", "f", "c", "i", "t"}) {
            if (!n.hasNonNull(field)) {
                // Sealed by us, so only another version's format could lack a field: no state.
                return Optional.empty();
            }
        }
        return Optional.of(new Pending(n.get("u").asLong(), n.get("s").asText(), n.get("r").asBoolean(),
                    Optional.ofNullable(n.get("n")).map(JsonNode::asText), n.get("f").asText(), n.get("c").asText(),
                    Instant.ofEpochMilli(n.get("i").asLong()), n.get("t").asText(),
                    Optional.ofNullable(n.get("m")).map(JsonNode::asText)));
    }
}
