package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.AUTO_LOGIN_AFTER_CONFIRM;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.EMAIL_UNKNOWN_ACCOUNTS;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.lifecycle.Fixture.CLIENT;
import static dev.gatehouse.lifecycle.Fixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.testing.Races;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserPatch;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ConfirmationFlowTest {

    private final Fixture f = new Fixture(c -> c.set(REGISTERABLE, true).set(CONFIRMABLE, true).set(RECOVERABLE, true));

    private String registerAndGetLink(String email) {
        f.gatehouse.registration().register(Registration.builder(email, PASSWORD).build(), CLIENT);
        return f.mail.only().token("confirmation_link");
    }

    private static void refused(ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).isEqualTo("token");
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void the_emailed_link_confirms_the_address_and_sign_in_works_afterwards() {
        String token = registerAndGetLink("new@example.com");
        f.clock.advance(Duration.ofDays(4));
        f.events.clear();

        ConfirmResult.Confirmed confirmed = f.gatehouse.confirmation().confirm(token, CLIENT);

        assertThat(confirmed.user().confirmedAt()).contains(f.clock.instant());
        assertThat(confirmed.signIn()).as("auto-login-after-confirm is off").isFalse();
        assertThat(f.eventTypes()).containsExactly("user_confirmed");
        assertThat(f.gatehouse.signIn().signIn("new@example.com", PASSWORD).isSuccess()).isTrue();
    }

    @Test
    void auto_login_after_confirm_asks_the_web_layer_to_sign_in() {
        Fixture auto = new Fixture(c -> c.set(REGISTERABLE, true).set(CONFIRMABLE, true).set(AUTO_LOGIN_AFTER_CONFIRM, true));
        auto.gatehouse.registration().register(Registration.builder("a@example.com", PASSWORD).build(), CLIENT);

        assertThat(auto.gatehouse.confirmation().confirm(auto.mail.only().token("confirmation_link"), CLIENT).signIn())
                .isTrue();
    }

    @Test
    void a_link_works_once() {
        String token = registerAndGetLink("once@example.com");
        f.gatehouse.confirmation().confirm(token, CLIENT);

        refused(() -> f.gatehouse.confirmation().confirm(token, CLIENT), "ALREADY_CONFIRMED");
    }

    @Test
    void concurrent_uses_of_one_link_confirm_once() throws Exception {
        String token = registerAndGetLink("race@example.com");
        f.events.clear();

        List<Races.Outcome<ConfirmResult.Confirmed>> outcomes = Races.race(6,
                i -> f.gatehouse.confirmation().confirm(token, CLIENT));

        assertThat(outcomes).filteredOn(Races.Outcome::succeeded).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.succeeded()).allSatisfy(o -> assertThat(o.failure())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("ALREADY_CONFIRMED")));
        assertThat(f.eventTypes()).containsExactly("user_confirmed");
    }

    @Test
    void an_expired_link_is_refused_and_a_new_one_is_sent_which_works() {
        String token = registerAndGetLink("late@example.com");
        f.clock.advance(Duration.ofDays(5).plusSeconds(1));

        refused(() -> f.gatehouse.confirmation().confirm(token, CLIENT), "CONFIRMATION_EXPIRED");

        Mailbox.Delivered fresh = f.mail.only();
        assertThat(fresh.template()).isEqualTo(MailTemplates.CONFIRMATION_INSTRUCTIONS);
        assertThat(fresh.to()).isEqualTo("late@example.com");
        assertThat(f.gatehouse.confirmation().confirm(fresh.token("confirmation_link"), CLIENT).user().confirmedAt())
                .isPresent();
    }

    @Test
    void tampered_forged_and_foreign_tokens_are_invalid() {
        String token = registerAndGetLink("t@example.com");
        User other = f.user("other@example.com");
        f.gatehouse.recovery().requestReset("other@example.com", CLIENT);
        String resetToken = f.mail.only().token("reset_link");

        refused(() -> f.gatehouse.confirmation().confirm(Tokens.tampered(token), CLIENT), "INVALID_CONFIRMATION_TOKEN");
        refused(() -> f.gatehouse.confirmation().confirm(Tokens.badSignature(token), CLIENT), "INVALID_CONFIRMATION_TOKEN");
        refused(() -> f.gatehouse.confirmation().confirm(resetToken, CLIENT), "INVALID_CONFIRMATION_TOKEN");
        refused(() -> f.gatehouse.confirmation().confirm("garbage", CLIENT), "INVALID_CONFIRMATION_TOKEN");
        refused(() -> f.gatehouse.confirmation().confirm(null, CLIENT), "INVALID_CONFIRMATION_TOKEN");
        assertThat(f.gatehouse.users().findUserByEmail("t@example.com").orElseThrow().confirmedAt()).isEmpty();
        assertThat(f.reload(other)).isEqualTo(other);
    }

    @Test
    void a_link_dies_when_the_address_changes() {
        String token = registerAndGetLink("before@example.com");
        User user = f.gatehouse.users().findUserByEmail("before@example.com").orElseThrow();
        f.gatehouse.users().patchUser(user.id(), UserPatch.builder().email("after@example.com").build());

        refused(() -> f.gatehouse.confirmation().confirm(token, CLIENT), "INVALID_CONFIRMATION_TOKEN");
        assertThat(f.reload(user).confirmedAt()).isEmpty();
    }

    @Test
    void a_new_link_goes_to_an_unconfirmed_account() {
        registerAndGetLink("again@example.com");

        SendResult result = f.gatehouse.confirmation().sendConfirmation("AGAIN@example.com", CLIENT);

        assertThat(result).isEqualTo(new SendResult.Sent("AGAIN@example.com"));
        Mailbox.Delivered mail = f.mail.only();
        assertThat(mail.template()).isEqualTo(MailTemplates.CONFIRMATION_INSTRUCTIONS);
        assertThat(mail.message().subject()).isEqualTo("Please confirm your email");
        assertThat(f.gatehouse.confirmation().confirm(mail.token("confirmation_link"), CLIENT).user().email())
                .isEqualTo("again@example.com");
    }

    @Test
    void with_generic_responses_every_address_gets_the_same_answer_and_one_mail() {
        registerAndGetLink("unconfirmed@example.com");
        f.user("confirmed@example.com");

        List<SendResult> results = List.of(
                f.gatehouse.confirmation().sendConfirmation("unconfirmed@example.com", CLIENT),
                f.gatehouse.confirmation().sendConfirmation("confirmed@example.com", CLIENT),
                f.gatehouse.confirmation().sendConfirmation("nobody@example.com", CLIENT));

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(SendResult.Sent.class));
        assertThat(f.mail.deliver()).extracting(Mailbox.Delivered::template).containsExactly(
                MailTemplates.CONFIRMATION_INSTRUCTIONS, MailTemplates.ALREADY_CONFIRMED, MailTemplates.UNKNOWN_ACCOUNT);
    }

    @Test
    void without_generic_responses_unknown_and_confirmed_addresses_are_named() {
        Fixture plain = new Fixture(c -> c.set(CONFIRMABLE, true).set(RETURN_GENERIC_RESPONSES, false));
        plain.user("confirmed@example.com");

        assertThatThrownBy(() -> plain.gatehouse.confirmation().sendConfirmation("nobody@example.com", CLIENT))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("USER_DOES_NOT_EXIST"));
        assertThatThrownBy(() -> plain.gatehouse.confirmation().sendConfirmation("confirmed@example.com", CLIENT))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("ALREADY_CONFIRMED"));
        assertThat(plain.mail.deliver()).isEmpty();
    }

    @Test
    void email_unknown_accounts_off_sends_nothing_to_unknown_addresses() {
        Fixture quiet = new Fixture(c -> c.set(CONFIRMABLE, true).set(EMAIL_UNKNOWN_ACCOUNTS, false));

        assertThat(quiet.gatehouse.confirmation().sendConfirmation("nobody@example.com", CLIENT))
                .isInstanceOf(SendResult.Sent.class);
        assertThat(quiet.mail.deliver()).isEmpty();
    }

    @Test
    void new_links_are_limited_to_one_per_address_every_three_minutes() {
        registerAndGetLink("limit@example.com");
        f.gatehouse.confirmation().sendConfirmation("limit@example.com", CLIENT);
        f.mail.deliver();

        assertThat(f.gatehouse.confirmation().sendConfirmation("LIMIT@example.com", CLIENT))
                .isEqualTo(new RateLimited(Duration.ofMinutes(3)));
        assertThat(f.gatehouse.confirmation().sendConfirmation("nobody@example.com", CLIENT))
                .as("other addresses are counted apart").isInstanceOf(SendResult.Sent.class);
        f.clock.advance(Duration.ofMinutes(3));
        assertThat(f.gatehouse.confirmation().sendConfirmation("limit@example.com", CLIENT))
                .isInstanceOf(SendResult.Sent.class);
    }

    @Test
    void confirmation_off_refuses() {
        Fixture off = new Fixture(c -> { });
        assertThatThrownBy(() -> off.gatehouse.confirmation().confirm("x", CLIENT)).isInstanceOf(FeatureDisabledException.class);
        assertThatThrownBy(() -> off.gatehouse.confirmation().sendConfirmation("a@example.com", CLIENT))
                .isInstanceOf(FeatureDisabledException.class);
    }
}
