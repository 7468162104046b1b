package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.LOGIN_WITHOUT_CONFIRMATION;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.config.Settings.SEND_REGISTER_EMAIL;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_MAX_LENGTH;
import static dev.gatehouse.config.Settings.USERNAME_MIN_LENGTH;
import static dev.gatehouse.config.Settings.USERNAME_REQUIRED;
import static dev.gatehouse.lifecycle.Fixture.CLIENT;
import static dev.gatehouse.lifecycle.Fixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserQuery;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RegistrationFlowTest {

    private static Registration form(String email) {
        return Registration.builder(email, PASSWORD).build();
    }

    private static void refused(ThrowingCallable call, String field, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Nested
    class WithGenericResponses {

        private final Fixture f = new Fixture(c -> c.set(REGISTERABLE, true).set(CONFIRMABLE, true).set(RECOVERABLE, true));

        @Test
        void a_new_address_gets_an_unconfirmed_account_and_a_welcome_mail_with_a_confirmation_link() {
            RegisterResult result = f.gatehouse.registration().register(
                    Registration.builder("  New.User@Example.com ", PASSWORD).passwordConfirm(PASSWORD)
                            .attribute("display_name", "New User").attribute("city", "Zürich")
                            .attribute("about", "a").build(), CLIENT);

            assertThat(result).isEqualTo(new RegisterResult.Accepted(true));
            User user = f.gatehouse.users().findUserByEmail("new.user@example.com").orElseThrow();
            assertThat(user.email()).isEqualTo("New.User@Example.com");
            assertThat(user.confirmedAt()).isEmpty();
            assertThat(user.attributes()).containsExactly(java.util.Map.entry("display_name", "New User"),
                    java.util.Map.entry("city", "Zürich"), java.util.Map.entry("about", "a"));
            assertThat(user.passwordHash().orElseThrow()).startsWith("$argon2id$").doesNotContain(PASSWORD);
            Mailbox.Delivered welcome = f.mail.only();
            assertThat(welcome.template()).isEqualTo(MailTemplates.WELCOME);
            assertThat(welcome.to()).isEqualTo("New.User@Example.com");
            assertThat(welcome.get("confirmation_link")).startsWith(Fixture.SITE + "/confirm/");
            assertThat(welcome.message().subject()).isEqualTo("Welcome");
            assertThat(welcome.message().text()).contains(welcome.get("confirmation_link"));
            assertThat(f.eventTypes()).containsExactly("user_registered", "confirm_instructions_sent");
            assertThat(f.gatehouse.signIn().signIn("new.user@example.com", PASSWORD))
                    .isInstanceOf(SignInResult.ConfirmationRequired.class);
        }

        @Test
        void an_address_with_an_account_gets_the_same_answer_and_the_same_hashing_while_its_owner_is_told() {
            User owner = f.user("owner@example.com");
            f.work.reset();
            RegisterResult forExisting = f.gatehouse.registration().register(form("OWNER@example.com"), CLIENT);
            int workForExisting = f.work.computations();
            Mailbox.Delivered notice = f.mail.only();
            f.eventTypes();

            f.work.reset();
            RegisterResult forNew = f.gatehouse.registration().register(form("fresh@example.com"), CLIENT);
            int workForNew = f.work.computations();

            assertThat(forExisting).isEqualTo(forNew);
            assertThat(workForExisting).isEqualTo(workForNew).isEqualTo(1);
            assertThat(notice.template()).isEqualTo(MailTemplates.WELCOME_EXISTING);
            assertThat(notice.to()).isEqualTo("owner@example.com");
            assertThat(notice.get("reset_page_link")).isEqualTo(Fixture.SITE + "/reset");
            assertThat(f.mail.only().template()).as("the new address got its welcome").isEqualTo(MailTemplates.WELCOME);
            assertThat(f.reload(owner)).as("the owner's account is untouched").isEqualTo(owner);
            assertThat(f.gatehouse.users().listUsers(UserQuery.firstPage(10)).total()).isEqualTo(2);
            assertThat(f.events).first().isInstanceOfSatisfying(AccountEvent.UserRegistered.class,
                    e -> assertThat(e.email()).isEqualTo("fresh@example.com"));
        }

        @Test
        void an_existing_address_is_reported_as_user_not_registered_in_the_owners_audit_log() {
            User owner = f.user("owner@example.com");

            f.gatehouse.registration().register(form("owner@example.com"), CLIENT);

            assertThat(f.events).singleElement().isInstanceOfSatisfying(AccountEvent.UserNotRegistered.class, e -> {
                assertThat(e.userId()).contains(owner.id());
                assertThat(e.field()).isEqualTo("email");
            });
            assertThat(f.gatehouse.auditLog().forUser(owner.id(), 10, Optional.empty()))
                    .extracting(e -> e.type()).containsExactly("user_not_registered");
        }
    }

    @Nested
    class WithoutGenericResponses {

        @Test
        void without_confirmation_the_new_user_may_sign_in_at_once() {
            Fixture f = new Fixture(c -> c.set(REGISTERABLE, true).set(RETURN_GENERIC_RESPONSES, false));

            RegisterResult result = f.gatehouse.registration().register(form("open@example.com"), CLIENT);

            assertThat(result).isInstanceOfSatisfying(RegisterResult.SignedUp.class,
                    s -> assertThat(s.user().email()).isEqualTo("open@example.com"));
            Mailbox.Delivered welcome = f.mail.only();
            assertThat(welcome.template()).isEqualTo(MailTemplates.WELCOME);
            assertThat(welcome.notification().model()).doesNotContainKey("confirmation_link");
            assertThat(welcome.message().text()).doesNotContain("confirm");
            assertThat(f.gatehouse.signIn().signIn("open@example.com", PASSWORD).isSuccess()).isTrue();
        }

        @Test
        void the_new_account_gets_the_roles_the_application_named() {
            Fixture f = new Fixture(c -> c.set(REGISTERABLE, true).set(RETURN_GENERIC_RESPONSES, false));
            f.gatehouse.users().findOrCreateRole("Writer");

            RegisterResult result = f.gatehouse.registration().register(Registration.builder("writer@example.com", PASSWORD)
                    .roles(java.util.Set.of("Writer")).build(), CLIENT);

            User user = ((RegisterResult.SignedUp) result).user();
            assertThat(user.hasRole("Writer")).isTrue();
            assertThat(f.gatehouse.users().findUserByEmail("writer@example.com").orElseThrow().hasRole("Writer")).isTrue();
        }

        @Test
        void with_confirmation_the_user_must_confirm_first_unless_login_without_confirmation() {
            Fixture strict = new Fixture(c -> c.set(REGISTERABLE, true).set(CONFIRMABLE, true).set(RETURN_GENERIC_RESPONSES, false));
            Fixture lenient = new Fixture(c -> c.set(REGISTERABLE, true).set(CONFIRMABLE, true).set(LOGIN_WITHOUT_CONFIRMATION, true)
                    .set(RETURN_GENERIC_RESPONSES, false));

            assertThat(strict.gatehouse.registration().register(form("s@example.com"), CLIENT))
                    .isInstanceOf(RegisterResult.ConfirmationSent.class);
            assertThat(lenient.gatehouse.registration().register(form("l@example.com"), CLIENT))
                    .isInstanceOf(RegisterResult.SignedUp.class);
            assertThat(lenient.mail.only().get("confirmation_link")).contains("/confirm/");
        }

        @Test
        void a_taken_address_or_username_is_named_and_nothing_is_created_or_sent() {
            Fixture f = new Fixture(c -> c.set(REGISTERABLE, true).set(USERNAME_ENABLE, true).set(RETURN_GENERIC_RESPONSES, false));
            f.gatehouse.registration().register(Registration.builder("taken@example.com", PASSWORD).username("Taken")
                    .build(), CLIENT);
            f.mail.deliver();

            refused(() -> f.gatehouse.registration().register(form("TAKEN@Example.com"), CLIENT),
                    "email", "EMAIL_ALREADY_ASSOCIATED");
            refused(() -> f.gatehouse.registration().register(Registration.builder("other@example.com", PASSWORD)
                    .username("taken").build(), CLIENT), "username", "USERNAME_ALREADY_ASSOCIATED");
            assertThat(f.gatehouse.users().listUsers(UserQuery.firstPage(10)).total()).isEqualTo(1);
            assertThat(f.mail.deliver()).isEmpty();
        }

        @Test
        void send_register_email_off_sends_nothing_without_confirmation() {
            Fixture f = new Fixture(c -> c.set(REGISTERABLE, true).set(SEND_REGISTER_EMAIL, false).set(RETURN_GENERIC_RESPONSES, false));

            f.gatehouse.registration().register(form("quiet@example.com"), CLIENT);

            assertThat(f.mail.deliver()).isEmpty();
        }
    }

    @Nested
    class Usernames {

        private final Fixture f = new Fixture(c -> c.set(REGISTERABLE, true).set(USERNAME_ENABLE, true));

        @Test
        void a_username_is_normalized_and_stored_and_signs_in() {
            f.gatehouse.registration().register(Registration.builder("u@example.com", PASSWORD).username("  Ｊｏｈｎ_Doe.1 ")
                    .build(), CLIENT);

            User user = f.gatehouse.users().findUserByEmail("u@example.com").orElseThrow();
            assertThat(user.username()).contains("John_Doe.1");
            assertThat(f.gatehouse.signIn().signIn("john_doe.1", PASSWORD).isSuccess()).isTrue();
        }

        @Test
        void rules_follow_flask_security() {
            refused(() -> register("abc"), "username", "USERNAME_INVALID_LENGTH");
            refused(() -> register("a".repeat(33)), "username", "USERNAME_INVALID_LENGTH");
            refused(() -> register("john doe"), "username", "USERNAME_ILLEGAL_CHARACTERS");
            refused(() -> register("john\u200Bdoe"), "username", "USERNAME_ILLEGAL_CHARACTERS");
            refused(() -> register("john@doe"), "username", "USERNAME_DISALLOWED_CHARACTERS");
            refused(() -> register("john<b>"), "username", "USERNAME_DISALLOWED_CHARACTERS");
            assertThat(f.gatehouse.users().listUsers(UserQuery.firstPage(10)).total()).isZero();
            register("Ελένη-42");
            assertThat(f.gatehouse.users().findUserByUsername("ελένη-42")).isPresent();
        }

        @Test
        void the_length_limits_are_settings_and_a_username_may_be_required() {
            Fixture custom = new Fixture(c -> c.set(REGISTERABLE, true).set(USERNAME_ENABLE, true).set(USERNAME_REQUIRED, true)
                    .set(USERNAME_MIN_LENGTH, 2).set(USERNAME_MAX_LENGTH, 3));

            refused(() -> custom.gatehouse.registration().register(form("a@example.com"), CLIENT),
                    "username", "USERNAME_NOT_PROVIDED");
            refused(() -> custom.gatehouse.registration().register(Registration.builder("a@example.com", PASSWORD)
                    .username("abcd").build(), CLIENT), "username", "USERNAME_INVALID_LENGTH");
            assertThat(custom.gatehouse.registration().register(Registration.builder("a@example.com", PASSWORD)
                    .username("ab").build(), CLIENT)).isInstanceOf(RegisterResult.Accepted.class);
        }

        @Test
        void with_generic_responses_a_taken_username_tells_the_address_given_and_creates_nothing() {
            f.gatehouse.registration().register(Registration.builder("first@example.com", PASSWORD).username("shared")
                    .build(), CLIENT);
            f.mail.deliver();
            f.events.clear();

            RegisterResult result = f.gatehouse.registration().register(Registration.builder("second@example.com", PASSWORD)
                    .username("SHARED").build(), CLIENT);

            assertThat(result).isEqualTo(new RegisterResult.Accepted(false));
            Mailbox.Delivered notice = f.mail.only();
            assertThat(notice.template()).isEqualTo(MailTemplates.WELCOME_EXISTING_USERNAME);
            assertThat(notice.to()).isEqualTo("second@example.com");
            assertThat(notice.get("username")).isEqualTo("SHARED");
            assertThat(f.gatehouse.users().findUserByEmail("second@example.com")).isEmpty();
            assertThat(f.events).singleElement().isInstanceOfSatisfying(AccountEvent.UserNotRegistered.class, e -> {
                assertThat(e.field()).isEqualTo("username");
                assertThat(e.userId()).as("nothing about the other account").isEmpty();
            });
        }

        private RegisterResult register(String username) {
            return f.gatehouse.registration().register(Registration.builder(username.length() + "x" + Math.abs(username.hashCode())
                    + "@example.com", PASSWORD).username(username).build(), CLIENT);
        }
    }

    @Nested
    class Validation {

        private final Fixture f = new Fixture(c -> c.set(REGISTERABLE, true));

        @Test
        void emails_passwords_and_attributes_are_checked_and_nothing_is_stored_on_failure() {
            refused(() -> f.gatehouse.registration().register(form(""), CLIENT), "email", "EMAIL_NOT_PROVIDED");
            refused(() -> f.gatehouse.registration().register(form("not-an-address"), CLIENT), "email", "INVALID_EMAIL_ADDRESS");
            refused(() -> f.gatehouse.registration().register(form("a@b.com\r\nBcc: x@evil.com"), CLIENT),
                    "email", "INVALID_EMAIL_ADDRESS");
            refused(() -> f.gatehouse.registration().register(Registration.builder("a@example.com", "").build(), CLIENT),
                    "password", "PASSWORD_NOT_PROVIDED");
            refused(() -> f.gatehouse.registration().register(Registration.builder("a@example.com", "short").build(), CLIENT),
                    "password", "PASSWORD_INVALID_LENGTH");
            refused(() -> f.gatehouse.registration().register(Registration.builder("a@example.com", "qwertyuiop").build(),
                    CLIENT), "password", "PASSWORD_TOO_SIMPLE");
            refused(() -> f.gatehouse.registration().register(Registration.builder("a@example.com", PASSWORD)
                    .passwordConfirm(PASSWORD + "!").build(), CLIENT), "password_confirm", "RETYPE_PASSWORD_MISMATCH");
            refused(() -> f.gatehouse.registration().register(Registration.builder("a@example.com", PASSWORD)
                    .attribute("Bad Name", "x").build(), CLIENT), "attributes", "INVALID_ATTRIBUTE");

            assertThat(f.gatehouse.users().listUsers(UserQuery.firstPage(10)).total()).isZero();
            assertThat(f.mail.deliver()).isEmpty();
            assertThat(f.events).isEmpty();
        }

        @Test
        void registration_off_refuses_to_register() {
            Fixture off = new Fixture(c -> { });
            assertThatThrownBy(() -> off.gatehouse.registration().register(form("a@example.com"), CLIENT))
                    .isInstanceOfSatisfying(FeatureDisabledException.class, e -> assertThat(e.code()).isEqualTo("FEATURE_DISABLED"));
        }

        @Test
        void the_form_never_shows_the_password() {
            assertThat(Registration.builder("a@example.com", PASSWORD).passwordConfirm(PASSWORD).build().toString())
                    .doesNotContain(PASSWORD);
        }
    }

    @Nested
    class RateLimit {

        @Test
        void twenty_registrations_a_minute_per_address_then_a_wait() {
            Fixture f = new Fixture(c -> c.set(REGISTERABLE, true));
            ClientInfo other = ClientInfo.of("192.0.2.99", "other");
            for (int i = 0; i < 20; i++) {
                assertThat(f.gatehouse.registration().register(form("r" + i + "@example.com"), CLIENT))
                        .isInstanceOf(RegisterResult.Accepted.class);
            }
            f.clock.advance(Duration.ofSeconds(15));

            RegisterResult limited = f.gatehouse.registration().register(form("r20@example.com"), CLIENT);

            assertThat(limited).isEqualTo(new RateLimited(Duration.ofSeconds(45)));
            assertThat(f.gatehouse.users().findUserByEmail("r20@example.com")).as("nothing happened").isEmpty();
            assertThat(f.gatehouse.registration().register(form("x@example.com"), other))
                    .as("another address is not limited").isInstanceOf(RegisterResult.Accepted.class);
            f.clock.advance(Duration.ofSeconds(45));
            assertThat(f.gatehouse.registration().register(form("r20@example.com"), CLIENT))
                    .isInstanceOf(RegisterResult.Accepted.class);
        }

        @Test
        void the_limit_is_a_setting_and_can_be_switched_off() {
            Fixture tight = new Fixture(c -> c.set(REGISTERABLE, true).set("rate-limit-register", "1/1h/ip"));
            Fixture none = new Fixture(c -> c.set(REGISTERABLE, true).set("rate-limit-register", ""));
            Fixture allOff = new Fixture(c -> c.set(REGISTERABLE, true).set(RATE_LIMITS_ENABLED, false));

            tight.gatehouse.registration().register(form("a@example.com"), CLIENT);
            assertThat(tight.gatehouse.registration().register(form("b@example.com"), CLIENT))
                    .isEqualTo(new RateLimited(Duration.ofHours(1)));
            for (Fixture f : List.of(none, allOff)) {
                for (int i = 0; i < 25; i++) {
                    assertThat(f.gatehouse.registration().register(form("n" + i + "@example.com"), CLIENT))
                            .isInstanceOf(RegisterResult.Accepted.class);
                }
            }
        }
    }
}
