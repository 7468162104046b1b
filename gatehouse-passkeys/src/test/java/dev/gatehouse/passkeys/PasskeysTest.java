package dev.gatehouse.passkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.Settings;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.DuplicatePasskeyException;
import dev.gatehouse.user.InMemoryPasskeyStore;
import dev.gatehouse.user.InMemoryUserStore;
import dev.gatehouse.user.Passkey;
import dev.gatehouse.user.PasskeyUsage;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ceremonies of {@link Passkeys} against webauthn4j-test's software authenticator: what the
 * relying party must accept (WebAuthn Level 3, sections 7.1 and 7.2) and what it must refuse.
 */
class PasskeysTest {

    private static final String ORIGIN = "https://login.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestGatehouse t;
    private Passkeys passkeys;
    private User alice;
    private User bob;
    private SoftwareAuthenticator aliceKey;
    private SoftwareAuthenticator bobKey;

    @BeforeEach
    void setUp() {
        t = new TestGatehouse(c -> c.set(Settings.EXTERNAL_URL, ORIGIN + "/app"));
        passkeys = Passkeys.create(t.gatehouse);
        alice = t.user("alice@example.com", "correct horse battery staple");
        bob = t.user("bob@example.com", "correct horse battery staple");
        aliceKey = new SoftwareAuthenticator(ORIGIN);
        bobKey = new SoftwareAuthenticator(ORIGIN);
    }

    private Passkey register(User user, SoftwareAuthenticator key, String name) throws Exception {
        Ceremony ceremony = passkeys.startRegistration(user, name, PasskeyUsage.FIRST);
        return passkeys.finishRegistration(user, ceremony.state(), key.create(ceremony.optionsJson()));
    }

    @Test
    void registrationOptions_carryTheRelyingParty_aRandomUserHandle_andA32ByteChallenge() throws Exception {
        JsonNode options = JSON.readTree(passkeys.startRegistration(alice, "Laptop", PasskeyUsage.FIRST).optionsJson());
        JsonNode again = JSON.readTree(passkeys.startRegistration(alice, "Laptop", PasskeyUsage.FIRST).optionsJson());

        assertThat(options.at("/rp/id").asText()).isEqualTo("login.example.com");
        String handle = options.at("/user/id").asText();
        assertThat(handle).isEqualTo(t.gatehouse.passkeys().userHandle(alice.id()))
                .isNotEqualTo(Long.toString(alice.id())).doesNotContain("alice");
        assertThat(again.at("/user/id").asText()).isEqualTo(handle);
        assertThat(java.util.Base64.getUrlDecoder().decode(options.get("challenge").asText())).hasSize(32);
        assertThat(again.get("challenge").asText()).isNotEqualTo(options.get("challenge").asText());
        assertThat(options.at("/authenticatorSelection/residentKey").asText()).isEqualTo("required");
    }

    @Test
    void register_thenSignInWithoutIdentity_discoverable_signsInTheOwner_andStoresCounterAndFlags() throws Exception {
        Passkey registered = register(alice, aliceKey, "Laptop");

        assertThat(registered.userId()).isEqualTo(alice.id());
        assertThat(registered.usage()).isEqualTo(PasskeyUsage.FIRST);
        assertThat(registered.transports()).containsExactly("internal");
        assertThat(t.gatehouse.passkeys().listForUser(alice.id())).containsExactly(registered);

        t.clock.advance(Duration.ofSeconds(5));
        Ceremony signIn = passkeys.startSignIn(Optional.empty());
        assertThat(JSON.readTree(signIn.optionsJson()).get("allowCredentials")).isEmpty();
        PasskeyAssertion assertion = passkeys.finishSignIn(signIn.state(), aliceKey.get(signIn.optionsJson()));

        assertThat(assertion.userId()).isEqualTo(alice.id());
        assertThat(assertion.passkey().lastUsedAt()).contains(t.clock.instant());
        assertThat(assertion.passkey().signCount()).isGreaterThan(registered.signCount());
    }

    @Test
    void signInWithIdentity_allowsOnlyThatUsersPasskeys() throws Exception {
        Passkey alices = register(alice, aliceKey, "Laptop");
        register(bob, bobKey, "Phone");

        Ceremony forAlice = passkeys.startSignIn(Optional.of(alice));
        JsonNode allowed = JSON.readTree(forAlice.optionsJson()).get("allowCredentials");
        assertThat(allowed).hasSize(1);
        assertThat(allowed.get(0).get("id").asText()).isEqualTo(alices.credentialId());
        assertThat(passkeys.finishSignIn(forAlice.state(), aliceKey.get(forAlice.optionsJson())).userId()).isEqualTo(alice.id());

        // Bob's authenticator answers a ceremony begun for Alice: refused, whoever's passkey it is.
        Ceremony forAliceAgain = passkeys.startSignIn(Optional.of(alice));
        String bobsAnswer = bobKey.get(withoutAllowList(forAliceAgain.optionsJson()));
        assertRefused(() -> passkeys.finishSignIn(forAliceAgain.state(), bobsAnswer), "PASSKEY_WRONG_USER");
    }

    @Test
    void aCredentialOfOneUser_neverSignsInAnother_evenWithTheOtherUsersHandle() throws Exception {
        register(alice, aliceKey, "Laptop");
        register(bob, bobKey, "Phone");
        String bobsHandle = t.gatehouse.passkeys().userHandle(bob.id());

        Ceremony signIn = passkeys.startSignIn(Optional.empty());
        String alicesAnswer = aliceKey.get(signIn.optionsJson());
        // The user handle is outside the signature: a client can swap it, the relying party must not believe it.
        String forged = SoftwareAuthenticator.withResponseField(alicesAnswer, "userHandle", bobsHandle);

        assertRefused(() -> passkeys.finishSignIn(signIn.state(), forged), "PASSKEY_WRONG_USER");
    }

    @Test
    void reAuthentication_acceptsOnlyTheSignedInUsersPasskey() throws Exception {
        register(alice, aliceKey, "Laptop");
        register(bob, bobKey, "Phone");

        Ceremony verify = passkeys.startVerify(alice);
        assertThat(passkeys.finishVerify(alice, verify.state(), aliceKey.get(verify.optionsJson())).userId()).isEqualTo(alice.id());

        Ceremony verifyBob = passkeys.startVerify(bob);
        String alicesAnswer = aliceKey.get(withoutAllowList(verifyBob.optionsJson()));
        assertRefused(() -> passkeys.finishVerify(bob, verifyBob.state(), alicesAnswer), "PASSKEY_WRONG_USER");

        // A state begun for Alice is not Bob's to finish.
        Ceremony aliceAgain = passkeys.startVerify(alice);
        String answer = aliceKey.get(aliceAgain.optionsJson());
        assertRefused(() -> passkeys.finishVerify(bob, aliceAgain.state(), answer), "PASSKEY_STATE_INVALID");
    }

    @Test
    void aChallenge_isSingleUse() throws Exception {
        register(alice, aliceKey, "Laptop");
        Ceremony signIn = passkeys.startSignIn(Optional.empty());
        String answer = aliceKey.get(signIn.optionsJson());
        passkeys.finishSignIn(signIn.state(), answer);

        assertRefused(() -> passkeys.finishSignIn(signIn.state(), answer), "PASSKEY_STATE_INVALID");

        Ceremony registration = passkeys.startRegistration(alice, "Second", PasskeyUsage.FIRST);
        String created = new SoftwareAuthenticator(ORIGIN).create(registration.optionsJson());
        passkeys.finishRegistration(alice, registration.state(), created);
        assertRefused(() -> passkeys.finishRegistration(alice, registration.state(), created), "PASSKEY_STATE_INVALID");
    }

    @Test
    void aChallenge_isShortLived_andTamperedOrForeignStatesAreRefused() throws Exception {
        register(alice, aliceKey, "Laptop");
        Ceremony signIn = passkeys.startSignIn(Optional.empty());
        String answer = aliceKey.get(signIn.optionsJson());

        t.clock.advance(Duration.ofSeconds(61));
        assertRefused(() -> passkeys.finishSignIn(signIn.state(), answer), "PASSKEY_STATE_INVALID");

        Ceremony verify = passkeys.startVerify(alice);
        String verifyAnswer = aliceKey.get(verify.optionsJson());
        assertRefused(() -> passkeys.finishSignIn(verify.state(), verifyAnswer), "PASSKEY_STATE_INVALID");
        assertRefused(() -> passkeys.finishSignIn(verify.state() + "x", verifyAnswer), "PASSKEY_STATE_INVALID");
    }

    @Test
    void anAnswerToAnotherChallenge_isRefused() throws Exception {
        register(alice, aliceKey, "Laptop");
        Ceremony first = passkeys.startSignIn(Optional.empty());
        Ceremony second = passkeys.startSignIn(Optional.empty());

        String answerToFirst = aliceKey.get(first.optionsJson());

        assertRefused(() -> passkeys.finishSignIn(second.state(), answerToFirst), "PASSKEY_CREDENTIAL_INVALID");
    }

    @Test
    void aSignatureCounterThatDoesNotGrow_isRefusedAsAPossibleClone() throws Exception {
        Passkey registered = register(alice, aliceKey, "Laptop");
        // The server has seen a higher count than the authenticator will send: another copy of the key was used.
        t.gatehouse.passkeys().recordUse(registered.credentialId(), 1_000, false, t.clock.instant());

        Ceremony signIn = passkeys.startSignIn(Optional.empty());
        String answer = aliceKey.get(signIn.optionsJson());

        assertRefused(() -> passkeys.finishSignIn(signIn.state(), answer), "PASSKEY_COUNTER_REGRESSION");
        assertThat(t.gatehouse.passkeys().find(registered.credentialId()).orElseThrow().signCount()).isEqualTo(1_000);
    }

    @Test
    void aCeremonyFromAnotherOrigin_isRefused_atRegistrationAndSignIn() throws Exception {
        SoftwareAuthenticator phished = new SoftwareAuthenticator("https://login.example.com.evil.example");
        Ceremony registration = passkeys.startRegistration(alice, "Laptop", PasskeyUsage.FIRST);
        String created = phished.create(registration.optionsJson());
        assertRefused(() -> passkeys.finishRegistration(alice, registration.state(), created), "PASSKEY_CREDENTIAL_INVALID");
        assertThat(t.gatehouse.passkeys().listForUser(alice.id())).isEmpty();

        register(alice, aliceKey, "Laptop");
        aliceKey.origin("https://evil.example");
        Ceremony signIn = passkeys.startSignIn(Optional.empty());
        String answer = aliceKey.get(signIn.optionsJson());
        assertRefused(() -> passkeys.finishSignIn(signIn.state(), answer), "PASSKEY_CREDENTIAL_INVALID");
    }

    @Test
    void aCredentialScopedToAnotherRpId_isRefused_atRegistration() throws Exception {
        SoftwareAuthenticator elsewhere = new SoftwareAuthenticator(ORIGIN);
        elsewhere.rpIdOverride = "example.org";
        Ceremony registration = passkeys.startRegistration(alice, "Laptop", PasskeyUsage.FIRST);
        String created = elsewhere.create(registration.optionsJson());

        // The rp id hash in the authenticator data is not this relying party's (section 7.1, step 13).
        assertRefused(() -> passkeys.finishRegistration(alice, registration.state(), created), "PASSKEY_CREDENTIAL_INVALID");
        assertThat(t.gatehouse.passkeys().listForUser(alice.id())).isEmpty();
    }

    @Test
    void aSecondFactorPasskey_doesNotSignIn_butReAuthenticates() throws Exception {
        Ceremony registration = passkeys.startRegistration(alice, "Key", PasskeyUsage.SECONDARY);
        assertThat(JSON.readTree(registration.optionsJson()).at("/authenticatorSelection/residentKey").asText())
                .isEqualTo("discouraged");
        passkeys.finishRegistration(alice, registration.state(), aliceKey.create(registration.optionsJson()));

        Ceremony signIn = passkeys.startSignIn(Optional.of(alice));
        assertThat(JSON.readTree(signIn.optionsJson()).get("allowCredentials")).isEmpty();
        Ceremony verify = passkeys.startVerify(alice);
        String answer = aliceKey.get(verify.optionsJson());
        assertThat(passkeys.finishVerify(alice, verify.state(), answer).userId()).isEqualTo(alice.id());
    }

    @Test
    void names_areUniquePerUser_andRegistrationsAreUniqueCredentials() throws Exception {
        register(alice, aliceKey, "Laptop");

        assertThatThrownBy(() -> passkeys.startRegistration(alice, "Laptop", PasskeyUsage.FIRST))
                .isInstanceOf(DuplicatePasskeyException.class);
        JsonNode options = JSON.readTree(passkeys.startRegistration(alice, "Other", PasskeyUsage.FIRST).optionsJson());
        assertThat(options.get("excludeCredentials")).hasSize(1);
    }

    @Test
    void garbage_isACredentialRefusal() throws Exception {
        Ceremony signIn = passkeys.startSignIn(Optional.empty());
        assertRefused(() -> passkeys.finishSignIn(signIn.state(), "{\"id\":\"x\"}"), "PASSKEY_CREDENTIAL_INVALID");
        Ceremony registration = passkeys.startRegistration(alice, "Laptop", PasskeyUsage.FIRST);
        assertRefused(() -> passkeys.finishRegistration(alice, registration.state(), "not json"), "PASSKEY_CREDENTIAL_INVALID");
    }

    @Test
    void startingWithoutRelyingParty_orWithAnOriginOutsideIt_isAConfigurationError() {
        TestGatehouse bare = new TestGatehouse();
        assertThatThrownBy(() -> Passkeys.create(bare.gatehouse)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("wan-rp-id");

        TestGatehouse outside = new TestGatehouse(c -> c.set(PasskeySettings.WAN_RP_ID, "example.com")
                .set(PasskeySettings.WAN_ALLOWED_ORIGINS, List.of("https://example.org")));
        assertThatThrownBy(() -> Passkeys.create(outside.gatehouse)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("https://example.org");
    }

    private static String withoutAllowList(String optionsJson) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(optionsJson);
        node.putArray("allowCredentials");
        return JSON.writeValueAsString(node);
    }

    private static void assertRefused(ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PasskeyException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void secondFactorPasskeys_serveOnlyTheSecondStepOfTheirOwner_andCountForGatehouseWhenGivenToTheBuilder()
            throws Exception {
        InMemoryUserStore users = new InMemoryUserStore(t.clock);
        InMemoryPasskeyStore store = new InMemoryPasskeyStore(users);
        TestGatehouse withPasskeys = new TestGatehouse(c -> c.set(Settings.EXTERNAL_URL, ORIGIN),
                parts -> parts.store(users).passkeyStore(store).secondFactors(Passkeys.secondFactors(store)));
        Passkeys relyingParty = Passkeys.create(withPasskeys.gatehouse);
        User carol = withPasskeys.user("carol@example.com", "correct horse battery staple");
        User dave = withPasskeys.user("dave@example.com", "correct horse battery staple");
        assertThat(withPasskeys.gatehouse.secondFactors().isEnabledFor(carol)).isFalse();

        SoftwareAuthenticator carolsKey = new SoftwareAuthenticator(ORIGIN);
        Ceremony registration = relyingParty.startRegistration(carol, "Key", PasskeyUsage.SECONDARY);
        assertThat(JSON.readTree(registration.optionsJson()).at("/authenticatorSelection/residentKey").asText())
                .isEqualTo("discouraged");
        relyingParty.finishRegistration(carol, registration.state(), carolsKey.create(registration.optionsJson()));
        assertThat(withPasskeys.gatehouse.secondFactors().isEnabledFor(carol)).isTrue();
        assertThat(relyingParty.hasSecondFactor(dave)).isFalse();

        // Dave's second step never takes Carol's passkey, nor Carol's a first-factor ceremony.
        Ceremony davesStep = relyingParty.startSecondFactor(dave);
        assertThat(JSON.readTree(davesStep.optionsJson()).get("allowCredentials")).isEmpty();
        Ceremony carolsStep = relyingParty.startSecondFactor(carol);
        String carolsAnswer = carolsKey.get(carolsStep.optionsJson());
        assertThatThrownBy(() -> relyingParty.finishSecondFactor(dave, carolsStep.state(), carolsAnswer))
                .isInstanceOf(PasskeyException.class);
        Ceremony again = relyingParty.startSecondFactor(carol);
        PasskeyAssertion assertion = relyingParty.finishSecondFactor(carol, again.state(), carolsKey.get(again.optionsJson()));
        assertThat(assertion.userId()).isEqualTo(carol.id());
        assertThat(assertion.userVerified()).isTrue();

        Ceremony firstFactor = relyingParty.startSignIn(Optional.of(carol));
        assertThat(JSON.readTree(firstFactor.optionsJson()).get("allowCredentials")).isEmpty();
    }
}
