package dev.gatehouse.twofactor;

import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.SECRET;
import static dev.gatehouse.config.Settings.SECRET_PREVIOUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Secret;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.limit.InMemoryCounterStore;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.testing.Races;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.user.InMemoryUserStore;
import dev.gatehouse.user.User;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwoFactorTest {

    private static final ClientInfo CLIENT = ClientInfo.of("198.51.100.7", "JUnit/5");
    private static final String CHALLENGE = "challenge-0123456789abcdef";
    private static final String OTHER_SECRET = "other-secret-other-secret-other-secret-0123";

    private record Sms(String phone, String text) {
    }

    private final List<AccountEvent> events = new CopyOnWriteArrayList<>();
    private final List<Sms> texts = new CopyOnWriteArrayList<>();
    private final TestGatehouse t = gatehouse(c -> { });
    private final Gatehouse gatehouse = t.gatehouse;
    private final TwoFactor tf = gatehouse.twoFactor();
    private final Mailbox mail = new Mailbox(gatehouse);
    private final User alice = t.user("alice@example.com", "correct horse battery");

    private TestGatehouse gatehouse(Consumer<GatehouseConfig.Builder> config) {
        return new TestGatehouse(c -> {
            c.set(EXTERNAL_URL, "https://app.example.com");
            c.set(TwoFactorSettings.TWO_FACTOR, true);
            c.set(TwoFactorSettings.TWO_FACTOR_ENABLED_METHODS, List.of(FactorMethod.values()));
            c.set(TwoFactorSettings.US_ENABLED_METHODS, List.of(FactorMethod.values()));
            c.set(TwoFactorSettings.TOTP_ISSUER, "Diary & Co");
            config.accept(c);
        }, b -> b.listener(events::add).smsSender((phone, text) -> texts.add(new Sms(phone, text))));
    }

    private EventContext context() {
        return EventContext.of(t.clock.instant(), alice.id(), CLIENT);
    }

    private byte[] keyOf(TotpSetup setup) {
        return Totp.decode(setup.base32Key(), 20).orElseThrow();
    }

    private String codeNow(byte[] key) {
        return Totp.code(key, Totp.stepAt(t.clock.instant().getEpochSecond()), 6);
    }

    /** Sets up the authenticator for alice; returns the key. */
    private byte[] enableAuthenticator() {
        TotpSetup setup = tf.newTotpSecret(alice);
        byte[] key = keyOf(setup);
        assertThat(tf.verify(alice, FactorMethod.AUTHENTICATOR, codeNow(key), CHALLENGE, Optional.of(setup.sealedSecret()),
                CLIENT)).isEqualTo(CodeCheck.ACCEPTED);
        tf.enable(alice, FactorMethod.AUTHENTICATOR, Optional.of(setup.sealedSecret()), Optional.empty(), context());
        mail.deliver();
        // Past the step the setup code used: that one is spent.
        t.clock.advance(Duration.ofSeconds(60));
        return key;
    }

    private String sentCode() {
        Mailbox.Delivered delivered = mail.only();
        assertThat(delivered.template()).isEqualTo(MailTemplates.TWO_FACTOR_INSTRUCTIONS);
        return delivered.get("code");
    }

    private static String wrong(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    @Test
    void a_new_totp_secret_is_160_bits_with_an_otpauth_uri_and_sealed_for_storage() {
        TotpSetup setup = tf.newTotpSecret(alice);

        assertThat(setup.base32Key()).matches("[A-Z2-7]{32}");
        assertThat(setup.otpauthUri()).startsWith("otpauth://totp/Diary%20%26%20Co:alice%40example.com?secret="
                + setup.base32Key() + "&issuer=Diary%20%26%20Co").contains("digits=6", "period=30", "algorithm=SHA1");
        assertThat(URLDecoder.decode(setup.otpauthUri(), StandardCharsets.UTF_8)).contains("Diary & Co:alice@example.com");
        assertThat(setup.sealedSecret()).startsWith("s1.").doesNotContain(setup.base32Key());
        assertThat(setup.toString()).doesNotContain(setup.base32Key());
        assertThat(tf.newTotpSecret(alice).base32Key()).isNotEqualTo(setup.base32Key());
        assertThat(tf.isEnabledFor(alice)).as("nothing stored yet").isFalse();
    }

    @Test
    void enabling_the_authenticator_stores_it_sealed_rotates_the_stamp_and_sends_a_notice() {
        TotpSetup setup = tf.newTotpSecret(alice);
        assertThat(tf.verify(alice, FactorMethod.AUTHENTICATOR, wrong(codeNow(keyOf(setup))), CHALLENGE,
                Optional.of(setup.sealedSecret()), CLIENT)).isEqualTo(CodeCheck.INVALID);
        assertThat(tf.verify(alice, FactorMethod.AUTHENTICATOR, codeNow(keyOf(setup)), CHALLENGE,
                Optional.of(setup.sealedSecret()), CLIENT)).isEqualTo(CodeCheck.ACCEPTED);
        events.clear();

        User changed = tf.enable(alice, FactorMethod.AUTHENTICATOR, Optional.of(setup.sealedSecret()), Optional.empty(),
                context());

        assertThat(changed.securityStamp()).isNotEqualTo(alice.securityStamp());
        assertThat(gatehouse.users().findUserById(alice.id()).orElseThrow().securityStamp()).isEqualTo(changed.securityStamp());
        assertThat(tf.isEnabledFor(alice)).isTrue();
        assertThat(gatehouse.secondFactors().isEnabledFor(alice)).as("Gatehouse#secondFactors is backed by it").isTrue();
        assertThat(tf.primaryMethod(alice)).contains(FactorMethod.AUTHENTICATOR);
        SecondFactorRecord stored = tf.store().find(alice.id()).orElseThrow();
        assertThat(stored.sealedTotpSecret()).contains(setup.sealedSecret());
        assertThat(stored.toString()).doesNotContain(setup.sealedSecret());
        assertThat(events).singleElement().isInstanceOfSatisfying(AccountEvent.SecondFactorChanged.class, e -> {
            assertThat(e.type()).isEqualTo("tf_profile_changed");
            assertThat(e.details()).containsEntry("method", "authenticator");
        });
        Mailbox.Delivered notice = mail.only();
        assertThat(notice.template()).isEqualTo(MailTemplates.TWO_FACTOR_CHANGED);
        assertThat(notice.message().text()).contains("Two-factor authentication has been turned on");
    }

    @Test
    void two_factor_off_in_the_configuration_enables_nobody() {
        TestGatehouse off = gatehouse(c -> c.set(TwoFactorSettings.TWO_FACTOR, false));
        User bob = off.user("bob@example.com", "correct horse battery");
        off.gatehouse.twoFactor().importFactors(bob.id(), Optional.empty(), Optional.of(FactorMethod.EMAIL), Optional.empty(),
                Set.of());
        assertThat(off.gatehouse.twoFactor().primaryMethod(bob)).contains(FactorMethod.EMAIL);
        assertThat(off.gatehouse.twoFactor().isEnabledFor(bob)).isFalse();
        assertThat(off.gatehouse.twoFactor().isRequiredFor(bob)).isFalse();
    }

    @Test
    void a_totp_code_is_accepted_once_within_the_window_and_never_again() {
        byte[] key = enableAuthenticator();
        long now = Totp.stepAt(t.clock.instant().getEpochSecond());

        assertThat(tf.verify(alice, FactorMethod.AUTHENTICATOR, Totp.code(key, now - 1, 6), "-", Optional.empty(), CLIENT))
                .as("one step late").isEqualTo(CodeCheck.ACCEPTED);
        assertThat(tf.verify(alice, FactorMethod.AUTHENTICATOR, Totp.code(key, now - 1, 6), "-", Optional.empty(), CLIENT))
                .isEqualTo(CodeCheck.REPLAYED);
        assertThat(tf.verify(alice, FactorMethod.AUTHENTICATOR, Totp.code(key, now + 2, 6), "-", Optional.empty(), CLIENT))
                .as("outside the window").isEqualTo(CodeCheck.INVALID);
        assertThat(tf.verify(alice, FactorMethod.AUTHENTICATOR, Totp.code(key, now, 6), "-", Optional.empty(), CLIENT))
                .isEqualTo(CodeCheck.ACCEPTED);
        assertThat(tf.verify(alice, FactorMethod.AUTHENTICATOR, Totp.code(key, now - 1, 6), "-", Optional.empty(), CLIENT))
                .as("an earlier step after a later one").isEqualTo(CodeCheck.REPLAYED);
        assertThat(events).filteredOn(e -> e instanceof AccountEvent.AuthenticationFailed).extracting(e -> e.details().get("reason"))
                .containsExactly("REPLAYED", "INVALID_CODE", "REPLAYED");
    }

    @Test
    void the_setup_code_cannot_sign_in_again_after_enabling() {
        TotpSetup setup = tf.newTotpSecret(alice);
        String code = codeNow(keyOf(setup));
        assertThat(tf.verify(alice, FactorMethod.AUTHENTICATOR, code, CHALLENGE, Optional.of(setup.sealedSecret()), CLIENT))
                .isEqualTo(CodeCheck.ACCEPTED);
        tf.enable(alice, FactorMethod.AUTHENTICATOR, Optional.of(setup.sealedSecret()), Optional.empty(), context());

        assertThat(tf.verify(alice, FactorMethod.AUTHENTICATOR, code, CHALLENGE, Optional.empty(), CLIENT))
                .isEqualTo(CodeCheck.REPLAYED);
    }

    @Test
    void concurrent_uses_of_one_totp_code_let_exactly_one_pass() throws Exception {
        byte[] key = enableAuthenticator();
        String code = codeNow(key);

        List<Races.Outcome<CodeCheck>> outcomes = Races.race(8,
                i -> tf.verify(alice, FactorMethod.AUTHENTICATOR, code, "-", Optional.empty(), CLIENT));

        assertThat(outcomes).extracting(Races.Outcome::value).filteredOn(c -> c == CodeCheck.ACCEPTED).hasSize(1);
        assertThat(outcomes).extracting(Races.Outcome::value).filteredOn(c -> c != CodeCheck.ACCEPTED)
                .allMatch(c -> c == CodeCheck.REPLAYED || c == CodeCheck.RATE_LIMITED || c == CodeCheck.LOCKED_OUT);
    }

    @Test
    void a_secret_sealed_under_the_previous_secret_still_works_and_is_sealed_again_on_use() {
        // Two Gatehouses on the same stores: before and after the operator rotated the secret.
        InMemoryUserStore users = new InMemoryUserStore(t.clock);
        InMemorySecondFactorStore factors = new InMemorySecondFactorStore(users);
        InMemoryCounterStore counters = new InMemoryCounterStore();
        Consumer<Gatehouse.Builder> shared = b -> b.store(users).secondFactorStore(factors).counterStore(counters);
        TestGatehouse before = new TestGatehouse(c -> c.set(TwoFactorSettings.TWO_FACTOR, true), shared);
        User bob = before.user("bob@example.com", "correct horse battery");
        TotpSetup setup = before.gatehouse.twoFactor().newTotpSecret(bob);
        before.gatehouse.twoFactor().enable(bob, FactorMethod.AUTHENTICATOR, Optional.of(setup.sealedSecret()),
                Optional.empty(), EventContext.of(t.clock.instant(), bob.id(), CLIENT));
        TestGatehouse after = new TestGatehouse(c -> c.set(TwoFactorSettings.TWO_FACTOR, true)
                .set(SECRET, Secret.of(OTHER_SECRET)).set(SECRET_PREVIOUS, List.of(Secret.of(TestGatehouse.SECRET))), shared);
        after.clock.set(t.clock.instant());

        assertThat(after.gatehouse.twoFactor().verify(bob, FactorMethod.AUTHENTICATOR, codeNow(keyOf(setup)), "-",
                Optional.empty(), CLIENT)).isEqualTo(CodeCheck.ACCEPTED);

        String resealed = factors.find(bob.id()).orElseThrow().sealedTotpSecret().orElseThrow();
        assertThat(resealed).isNotEqualTo(setup.sealedSecret());
        assertThat(ValueSealer.create(after.gatehouse.config()).isSealedWithCurrentKey(resealed)).isTrue();
        TestGatehouse onlyNew = new TestGatehouse(c -> c.set(TwoFactorSettings.TWO_FACTOR, true)
                .set(SECRET, Secret.of(OTHER_SECRET)), shared);
        onlyNew.clock.set(t.clock.instant().plusSeconds(30));
        assertThat(onlyNew.gatehouse.twoFactor().verify(bob, FactorMethod.AUTHENTICATOR,
                Totp.code(keyOf(setup), Totp.stepAt(onlyNew.clock.instant().getEpochSecond()), 6), "-", Optional.empty(),
                CLIENT)).as("the old secret is no longer needed").isEqualTo(CodeCheck.ACCEPTED);
    }

    @Test
    void an_emailed_code_works_once_with_its_challenge() {
        assertThat(tf.sendCode(alice, FactorMethod.EMAIL, CHALLENGE, Optional.empty())).isEmpty();
        Mailbox.Delivered delivered = mail.only();
        String code = delivered.get("code");
        assertThat(code).matches("\\d{6}");
        assertThat(delivered.message().text()).contains(code, "within 5 minutes");
        assertThat(delivered.message().subject()).isEqualTo("Your verification code");
        assertThat(events).extracting(AccountEvent::type).containsExactly("tf_security_token_sent");

        assertThat(tf.verify(alice, FactorMethod.EMAIL, code, CHALLENGE + "x", Optional.empty(), CLIENT))
                .as("another challenge").isEqualTo(CodeCheck.INVALID);
        assertThat(tf.verify(alice, FactorMethod.SMS, code, CHALLENGE, Optional.empty(), CLIENT))
                .as("another method").isEqualTo(CodeCheck.INVALID);
        assertThat(tf.verify(alice, FactorMethod.EMAIL, code, CHALLENGE, Optional.empty(), CLIENT)).isEqualTo(CodeCheck.ACCEPTED);
        assertThat(tf.verify(alice, FactorMethod.EMAIL, code, CHALLENGE, Optional.empty(), CLIENT))
                .isIn(CodeCheck.EXPIRED, CodeCheck.REPLAYED);
        assertThat(events.toString()).doesNotContain(code);
    }

    @Test
    void a_sent_code_allows_three_attempts_and_expires() {
        tf.sendCode(alice, FactorMethod.EMAIL, CHALLENGE, Optional.empty());
        String code = sentCode();
        assertThat(tf.verify(alice, FactorMethod.EMAIL, wrong(code), CHALLENGE, Optional.empty(), CLIENT)).isEqualTo(CodeCheck.INVALID);
        assertThat(tf.verify(alice, FactorMethod.EMAIL, "abc", CHALLENGE, Optional.empty(), CLIENT)).isEqualTo(CodeCheck.INVALID);
        assertThat(tf.verify(alice, FactorMethod.EMAIL, wrong(code), CHALLENGE, Optional.empty(), CLIENT)).isEqualTo(CodeCheck.INVALID);
        assertThat(tf.verify(alice, FactorMethod.EMAIL, code, CHALLENGE, Optional.empty(), CLIENT))
                .as("the right code after three wrong ones").isEqualTo(CodeCheck.ATTEMPTS_EXHAUSTED);

        t.clock.advance(Duration.ofMinutes(1));
        tf.sendCode(alice, FactorMethod.EMAIL, CHALLENGE, Optional.empty());
        String fresh = sentCode();
        t.clock.advance(Duration.ofMinutes(5));
        assertThat(tf.verify(alice, FactorMethod.EMAIL, fresh, CHALLENGE, Optional.empty(), CLIENT)).isEqualTo(CodeCheck.EXPIRED);
    }

    @Test
    void a_new_code_replaces_the_previous_one_and_a_stamp_change_voids_both() {
        tf.sendCode(alice, FactorMethod.EMAIL, CHALLENGE, Optional.empty());
        String first = sentCode();
        tf.sendCode(alice, FactorMethod.EMAIL, CHALLENGE, Optional.empty());
        String second = sentCode();
        if (!first.equals(second)) {
            assertThat(tf.verify(alice, FactorMethod.EMAIL, first, CHALLENGE, Optional.empty(), CLIENT)).isEqualTo(CodeCheck.INVALID);
        }
        User rotated = gatehouse.users().patchUser(alice.id(), dev.gatehouse.user.UserPatch.builder().rotateSecurityStamp().build());
        assertThat(tf.verify(rotated, FactorMethod.EMAIL, second, CHALLENGE, Optional.empty(), CLIENT)).isEqualTo(CodeCheck.INVALID);
        assertThat(tf.verify(alice, FactorMethod.EMAIL, second, CHALLENGE, Optional.empty(), CLIENT)).isEqualTo(CodeCheck.ACCEPTED);
    }

    @Test
    void sending_codes_is_rate_limited_per_user() {
        List<Optional<Duration>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(tf.sendCode(alice, FactorMethod.EMAIL, CHALLENGE, Optional.empty()));
        }
        assertThat(answers.subList(0, 3)).allMatch(Optional::isEmpty);
        assertThat(answers.get(3)).hasValueSatisfying(wait -> assertThat(wait).isPositive());
        assertThat(mail.deliver()).hasSize(3);
    }

    @Test
    void concurrent_uses_of_one_sent_code_let_exactly_one_pass() throws Exception {
        tf.sendCode(alice, FactorMethod.EMAIL, CHALLENGE, Optional.empty());
        String code = sentCode();
        List<Races.Outcome<CodeCheck>> outcomes = Races.race(6,
                i -> tf.verify(alice, FactorMethod.EMAIL, code, CHALLENGE, Optional.empty(), CLIENT));
        assertThat(outcomes).extracting(Races.Outcome::value).filteredOn(c -> c == CodeCheck.ACCEPTED).hasSize(1);
    }

    @Test
    void sms_codes_go_through_the_sender_to_the_phone_being_set_up_or_the_stored_one() {
        tf.sendCode(alice, FactorMethod.SMS, CHALLENGE, Optional.of("+49 151 1234-5678"));
        Sms sms = texts.get(0);
        assertThat(sms.phone()).isEqualTo("+4915112345678");
        String code = sms.text().replaceAll("\\D", "");
        assertThat(sms.text()).isEqualTo("Gatehouse code: " + code);
        assertThat(tf.verify(alice, FactorMethod.SMS, code, CHALLENGE, Optional.empty(), CLIENT)).isEqualTo(CodeCheck.ACCEPTED);
        tf.enable(alice, FactorMethod.SMS, Optional.empty(), Optional.of(sms.phone()), context());
        assertThat(tf.phoneNumber(alice)).contains("+4915112345678");

        tf.sendCode(alice, FactorMethod.SMS, CHALLENGE + "2", Optional.empty());
        assertThat(texts.get(1).phone()).isEqualTo("+4915112345678");
        assertThatThrownBy(() -> tf.sendCode(alice, FactorMethod.SMS, CHALLENGE, Optional.of("0151 12345678")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("PHONE_INVALID"));
        assertThatThrownBy(() -> tf.sendCode(alice, FactorMethod.EMAIL, "short", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void without_an_sms_sender_the_sms_method_is_unavailable() {
        TestGatehouse plain = new TestGatehouse(c -> c.set(TwoFactorSettings.TWO_FACTOR, true)
                .set(TwoFactorSettings.TWO_FACTOR_ENABLED_METHODS, List.of(FactorMethod.values())));
        User bob = plain.user("bob@example.com", "correct horse battery");
        assertThatThrownBy(() -> plain.gatehouse.twoFactor().sendCode(bob, FactorMethod.SMS, CHALLENGE,
                Optional.of("+4915112345678"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> plain.gatehouse.twoFactor().enable(bob, FactorMethod.SMS, Optional.empty(),
                Optional.of("+4915112345678"), EventContext.of(t.clock.instant(), bob.id(), CLIENT)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void the_files_sms_sender_writes_into_the_mail_folder(@TempDir Path folder) throws Exception {
        TestGatehouse files = new TestGatehouse(c -> c.set(TwoFactorSettings.TWO_FACTOR, true)
                .set(TwoFactorSettings.SMS_SERVICE, SmsService.FILES)
                .set(dev.gatehouse.config.Settings.MAIL_FOLDER, folder.toString()));
        User bob = files.user("bob@example.com", "correct horse battery");
        files.gatehouse.twoFactor().sendCode(bob, FactorMethod.SMS, CHALLENGE, Optional.of("+4915112345678"));
        try (var listing = Files.list(folder)) {
            List<Path> written = listing.toList();
            assertThat(written).singleElement().satisfies(p -> {
                assertThat(p.getFileName().toString()).startsWith("sms-").endsWith(".txt");
                assertThat(Files.readString(p)).startsWith("To: +4915112345678").containsPattern("code: \\d{6}");
            });
        }
    }

    @Test
    void wrong_codes_count_towards_the_lockout_and_a_locked_account_gets_locked_out_for_the_right_code() {
        TestGatehouse strict = gatehouse(c -> c.set(LOCKOUT_MAX_ATTEMPTS, 3));
        TwoFactor two = strict.gatehouse.twoFactor();
        User bob = strict.user("bob@example.com", "correct horse battery");
        TotpSetup setup = two.newTotpSecret(bob);
        two.enable(bob, FactorMethod.AUTHENTICATOR, Optional.of(setup.sealedSecret()), Optional.empty(),
                EventContext.of(strict.clock.instant(), bob.id(), CLIENT));
        byte[] key = keyOf(setup);
        String right = Totp.code(key, Totp.stepAt(strict.clock.instant().getEpochSecond()), 6);

        assertThat(two.verify(bob, FactorMethod.AUTHENTICATOR, wrong(right), "-", Optional.empty(), CLIENT)).isEqualTo(CodeCheck.INVALID);
        assertThat(two.useRecoveryCode(bob, "aaaa-bbbb-cccc-dddd", CLIENT)).isEqualTo(CodeCheck.INVALID);
        assertThat(two.verify(bob, FactorMethod.AUTHENTICATOR, wrong(right), "-", Optional.empty(), CLIENT))
                .as("the third failure locks").isEqualTo(CodeCheck.LOCKED_OUT);
        assertThat(two.verify(bob, FactorMethod.AUTHENTICATOR, right, "-", Optional.empty(), CLIENT)).isEqualTo(CodeCheck.LOCKED_OUT);
        assertThat(strict.gatehouse.lockout().status(bob.id())).isPresent();
    }

    @Test
    void recovery_codes_are_80_bit_single_use_and_regenerating_voids_the_old_set() throws Exception {
        List<String> codes = tf.newRecoveryCodes(alice, context());
        assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z2-7]{4}(-[a-z2-7]{4}){3}"));
        assertThat(tf.recoveryCodesLeft(alice)).isEqualTo(10);
        assertThat(tf.store().find(alice.id()).orElseThrow().recoveryCodeDigests()).noneMatch(d -> codes.stream()
                .anyMatch(c -> d.contains(c.replace("-", ""))));
        assertThat(mail.only().template()).isEqualTo(MailTemplates.RECOVERY_CODES_CHANGED);
        assertThat(events).extracting(AccountEvent::type).containsExactly("mf_recovery_codes_generated");

        assertThat(tf.useRecoveryCode(alice, codes.get(0).toUpperCase().replace("-", " "), CLIENT)).isEqualTo(CodeCheck.ACCEPTED);
        assertThat(tf.recoveryCodesLeft(alice)).isEqualTo(9);
        assertThat(tf.useRecoveryCode(alice, codes.get(0), CLIENT)).isEqualTo(CodeCheck.INVALID);

        List<Races.Outcome<CodeCheck>> race = Races.race(6, i -> tf.useRecoveryCode(alice, codes.get(1), CLIENT));
        assertThat(race).extracting(Races.Outcome::value).filteredOn(c -> c == CodeCheck.ACCEPTED).hasSize(1);

        // The race's losers count as failures: wait for rate-limit-login-failed to forget them.
        t.clock.advance(Duration.ofMinutes(5));
        List<String> fresh = tf.newRecoveryCodes(alice, context());
        assertThat(tf.useRecoveryCode(alice, codes.get(2), CLIENT)).as("old set").isEqualTo(CodeCheck.INVALID);
        assertThat(tf.useRecoveryCode(alice, fresh.get(2), CLIENT)).isEqualTo(CodeCheck.ACCEPTED);
    }

    @Test
    void disable_keeps_what_unified_sign_in_uses_and_reset_removes_everything() {
        byte[] key = enableAuthenticator();
        tf.setSignInMethods(alice, Set.of(FactorMethod.AUTHENTICATOR), Optional.empty(), Optional.empty(), context());
        assertThat(mail.only().template()).isEqualTo(MailTemplates.SIGN_IN_METHODS_CHANGED);
        events.clear();

        tf.disable(alice, context());

        assertThat(tf.isEnabledFor(alice)).isFalse();
        assertThat(tf.signInMethods(alice)).containsExactly(FactorMethod.AUTHENTICATOR);
        assertThat(tf.verify(alice, FactorMethod.AUTHENTICATOR, codeNow(key), "-", Optional.empty(), CLIENT))
                .as("the secret stays for unified sign-in").isEqualTo(CodeCheck.ACCEPTED);
        assertThat(events).extracting(AccountEvent::type).containsExactly("tf_disabled");
        Mailbox.Delivered notice = mail.only();
        assertThat(notice.template()).isEqualTo(MailTemplates.TWO_FACTOR_CHANGED);
        assertThat(notice.message().text()).contains("turned off");

        tf.newRecoveryCodes(alice, context());
        assertThat(tf.reset(alice.id())).isTrue();
        assertThat(tf.store().find(alice.id())).isEmpty();
        assertThat(tf.signInMethods(alice)).isEmpty();
        assertThat(tf.recoveryCodesLeft(alice)).isZero();
        assertThat(tf.reset(alice.id())).isFalse();
    }

    @Test
    void methods_must_be_enabled_and_have_what_they_need() {
        TestGatehouse limited = gatehouse(c -> c.set(TwoFactorSettings.TWO_FACTOR_ENABLED_METHODS, List.of(FactorMethod.EMAIL))
                .set(TwoFactorSettings.US_ENABLED_METHODS, List.of(FactorMethod.EMAIL)));
        User bob = limited.user("bob@example.com", "correct horse battery");
        EventContext ctx = EventContext.of(limited.clock.instant(), bob.id(), CLIENT);
        TwoFactor two = limited.gatehouse.twoFactor();
        assertThatThrownBy(() -> two.enable(bob, FactorMethod.AUTHENTICATOR, Optional.of(two.newTotpSecret(bob).sealedSecret()),
                Optional.empty(), ctx)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> two.setSignInMethods(bob, Set.of(FactorMethod.SMS), Optional.empty(), Optional.of("+4915112345678"),
                ctx)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> tf.enable(alice, FactorMethod.AUTHENTICATOR, Optional.empty(), Optional.empty(), context()))
                .as("no secret").isInstanceOf(InvalidInputException.class);
        User carol = t.user("carol@example.com", "correct horse battery");
        assertThatThrownBy(() -> tf.enable(alice, FactorMethod.AUTHENTICATOR, Optional.of(tf.newTotpSecret(carol).sealedSecret()),
                Optional.empty(), context())).as("another user's secret").isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> tf.enable(alice, FactorMethod.SMS, Optional.empty(), Optional.empty(), context()))
                .as("no phone").isInstanceOf(InvalidInputException.class);
        assertThat(tf.store().find(alice.id())).isEmpty();
    }

    @Test
    void required_globally_or_by_role() {
        TestGatehouse byRole = gatehouse(c -> c.set(TwoFactorSettings.TWO_FACTOR_REQUIRED_ROLES, List.of("admin")));
        User admin = byRole.user("admin@example.com", "correct horse battery", "admin");
        User writer = byRole.user("writer@example.com", "correct horse battery");
        assertThat(byRole.gatehouse.twoFactor().isRequiredFor(admin)).isTrue();
        assertThat(byRole.gatehouse.twoFactor().isRequiredFor(writer)).isFalse();
        assertThat(gatehouse(c -> c.set(TwoFactorSettings.TWO_FACTOR_REQUIRED, true)).gatehouse.twoFactor()
                .isRequiredFor(writer)).isTrue();
        assertThatThrownBy(() -> new TestGatehouse(c -> c.set(TwoFactorSettings.TWO_FACTOR_REQUIRED, true)))
                .hasMessageContaining("two-factor is false");
    }

    @Test
    void imported_factors_work_as_if_set_up_here() {
        String key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        tf.importFactors(alice.id(), Optional.of(key.toLowerCase()), Optional.of(FactorMethod.AUTHENTICATOR), Optional.empty(),
                Set.of(FactorMethod.EMAIL));

        assertThat(tf.isEnabledFor(alice)).isTrue();
        assertThat(tf.signInMethods(alice)).containsExactly(FactorMethod.EMAIL);
        assertThat(tf.verify(alice, FactorMethod.AUTHENTICATOR, codeNow(Totp.decode(key, 20).orElseThrow()), "-", Optional.empty(),
                CLIENT)).isEqualTo(CodeCheck.ACCEPTED);
        assertThat(events).noneMatch(e -> e instanceof AccountEvent.SecondFactorChanged);
        assertThat(mail.deliver()).isEmpty();

        assertThatThrownBy(() -> tf.importFactors(alice.id(), Optional.of("GEZDGNBV"), Optional.of(FactorMethod.AUTHENTICATOR),
                Optional.empty(), Set.of())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> tf.importFactors(alice.id(), Optional.empty(), Optional.of(FactorMethod.SMS), Optional.empty(),
                Set.of())).isInstanceOf(InvalidInputException.class);
    }
}
