package dev.gatehouse.password;

import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.PASSWORD_CHECK_BREACHED;
import static dev.gatehouse.config.Settings.PASSWORD_COMPLEXITY_CHECKER;
import static dev.gatehouse.config.Settings.PASSWORD_LENGTH_MAX;
import static dev.gatehouse.config.Settings.PASSWORD_LENGTH_MIN;
import static dev.gatehouse.config.Settings.ZXCVBN_MINIMUM_SCORE;

import dev.gatehouse.config.BreachCheckMode;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.PasswordComplexityChecker;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Decides whether a new password is acceptable (registration, change, reset), following NIST SP
 * 800-63B and ASVS 5.0: a length range, no composition rules, and refusal of common and breached
 * passwords.
 *
 * <ul>
 *   <li>Length is counted in Unicode code points after NFKD normalization (as Flask-Security does),
 *       8 to 128 by default.</li>
 *   <li>A built-in list of about 3500 common passwords (John the Ripper's, public domain) is refused,
 *       ignoring case, unless turned off.</li>
 *   <li>Context-specific words (ASVS 5.0 6.2.11): a password that is at least half made of the
 *       user's own email address, its parts, username, other profile fields or the site's name is
 *       refused ({@code PASSWORD_HAS_PERSONAL_INFO}).</li>
 *   <li>A strength estimate (zxcvbn's, as Flask-Security's {@code PASSWORD_COMPLEXITY_CHECKER = "zxcvbn"}):
 *       a score from 0 to 4 below the minimum (default 3) is refused as {@code PASSWORD_TOO_SIMPLE},
 *       with the estimator's advice. The user's context words count as free guesses. Only the first
 *       {@value StrengthEstimate#MAX_ESTIMATED} characters are estimated, which bounds its cost.</li>
 *   <li>An optional {@link BreachedPasswordCheck}, e.g. {@link HaveIBeenPwnedCheck}, is asked only
 *       when the local checks pass.</li>
 * </ul>
 *
 * <pre>{@code
 * PasswordPolicy policy = PasswordPolicy.builder().breachedPasswordCheck(HaveIBeenPwnedCheck.builder().build()).build();
 * List<PolicyViolation> problems = policy.check(password, List.of(email, username));   // for field errors
 * policy.requireValid(password, List.of(email));        // or throw the first as InvalidInputException
 * }</pre>
 *
 * <p>Immutable and thread-safe (as long as the breached-password check is).
 */
public final class PasswordPolicy {

    private final int minLength;
    private final int maxLength;
    private final boolean rejectCommonPasswords;
    private final Optional<BreachedPasswordCheck> breachedPasswordCheck;
    private final Optional<Integer> minimumScore;
    private final List<String> siteWords;

    private PasswordPolicy(Builder builder) {
        if (builder.maxLength < builder.minLength) {
            throw new IllegalArgumentException("password maxLength (" + builder.maxLength
                    + ") must not be less than minLength (" + builder.minLength + ")");
        }
        this.minLength = builder.minLength;
        this.maxLength = builder.maxLength;
        this.rejectCommonPasswords = builder.rejectCommonPasswords;
        this.breachedPasswordCheck = builder.breachedPasswordCheck;
        this.minimumScore = builder.minimumScore;
        this.siteWords = List.copyOf(builder.siteWords);
    }

    /**
     * A builder with the defaults: 8 to 128 code points, common passwords refused, strength score
     * at least 3, no site words, no breach check.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The policy the settings describe: {@code password-length-min/max},
     * {@code password-complexity-checker}, {@code zxcvbn-minimum-score}, {@code password-check-breached},
     * and the host name of {@code external-url} as the site's words.
     */
    public static PasswordPolicy fromConfig(GatehouseConfig config) {
        Builder policy = builder()
                .minLength(config.get(PASSWORD_LENGTH_MIN))
                .maxLength(config.get(PASSWORD_LENGTH_MAX));
        if (config.get(PASSWORD_COMPLEXITY_CHECKER).equals(PasswordComplexityChecker.ZXCVBN)) {
            policy.minimumScore(config.get(ZXCVBN_MINIMUM_SCORE));
        } else {
            policy.noStrengthEstimate();
        }
        config.get(EXTERNAL_URL).map(url -> URI.create(url).getHost()).ifPresent(host -> policy.siteWords(siteWordsOf(host)));
        if (!config.get(PASSWORD_CHECK_BREACHED).equals(BreachCheckMode.OFF)) {
            policy.breachedPasswordCheck(HaveIBeenPwnedCheck.builder()
                    .failClosed(config.get(PASSWORD_CHECK_BREACHED).equals(BreachCheckMode.STRICT)).build());
        }
        return policy.build();
    }

    /** Host labels that name no site in particular. */
    private static final java.util.Set<String> GENERIC_LABELS = java.util.Set.of("www", "app", "apps", "web", "my",
            "login", "auth", "account", "accounts", "secure", "mail", "portal", "localhost");

    /** The labels of a host name that name the site: not generic ones ({@code www}) nor the top-level domain. */
    private static List<String> siteWordsOf(String host) {
        String[] labels = host.toLowerCase(Locale.ROOT).split("\\.");
        List<String> words = new ArrayList<>();
        for (int i = 0; i < labels.length - (labels.length > 1 ? 1 : 0); i++) {
            if (!GENERIC_LABELS.contains(labels[i])) {
                words.add(labels[i]);
            }
        }
        return words;
    }

    /** As {@link #check(String, Collection)} without user context (the site's words still count). */
    public List<PolicyViolation> check(String password) {
        return check(password, List.of());
    }

    /**
     * Every way {@code password} breaks this policy; empty if it is acceptable.
     *
     * @param userInputs what the user's context knows: email address, username, other profile
     *                   fields (nulls are skipped). Every place a password is set passes them.
     * @throws RuntimeException whatever a custom {@link BreachedPasswordCheck} throws, other than
     *         {@link BreachCheckUnavailableException} (which becomes a {@code PASSWORD_BREACHED_SITE_ERROR} violation)
     */
    public List<PolicyViolation> check(String password, Collection<String> userInputs) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(userInputs, "userInputs");
        List<PolicyViolation> violations = new ArrayList<>();
        // NFKD never lowers the number of code points, so an input already too long is refused
        // without normalizing an arbitrarily large string.
        if (password.codePointCount(0, password.length()) > maxLength) {
            violations.add(tooLong());
            return violations;
        }
        String normalized = PasswordText.normalize(password);
        int length = normalized.codePointCount(0, normalized.length());
        if (length < minLength) {
            violations.add(new PolicyViolation("PASSWORD_INVALID_LENGTH",
                    "Password must be at least " + minLength + " characters", List.of(), Map.of("length", minLength)));
        } else if (length > maxLength) {
            violations.add(tooLong());
        }
        if (rejectCommonPasswords && CommonPasswords.contains(normalized)) {
            violations.add(new PolicyViolation("PASSWORD_TOO_SIMPLE",
                    "Password is too common; choose one that is harder to guess"));
        }
        if (violations.isEmpty()) {
            List<String> words = ContextWords.of(Stream.concat(userInputs.stream(), siteWords.stream()).toList());
            if (ContextWords.mostlyMadeOf(normalized, words)) {
                violations.add(new PolicyViolation("PASSWORD_HAS_PERSONAL_INFO",
                        "Password must not be made of your email address, username or the site's name"));
            } else if (minimumScore.isPresent()) {
                StrengthEstimate.Verdict verdict = StrengthEstimate.of(normalized, words);
                if (verdict.score() < minimumScore.get()) {
                    PolicyViolation weak = new PolicyViolation("PASSWORD_TOO_SIMPLE",
                            "Password is too easy to guess", verdict.adviceKeys());
                    String advice = weak.advice(Locale.ENGLISH);
                    violations.add(advice.isEmpty() ? weak : new PolicyViolation(weak.code(),
                            weak.message() + ". " + advice, weak.adviceKeys(), weak.arguments()));
                }
            }
        }
        if (violations.isEmpty() && breachedPasswordCheck.isPresent()) {
            try {
                if (breachedPasswordCheck.get().isBreached(normalized)) {
                    violations.add(new PolicyViolation("PASSWORD_BREACHED",
                            "Password appears in known data breaches; choose another one"));
                }
            } catch (BreachCheckUnavailableException e) {
                violations.add(new PolicyViolation(e.code(), "Could not check whether the password was breached"));
            }
        }
        return List.copyOf(violations);
    }

    /**
     * Throws the first violation of {@link #check} as an {@link dev.gatehouse.error.InvalidInputException}
     * (field {@code password}, the violation's code and message); returns if there is none.
     */
    public void requireValid(String password) {
        requireValid(password, List.of());
    }

    /** As {@link #requireValid(String)}, knowing the user's context (see {@link #check(String, Collection)}). */
    public void requireValid(String password, Collection<String> userInputs) {
        List<PolicyViolation> violations = check(password, userInputs);
        if (!violations.isEmpty()) {
            throw violations.get(0).toException();
        }
    }

    private PolicyViolation tooLong() {
        return new PolicyViolation("PASSWORD_TOO_LONG", "Password must be at most " + maxLength + " characters",
                List.of(), Map.of("length", maxLength));
    }

    /** Configures a {@link PasswordPolicy}. Not thread-safe. */
    public static final class Builder {
        private int minLength = 8;
        private int maxLength = 128;
        private boolean rejectCommonPasswords = true;
        private Optional<BreachedPasswordCheck> breachedPasswordCheck = Optional.empty();
        private Optional<Integer> minimumScore = Optional.of(3);
        private List<String> siteWords = List.of();

        private Builder() {
        }

        /**
         * The lowest strength score accepted, 0 to 4 (zxcvbn's: 3 is "safely unguessable", about
         * 10^10 guesses); default 3, Flask-Security's {@code ZXCVBN_MINIMUM_SCORE}.
         */
        public Builder minimumScore(int score) {
            if (score < 0 || score > 4) {
                throw new IllegalArgumentException("password minimumScore must be 0 to 4, not " + score);
            }
            this.minimumScore = Optional.of(score);
            return this;
        }

        /** No strength estimate (Flask-Security's {@code PASSWORD_COMPLEXITY_CHECKER = None}). */
        public Builder noStrengthEstimate() {
            this.minimumScore = Optional.empty();
            return this;
        }

        /** Words that name the site (its name, its host's labels): refused like the user's own; default none. */
        public Builder siteWords(Collection<String> words) {
            this.siteWords = List.copyOf(words);
            return this;
        }

        /** Fewest code points (after NFKD) a password may have; default 8, at least 1. */
        public Builder minLength(int minLength) {
            if (minLength < 1) {
                throw new IllegalArgumentException("password minLength must be at least 1, not " + minLength);
            }
            this.minLength = minLength;
            return this;
        }

        /** Most code points (after NFKD) a password may have; default 128, at most 4096. */
        public Builder maxLength(int maxLength) {
            if (maxLength < 1 || maxLength > PasswordText.MAX_BYTES) {
                throw new IllegalArgumentException("password maxLength must be between 1 and "
                        + PasswordText.MAX_BYTES + ", not " + maxLength);
            }
            this.maxLength = maxLength;
            return this;
        }

        /** Whether the built-in list of common passwords is refused; default {@code true}. */
        public Builder rejectCommonPasswords(boolean reject) {
            this.rejectCommonPasswords = reject;
            return this;
        }

        /** A check against breached passwords, asked after the local checks pass; default none. */
        public Builder breachedPasswordCheck(BreachedPasswordCheck check) {
            this.breachedPasswordCheck = Optional.of(Objects.requireNonNull(check, "check"));
            return this;
        }

        public PasswordPolicy build() {
            return new PasswordPolicy(this);
        }
    }
}
