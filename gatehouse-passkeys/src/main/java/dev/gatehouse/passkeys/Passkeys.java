package dev.gatehouse.passkeys;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.auth.SecondFactors;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.Settings;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.user.Passkey;
import dev.gatehouse.user.PasskeyStore;
import dev.gatehouse.user.PasskeyUsage;
import dev.gatehouse.user.User;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebAuthn relying party: the registration and assertion ceremonies of passkeys, over a
 * {@link PasskeyStore}, with webauthn4j doing the verification (W3C WebAuthn Level 3, sections
 * 7.1 and 7.2). No HTTP here; {@link PasskeysFeature} puts it behind Flask-Security's endpoints.
 *
 * <p>Every ceremony starts with 32 random bytes of challenge, sealed with whom it is for and when
 * it expires into a state token ({@link ValueSealer}, AES-GCM under the secret), so any node can
 * finish it; a single-use marker in the {@link CounterStore} makes each state count once.
 * Authenticators get the user's random {@link PasskeyStore#userHandle user handle}, never the
 * email or the numeric id. An assertion signs in only the passkey's owner: its user handle, when
 * sent, must be the owner's, and a ceremony begun for one user accepts only that user's passkeys.
 * A signature counter that does not grow (when either side is non-zero) is refused as a possible
 * cloned authenticator (section 6.1.1).
 *
 * <p>Thread-safe and immutable.
 */
public final class Passkeys {

    private static final Logger LOG = LoggerFactory.getLogger(Passkeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    /** COSE algorithms offered, in order of preference: ES256, EdDSA, RS256. */
    private static final List<Integer> ALGORITHMS = List.of(-7, -8, -257);
    private static final String REGISTER = "register";
    private static final String SIGN_IN = "signin";
    private static final String VERIFY = "verify";
    private static final String SECOND_FACTOR = "second";

    private final PasskeyStore store;
    private final CounterStore counters;
    private final ValueSealer sealer;
    private final Clock clock;
    private final String rpId;
    private final String rpName;
    private final Set<Origin> origins;
    private final UserVerification userVerification;
    private final Duration registerTimeout;
    private final Duration signInTimeout;
    private final Set<PasskeyUsage> verifyUsages;
    private final ObjectConverter converter = new ObjectConverter();
    private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager(converter);

    private Passkeys(Builder b) {
        this.store = b.store;
        this.counters = b.counters;
        this.sealer = b.sealer;
        this.clock = b.clock;
        this.rpId = b.rpId;
        this.rpName = b.rpName;
        this.origins = b.origins.stream().map(Origin::new).collect(Collectors.toUnmodifiableSet());
        this.userVerification = b.userVerification;
        this.registerTimeout = b.registerTimeout;
        this.signInTimeout = b.signInTimeout;
        this.verifyUsages = b.verifyUsages;
    }

    /**
     * The relying party {@code gatehouse}'s configuration describes ({@link PasskeySettings}), on its
     * passkey store, counters and secret.
     *
     * @throws InvalidConfigurationException if neither {@code wan-rp-id} nor {@code external-url}
     *                                       names the relying party, or no origin is allowed
     */
    public static Passkeys create(Gatehouse gatehouse) {
        GatehouseConfig config = gatehouse.config();
        Optional<URI> external = config.get(Settings.EXTERNAL_URL).map(URI::create);
        List<String> problems = new ArrayList<>();
        String rpId = config.get(PasskeySettings.WAN_RP_ID).or(() -> external.map(URI::getHost)).orElse(null);
        if (rpId == null) {
            problems.add("wan-rp-id is not set and neither is external-url: set wan-rp-id to the site's host, e.g. example.com");
        }
        List<String> origins = config.get(PasskeySettings.WAN_ALLOWED_ORIGINS).stream().map(Passkeys::originOf).toList();
        if (origins.isEmpty()) {
            external.ifPresentOrElse(uri -> {
            }, () -> problems.add("wan-allowed-origins is empty and external-url is not set: set one, e.g. https://example.com"));
            origins = external.map(uri -> List.of(originOf(uri.toString()))).orElse(List.of());
        }
        for (String origin : origins) {
            String host = URI.create(origin).getHost();
            if (rpId != null && !(host.equals(rpId) || host.endsWith("." + rpId))) {
                problems.add("wan-allowed-origins has " + origin + ", whose host is not wan-rp-id " + rpId
                        + " or a subdomain of it: browsers would refuse every ceremony there");
            }
        }
        Set<PasskeyUsage> verifyUsages = new LinkedHashSet<>();
        for (String usage : config.get(PasskeySettings.WAN_ALLOW_AS_VERIFY)) {
            PasskeyUsage.fromCode(usage.strip().toLowerCase(Locale.ROOT)).ifPresentOrElse(verifyUsages::add,
                    () -> problems.add("wan-allow-as-verify has " + usage + ": each entry must be first or secondary"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return builder(gatehouse.passkeys(), gatehouse.counters(), ValueSealer.create(config))
                .relyingParty(rpId, config.get(PasskeySettings.WAN_RP_NAME))
                .origins(origins)
                .userVerification(config.get(PasskeySettings.WAN_USER_VERIFICATION))
                .timeouts(config.get(PasskeySettings.WAN_REGISTER_TIMEOUT), config.get(PasskeySettings.WAN_SIGNIN_TIMEOUT))
                .verifyUsages(verifyUsages)
                .clock(gatehouse.clock())
                .build();
    }

    /** A builder over these stores and sealer; {@link Builder#relyingParty} and {@link Builder#origins} are required. */
    public static Builder builder(PasskeyStore store, CounterStore counters, ValueSealer sealer) {
        return new Builder(store, counters, sealer);
    }

    /** The store passkeys live in. */
    public PasskeyStore store() {
        return store;
    }

    // ================================================================ registration (section 7.1)

    /**
     * Starts registering a passkey for {@code user} under {@code name}. The caller has checked that
     * the user may (a fresh session).
     *
     * @throws dev.gatehouse.error.InvalidInputException if the name is malformed
     * @throws dev.gatehouse.user.DuplicatePasskeyException if the user has a passkey of that name
     */
    public Ceremony startRegistration(User user, String name, PasskeyUsage usage) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(usage, "usage");
        Passkey.checkName(name);
        List<Passkey> existing = store.listForUser(user.id());
        if (existing.stream().anyMatch(p -> p.name().equals(name))) {
            throw new dev.gatehouse.user.DuplicatePasskeyException();
        }
        byte[] challenge = challenge();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("rp", Map.of("id", rpId, "name", rpName));
        options.put("user", Map.of("id", store.userHandle(user.id()), "name", user.email(), "displayName", user.email()));
        options.put("challenge", B64.encodeToString(challenge));
        options.put("pubKeyCredParams", ALGORITHMS.stream().map(alg -> Map.of("type", "public-key", "alg", alg)).toList());
        options.put("timeout", registerTimeout.toMillis());
        // The authenticator must not make a second credential for this user (section 5.4, excludeCredentials).
        options.put("excludeCredentials", existing.stream().map(Passkeys::descriptor).toList());
        options.put("authenticatorSelection", Map.of(
                "residentKey", usage == PasskeyUsage.FIRST ? "required" : "discouraged",
                "requireResidentKey", usage == PasskeyUsage.FIRST,
                "userVerification", userVerification.webAuthnValue()));
        options.put("attestation", "none");
        String state = State.of(REGISTER, challenge, user.id(), name, usage, now().plus(registerTimeout)).seal(sealer);
        return new Ceremony(json(options), state);
    }

    /**
     * Finishes a registration: verifies the credential against the state's challenge, the allowed
     * origins and the rp id, and stores the passkey.
     *
     * @param credentialJson the browser's {@code PublicKeyCredential.toJSON()} (RegistrationResponseJSON)
     * @throws PasskeyException                             if the state or the credential is refused
     * @throws dev.gatehouse.user.DuplicatePasskeyException if the credential or the name is registered already
     */
    public Passkey finishRegistration(User user, String state, String credentialJson) {
        Objects.requireNonNull(user, "user");
        State s = open(state, REGISTER, user.id());
        RegistrationData data;
        try {
            data = manager.verifyRegistrationResponseJSON(Objects.requireNonNull(credentialJson, "credentialJson"),
                    new RegistrationParameters(serverProperty(s.challenge()), null,
                            userVerification == UserVerification.REQUIRED, true));
        } catch (RuntimeException e) {
            throw refused("PASSKEY_CREDENTIAL_INVALID", "the passkey could not be verified", e);
        }
        AuthenticatorData<?> authenticatorData = data.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData attested = authenticatorData.getAttestedCredentialData();
        if (attested == null) {
            throw refused("PASSKEY_CREDENTIAL_INVALID", "the passkey could not be verified", null);
        }
        Set<String> transports = data.getTransports() == null ? Set.of() : data.getTransports().stream()
                .map(AuthenticatorTransport::getValue).filter(t -> t.matches("[a-z0-9-]{1,32}")).limit(Passkey.MAX_TRANSPORTS)
                .collect(Collectors.toSet());
        Passkey passkey = Passkey.registered(user.id(), B64.encodeToString(attested.getCredentialId()), s.name(),
                converter.getCborConverter().writeValueAsBytes(attested.getCOSEKey()), authenticatorData.getSignCount(),
                transports, authenticatorData.isFlagBE(), authenticatorData.isFlagBS(), s.usage(), now());
        store.add(passkey);
        return passkey;
    }

    // ================================================================ assertions (section 7.2)

    /**
     * Starts a passkey sign-in. Without a user, the browser offers the user's discoverable
     * passkeys; with one, only that user's first-factor passkeys are allowed. An unknown identity
     * is the caller's to hide: pass an empty user and the answer looks the same.
     */
    public Ceremony startSignIn(Optional<User> user) {
        Objects.requireNonNull(user, "user");
        List<Passkey> allowed = user.map(u -> store.listForUser(u.id()).stream()
                .filter(p -> p.usage() == PasskeyUsage.FIRST).toList()).orElse(List.of());
        return startAssertion(SIGN_IN, user.map(User::id).orElse(0L), allowed);
    }

    /**
     * Finishes a sign-in: the passkey must be registered as a first factor, belong to the user the
     * ceremony was begun for (if any), and its user handle must be its owner's.
     *
     * @throws PasskeyException if refused
     */
    public PasskeyAssertion finishSignIn(String state, String credentialJson) {
        State s = open(state, SIGN_IN, null);
        return finishAssertion(s, credentialJson, Set.of(PasskeyUsage.FIRST));
    }

    /**
     * Starts the second step of {@code user}'s sign-in with one of their second-factor passkeys
     * (usage {@code secondary}); the caller holds the pending sign-in that names the user.
     */
    public Ceremony startSecondFactor(User user) {
        Objects.requireNonNull(user, "user");
        return startAssertion(SECOND_FACTOR, user.id(), store.listForUser(user.id()).stream()
                .filter(p -> p.usage() == PasskeyUsage.SECONDARY).toList());
    }

    /**
     * Finishes the second step of a sign-in: the passkey must be {@code user}'s and registered as a
     * second factor, and the state begun for that user; a passkey of anyone else is refused.
     *
     * @throws PasskeyException if refused
     */
    public PasskeyAssertion finishSecondFactor(User user, String state, String credentialJson) {
        Objects.requireNonNull(user, "user");
        State s = open(state, SECOND_FACTOR, user.id());
        return finishAssertion(s, credentialJson, Set.of(PasskeyUsage.SECONDARY));
    }

    /** Whether {@code user} has a passkey registered as a second factor. */
    public boolean hasSecondFactor(User user) {
        return secondFactors(store).isEnabledFor(user);
    }

    /**
     * "Has a second-factor passkey in {@code store}", for {@code Gatehouse.builder().secondFactors(...)}
     * so that Gatehouse's own flows (a password reset's {@code requiresSecondFactor}) count these
     * passkeys too. The web layer counts them without it, through {@link PasskeysFeature}.
     */
    public static SecondFactors secondFactors(PasskeyStore store) {
        Objects.requireNonNull(store, "store");
        return user -> store.listForUser(user.id()).stream().anyMatch(p -> p.usage() == PasskeyUsage.SECONDARY);
    }

    /**
     * Starts a re-authentication of a signed-in user ({@code /wan-verify}) with any of their passkeys
     * of the usages re-authentication accepts ({@code wan-allow-as-verify}).
     */
    public Ceremony startVerify(User user) {
        Objects.requireNonNull(user, "user");
        return startAssertion(VERIFY, user.id(), store.listForUser(user.id()).stream()
                .filter(p -> verifyUsages.contains(p.usage())).toList());
    }

    /**
     * Finishes a re-authentication: the passkey must be one of {@code user}'s, of a usage
     * re-authentication accepts.
     *
     * @throws PasskeyException if refused
     */
    public PasskeyAssertion finishVerify(User user, String state, String credentialJson) {
        Objects.requireNonNull(user, "user");
        State s = open(state, VERIFY, user.id());
        return finishAssertion(s, credentialJson, verifyUsages);
    }

    private Ceremony startAssertion(String purpose, long userId, List<Passkey> allowed) {
        byte[] challenge = challenge();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("challenge", B64.encodeToString(challenge));
        options.put("timeout", signInTimeout.toMillis());
        options.put("rpId", rpId);
        options.put("allowCredentials", allowed.stream().map(Passkeys::descriptor).toList());
        options.put("userVerification", userVerification.webAuthnValue());
        String state = State.of(purpose, challenge, userId, "-", PasskeyUsage.FIRST, now().plus(signInTimeout)).seal(sealer);
        return new Ceremony(json(options), state);
    }

    private PasskeyAssertion finishAssertion(State s, String credentialJson, Set<PasskeyUsage> usages) {
        Objects.requireNonNull(credentialJson, "credentialJson");
        AuthenticationData parsed;
        try {
            parsed = manager.parseAuthenticationResponseJSON(credentialJson);
        } catch (RuntimeException e) {
            throw refused("PASSKEY_CREDENTIAL_INVALID", "the passkey could not be verified", e);
        }
        String credentialId = B64.encodeToString(parsed.getCredentialId());
        Passkey passkey = store.find(credentialId)
                .filter(p -> usages.contains(p.usage()))
                .orElseThrow(() -> refused("PASSKEY_UNKNOWN_CREDENTIAL", "this passkey is not registered for this", null));
        try {
            return verifyAssertion(s, parsed, passkey, credentialId);
        } catch (PasskeyException e) {
            // A known passkey failed: the attempt counts against its owner too, not only the client.
            throw e.presentedBy(passkey.userId());
        }
    }

    private PasskeyAssertion verifyAssertion(State s, AuthenticationData parsed, Passkey passkey, String credentialId) {
        if (s.userId() != 0 && passkey.userId() != s.userId()) {
            throw refused("PASSKEY_WRONG_USER", "this passkey belongs to another account", null);
        }
        byte[] userHandle = parsed.getUserHandle();
        if (userHandle != null && userHandle.length > 0) {
            String ownerHandle = store.userHandle(passkey.userId());
            if (!MessageDigest.isEqual(userHandle, ownerHandle.getBytes(StandardCharsets.US_ASCII))
                    && !MessageDigest.isEqual(userHandle, decodeOrEmpty(ownerHandle))) {
                throw refused("PASSKEY_WRONG_USER", "this passkey belongs to another account", null);
            }
        } else if (s.userId() == 0) {
            // A discoverable-credential sign-in must return the user handle (section 7.2, step 6).
            throw refused("PASSKEY_CREDENTIAL_INVALID", "the passkey could not be verified", null);
        }
        AuthenticationData data;
        try {
            data = manager.verify(parsed, new AuthenticationParameters(serverProperty(s.challenge()), credentialRecord(passkey),
                    List.of(parsed.getCredentialId()), userVerification == UserVerification.REQUIRED, true));
        } catch (MaliciousCounterValueException e) {
            LOG.warn("Refused a passkey assertion of user {} whose signature counter did not grow: a cloned authenticator?",
                    passkey.userId());
            throw refused("PASSKEY_COUNTER_REGRESSION", "the passkey could not be verified", e);
        } catch (RuntimeException e) {
            throw refused("PASSKEY_CREDENTIAL_INVALID", "the passkey could not be verified", e);
        }
        AuthenticatorData<?> authenticatorData = data.getAuthenticatorData();
        long signCount = authenticatorData.getSignCount();
        store.recordUse(credentialId, signCount, authenticatorData.isFlagBS(), now());
        return new PasskeyAssertion(passkey.userId(), store.find(credentialId).orElse(passkey), authenticatorData.isFlagUV());
    }

    // ================================================================ internals

    private CredentialRecordImpl credentialRecord(Passkey passkey) {
        COSEKey key = converter.getCborConverter().readValue(passkey.publicKeyCose(), COSEKey.class);
        AttestedCredentialData attested = new AttestedCredentialData(AAGUID.NULL, B64D.decode(passkey.credentialId()), key);
        return new CredentialRecordImpl(new NoneAttestationStatement(), null, passkey.backupEligible(), passkey.backedUp(),
                passkey.signCount(), attested, null, null, null, null);
    }

    private ServerProperty serverProperty(byte[] challenge) {
        return ServerProperty.builder().origins(origins).rpId(rpId).challenge(new DefaultChallenge(challenge)).build();
    }

    /**
     * Opens a state token of {@code purpose} (for {@code userId}, if given) and spends it.
     * Expired, foreign, tampered and replayed tokens are all the same refusal.
     */
    private State open(String token, String purpose, Long userId) {
        Objects.requireNonNull(token, "state");
        Instant now = now();
        State s = sealer.open(token, "gatehouse/passkeys/" + purpose).flatMap(State::parse)
                .filter(st -> st.purpose().equals(purpose))
                .filter(st -> userId == null || st.userId() == userId)
                .filter(st -> now.isBefore(st.expiresAt()))
                .orElseThrow(() -> refused("PASSKEY_STATE_INVALID", "the passkey ceremony expired or is unknown", null));
        Duration left = Duration.between(now, s.expiresAt());
        long hits = counters.increment("wan:" + B64.encodeToString(s.challenge()), left.plusSeconds(1), now).hits();
        if (hits != 1) {
            throw refused("PASSKEY_STATE_INVALID", "the passkey ceremony expired or is unknown", null);
        }
        return s;
    }

    private static PasskeyException refused(String code, String message, Throwable cause) {
        LOG.debug("Passkey ceremony refused: {}", code);
        return cause == null ? new PasskeyException(code, message) : new PasskeyException(code, message, cause);
    }

    private static Map<String, Object> descriptor(Passkey passkey) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("type", "public-key");
        descriptor.put("id", passkey.credentialId());
        if (!passkey.transports().isEmpty()) {
            descriptor.put("transports", List.copyOf(passkey.transports()));
        }
        return descriptor;
    }

    private String json(Map<String, Object> value) {
        return converter.getJsonConverter().writeValueAsString(value);
    }

    private Instant now() {
        return clock.instant();
    }

    private static byte[] challenge() {
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        return challenge;
    }

    private static byte[] decodeOrEmpty(String base64url) {
        try {
            return B64D.decode(base64url);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    static String originOf(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** What a state token carries, sealed: {@code purpose|challenge|userId|name|usage|expiresAt}. */
    private record State(String purpose, byte[] challenge, long userId, String name, PasskeyUsage usage, Instant expiresAt) {

        static State of(String purpose, byte[] challenge, long userId, String name, PasskeyUsage usage, Instant expiresAt) {
            return new State(purpose, challenge, userId, name, usage, expiresAt);
        }

        String seal(ValueSealer sealer) {
            String plain = String.join("|", purpose, B64.encodeToString(challenge), Long.toString(userId),
                    B64.encodeToString(name.getBytes(StandardCharsets.UTF_8)), usage.code(),
                    Long.toString(expiresAt.toEpochMilli()));
            return sealer.seal(plain, "gatehouse/passkeys/" + purpose);
        }

        static Optional<State> parse(String plain) {
            String[] parts = plain.split("\\|", -1);
            if (parts.length != 6) {
                return Optional.empty();
            }
            try {
                return Optional.of(new State(parts[0], B64D.decode(parts[1]), Long.parseLong(parts[2]),
                        new String(B64D.decode(parts[3]), StandardCharsets.UTF_8),
                        PasskeyUsage.fromCode(parts[4]).orElseThrow(), Instant.ofEpochMilli(Long.parseLong(parts[5]))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Builds a {@link Passkeys}; {@link #relyingParty} and {@link #origins} are required, the rest
     * has defaults (user verification preferred, 60-second ceremonies, the system UTC clock).
     */
    public static final class Builder {
        private final PasskeyStore store;
        private final CounterStore counters;
        private final ValueSealer sealer;
        private Clock clock = Clock.systemUTC();
        private String rpId;
        private String rpName;
        private Set<String> origins = Set.of();
        private UserVerification userVerification = UserVerification.PREFERRED;
        private Duration registerTimeout = Duration.ofSeconds(60);
        private Duration signInTimeout = Duration.ofSeconds(60);
        private Set<PasskeyUsage> verifyUsages = Set.of(PasskeyUsage.FIRST, PasskeyUsage.SECONDARY);

        private Builder(PasskeyStore store, CounterStore counters, ValueSealer sealer) {
            this.store = Objects.requireNonNull(store, "store");
            this.counters = Objects.requireNonNull(counters, "counters");
            this.sealer = Objects.requireNonNull(sealer, "sealer");
        }

        /** The relying party id (a host, e.g. {@code example.com}) and the name authenticators show. */
        public Builder relyingParty(String id, String name) {
            this.rpId = Objects.requireNonNull(id, "id").toLowerCase(Locale.ROOT);
            this.rpName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The origins ({@code https://example.com}) whose pages may run ceremonies. */
        public Builder origins(List<String> origins) {
            this.origins = origins.stream().map(Passkeys::originOf).collect(Collectors.toCollection(LinkedHashSet::new));
            return this;
        }

        /** Whether authenticators must verify the user. */
        public Builder userVerification(UserVerification userVerification) {
            this.userVerification = Objects.requireNonNull(userVerification, "userVerification");
            return this;
        }

        /** How long registration and sign-in ceremonies stay valid. */
        public Builder timeouts(Duration register, Duration signIn) {
            this.registerTimeout = Objects.requireNonNull(register, "register");
            this.signInTimeout = Objects.requireNonNull(signIn, "signIn");
            return this;
        }

        /** Which passkeys re-authenticate ({@code wan-allow-as-verify}); both usages by default. */
        public Builder verifyUsages(Set<PasskeyUsage> usages) {
            this.verifyUsages = Set.copyOf(usages);
            return this;
        }

        /** The clock for expiry and timestamps. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The relying party.
         *
         * @throws IllegalStateException if the relying party or the origins are missing
         */
        public Passkeys build() {
            if (rpId == null || origins.isEmpty()) {
                throw new IllegalStateException("a relying party id and at least one origin are required");
            }
            return new Passkeys(this);
        }
    }
}
