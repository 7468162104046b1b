package dev.gatehouse.account;

import dev.gatehouse.user.User;
import java.util.List;
import java.util.Objects;

/**
 * What became of a registration: the account was created, or the request was refused with one
 * problem per offending field. The web layer turns problems into localized field errors.
 */
public sealed interface RegisterResult {

    /** The account exists now. */
    record Registered(User user) implements RegisterResult {
        public Registered {
            Objects.requireNonNull(user, "user");
        }
    }

    /** Nothing was created; {@link #problems()} is never empty. */
    record Refused(List<Problem> problems) implements RegisterResult {
        public Refused {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a refusal names at least one problem");
            }
        }
    }

    /**
     * One reason for a refusal.
     *
     * @param field the input it concerns: {@code email}, {@code username}, {@code password} or an
     *              attribute name
     * @param code  a message key, as Flask-Security names them: {@code INVALID_EMAIL_ADDRESS},
     *              {@code EMAIL_ALREADY_ASSOCIATED}, {@code USERNAME_ALREADY_ASSOCIATED},
     *              {@code PASSWORD_INVALID_LENGTH}, {@code PASSWORD_TOO_SIMPLE}, ...
     */
    record Problem(String field, String code) {
        public Problem {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(code, "code");
        }
    }
}
