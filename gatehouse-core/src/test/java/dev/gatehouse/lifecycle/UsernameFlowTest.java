package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.lifecycle.Fixture.CLIENT;
import static dev.gatehouse.lifecycle.Fixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.Settings;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserPatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsernameFlowTest {

    private final Fixture f = new Fixture(c -> c.set(USERNAME_ENABLE, true).set(Settings.USERNAME_RECOVERY, true));

    @Test
    void a_user_changes_the_username_and_signs_in_with_the_new_one() {
        User alice = f.user("alice@example.com");

        User changed = f.gatehouse.usernames().change(alice, " Alice_2 ", CLIENT);

        assertThat(changed.username()).contains("Alice_2");
        assertThat(f.gatehouse.signIn().signIn("alice_2", PASSWORD).isSuccess()).isTrue();
        assertThat(f.events).singleElement().isInstanceOfSatisfying(AccountEvent.UsernameChanged.class, e -> {
            assertThat(e.oldUsername()).isEmpty();
            assertThat(e.newUsername()).isEqualTo("Alice_2");
        });
        assertThat(f.gatehouse.usernames().change(changed, "Alice_2", CLIENT)).as("no change, no event").isEqualTo(changed);
        assertThat(f.events).hasSize(1);
    }

    @Test
    void a_taken_or_malformed_username_is_refused() {
        User alice = f.user("alice@example.com");
        User bob = f.user("bob@example.com");
        f.gatehouse.users().patchUser(bob.id(), UserPatch.builder().username("bobby").build());

        assertThatThrownBy(() -> f.gatehouse.usernames().change(alice, "BOBBY", CLIENT))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("USERNAME_ALREADY_ASSOCIATED"));
        assertThatThrownBy(() -> f.gatehouse.usernames().change(alice, "ab", CLIENT))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("USERNAME_INVALID_LENGTH"));
        assertThatThrownBy(() -> f.gatehouse.usernames().change(alice, "a@b.c.d", CLIENT))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.code()).isEqualTo("USERNAME_DISALLOWED_CHARACTERS"));
        assertThat(f.reload(alice).username()).isEmpty();
    }

    @Test
    void recovery_mails_the_username_and_answers_alike_for_unknown_addresses() {
        User alice = f.user("alice@example.com");
        f.gatehouse.users().patchUser(alice.id(), UserPatch.builder().username("alice").build());
        f.user("nameless@example.com");

        List<SendResult> results = List.of(f.gatehouse.usernames().recoverUsername("alice@example.com", CLIENT),
                f.gatehouse.usernames().recoverUsername("nameless@example.com", CLIENT),
                f.gatehouse.usernames().recoverUsername("nobody@example.com", CLIENT));

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(SendResult.Sent.class));
        List<Mailbox.Delivered> mails = f.mail.deliver();
        assertThat(mails).extracting(Mailbox.Delivered::template).containsExactly(MailTemplates.USERNAME_RECOVERY,
                MailTemplates.USERNAME_RECOVERY, MailTemplates.UNKNOWN_ACCOUNT);
        assertThat(mails.get(0).get("username")).isEqualTo("alice");
        assertThat(mails.get(0).message().subject()).isEqualTo("Your username");
        assertThat(mails.get(0).message().text()).contains("Your username is: alice");
        assertThat(mails.get(1).message().text()).contains("no username").doesNotContain("{");
        assertThat(mails.get(2).get("action")).isEqualTo("recover_username");
    }

    @Test
    void recovery_requests_are_limited_per_address() {
        f.user("alice@example.com");
        for (int i = 0; i < 5; i++) {
            assertThat(f.gatehouse.usernames().recoverUsername("alice@example.com", dev.gatehouse.request.ClientInfo.of(
                    "192.0.2." + i, "x"))).isInstanceOf(SendResult.Sent.class);
        }

        assertThat(f.gatehouse.usernames().recoverUsername("Alice@example.com", CLIENT))
                .isEqualTo(new RateLimited(java.time.Duration.ofMinutes(1)));
        assertThat(f.mail.deliver()).hasSize(5);
    }

    @Test
    void features_off_refuse() {
        Fixture off = new Fixture(c -> { });
        User alice = off.user("alice@example.com");
        assertThatThrownBy(() -> off.gatehouse.usernames().change(alice, "alice", CLIENT))
                .isInstanceOf(FeatureDisabledException.class);
        assertThatThrownBy(() -> off.gatehouse.usernames().recoverUsername("alice@example.com", CLIENT))
                .isInstanceOf(FeatureDisabledException.class);
    }
}
