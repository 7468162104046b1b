package dev.gatehouse.account;

import dev.gatehouse.InvalidInputException;
import dev.gatehouse.account.RegisterResult.Problem;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.PasswordPolicy;
import dev.gatehouse.password.PolicyViolation;
import dev.gatehouse.user.DuplicateUserException;
import dev.gatehouse.user.Identifiers;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates accounts for visitors (Flask-Security's {@code register_user}): checks the email
 * address, the optional username and the password against the policy, then stores the user with
 * a hash of the password. Every problem is reported at once, so a form can show them all.
 *
 * <p>This is the registration without email confirmation: the account is active and, having no
 * confirmation time, counts as unconfirmed should {@code confirmable} be turned on later.
 * Confirmation emails, the welcome email and hiding whether an address is already registered
 * (which needs an email to tell the owner instead) come with the account lifecycle flows.
 * Knows nothing of HTTP. Thread-safe.
 */
public final class RegisterFlow {

    private final UserStore users;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final boolean usernames;

    /**
     * @param policy    what new passwords must satisfy
     * @param usernames whether accounts may have a username ({@code username-enable})
     */
    public RegisterFlow(UserStore users, PasswordHasher hasher, PasswordPolicy policy, boolean usernames) {
        this.users = Objects.requireNonNull(users, "users");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.usernames = usernames;
    }

    /**
     * What is wrong with a registration, without creating anything: for forms that check their
     * own fields too and want to show every problem at once. Empty when {@link #register} would
     * (barring a concurrent registration of the same address) succeed.
     */
    public List<Problem> check(Registration registration) {
        List<Problem> problems = new ArrayList<>();
        try {
            String email = Identifiers.checkEmail(registration.email());
            if (users.findUserByEmail(email).isPresent()) {
                problems.add(new Problem("email", "EMAIL_ALREADY_ASSOCIATED"));
            }
        } catch (InvalidInputException e) {
            problems.add(new Problem("email", e.code()));
        }
        username(registration).ifPresent(name -> {
            try {
                if (users.findUserByUsername(Identifiers.checkUsername(name)).isPresent()) {
                    problems.add(new Problem("username", "USERNAME_ALREADY_ASSOCIATED"));
                }
            } catch (InvalidInputException e) {
                problems.add(new Problem("username", e.code()));
            }
        });
        if (registration.password().isEmpty()) {
            problems.add(new Problem("password", "PASSWORD_NOT_PROVIDED"));
        } else {
            for (PolicyViolation violation : policy.check(registration.password())) {
                problems.add(new Problem("password", violation.code()));
            }
        }
        return List.copyOf(problems);
    }

    /** Creates the account, or says why not. */
    public RegisterResult register(Registration registration) {
        List<Problem> problems = check(registration);
        if (!problems.isEmpty()) {
            return new RegisterResult.Refused(problems);
        }
        String email = Identifiers.checkEmail(registration.email());
        Optional<String> username = username(registration).map(Identifiers::checkUsername);
        NewUser.Builder newUser = NewUser.builder(email)
                .passwordHash(hasher.hash(registration.password()))
                .attributes(registration.attributes())
                .roles(registration.roleNames());
        username.ifPresent(newUser::username);
        try {
            User user = users.createUser(newUser.build());
            return new RegisterResult.Registered(user);
        } catch (DuplicateUserException e) {
            // Another registration for the same address won the race since the lookup above.
            return new RegisterResult.Refused(List.of(new Problem(e.field(),
                    e.field().equals("username") ? "USERNAME_ALREADY_ASSOCIATED" : "EMAIL_ALREADY_ASSOCIATED")));
        } catch (InvalidInputException e) {
            return new RegisterResult.Refused(List.of(new Problem(e.field(), e.code())));
        }
    }

    private Optional<String> username(Registration registration) {
        return usernames ? registration.username().filter(name -> !name.isBlank()) : Optional.empty();
    }
}
