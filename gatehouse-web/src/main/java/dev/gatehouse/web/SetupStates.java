package dev.gatehouse.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.twofactor.FactorMethod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The state of a factor being set up between "send me a code / show me the QR code" and "here is
 * the code" — Flask-Security's {@code tf_state_token} and {@code us-setup} {@code state}: which
 * user, which method, the new (already sealed) TOTP secret, the phone number and the challenge the
 * emailed or texted code is bound to. It travels to the client and back in the path
 * ({@code /tf-setup/<state>}) sealed with {@link ValueSealer} under a purpose of its own, so the
 * client can neither read nor alter it, nor use a /us-setup state at /tf-setup; it dies after its
 * validity and only works for the user it was made for. Thread-safe.
 */
final class SetupStates {

    /** One setup in progress. */
    record State(long userId, FactorMethod method, Optional<String> sealedSecret, Optional<String> phone,
            String challenge) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ValueSealer sealer;
    private final Clock clock;
    private final String purpose;
    private final Duration validity;

    SetupStates(ValueSealer sealer, Clock clock, String purpose, Duration validity) {
        this.sealer = sealer;
        this.clock = clock;
        this.purpose = "gatehouse/setup-state/" + purpose;
        this.validity = validity;
    }

    /** A new state for {@code method}, with a fresh random challenge. */
    State start(long userId, FactorMethod method, Optional<String> sealedSecret, Optional<String> phone) {
        return new State(userId, method, sealedSecret, phone, OneTimeSecret.generate().value());
    }

    /** {@code state} sealed, URL-safe, valid for this purpose's validity from now. */
    String seal(State state) {
        ObjectNode node = JSON.createObjectNode();
        node.put("u", state.userId());
        node.put("m", state.method().wireName());
        state.sealedSecret().ifPresent(secret -> node.put("s", secret));
        state.phone().ifPresent(phone -> node.put("p", phone));
        node.put("c", state.challenge());
        node.put("e", clock.instant().plus(validity).getEpochSecond());
        return sealer.seal(node.toString(), purpose);
    }

    /** Why a presented state does not work. */
    enum Problem { INVALID, EXPIRED }

    /**
     * The state {@code sealed} holds if it was sealed here for {@code userId}; otherwise the
     * problem (an expired state of this user is told apart, anything else is just invalid).
     */
    Result open(String sealed, long userId) {
        Result opened = open(sealed);
        return opened.state().isPresent() && opened.state().get().userId() != userId
                ? new Result(Optional.empty(), Optional.of(Problem.INVALID)) : opened;
    }

    /** The state {@code sealed} holds, whoever it was made for, if it was sealed here and is still valid. */
    Optional<State> openAnyUser(String sealed) {
        return open(sealed).state();
    }

    private Result open(String sealed) {
        Optional<String> plain = sealer.open(sealed, purpose);
        if (plain.isEmpty()) {
            return new Result(Optional.empty(), Optional.of(Problem.INVALID));
        }
        try {
            JsonNode node = JSON.readTree(plain.get());
            Optional<FactorMethod> method = FactorMethod.fromWire(node.path("m").asText());
            if (!node.path("u").canConvertToLong() || method.isEmpty()) {
                return new Result(Optional.empty(), Optional.of(Problem.INVALID));
            }
            if (!clock.instant().isBefore(Instant.ofEpochSecond(node.path("e").asLong()))) {
                return new Result(Optional.empty(), Optional.of(Problem.EXPIRED));
            }
            return new Result(Optional.of(new State(node.path("u").asLong(), method.get(), text(node, "s"), text(node, "p"),
                    node.path("c").asText())), Optional.empty());
        } catch (java.io.IOException e) {
            return new Result(Optional.empty(), Optional.of(Problem.INVALID));
        }
    }

    /** Either a state or why there is none. */
    record Result(Optional<State> state, Optional<Problem> problem) {
    }

    Duration validity() {
        return validity;
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }
}
