package dev.gatehouse.password;

import com.nulabinc.zxcvbn.Feedback;
import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * zxcvbn's strength estimate (through zxcvbn4j, its Java port): a score from 0 (too guessable)
 * to 4 (very unguessable) from the guesses an attacker with dictionaries, keyboard patterns,
 * repeats, sequences, dates and l33t substitutions would need — the scale Flask-Security's zxcvbn
 * checker uses. Words of the user's own context are zxcvbn's "user inputs", a dictionary whose
 * words cost almost nothing to guess.
 */
final class StrengthEstimate {

    /**
     * Code points of a password the estimator sees. Its cost grows steeply with length: every
     * substring is looked up in every dictionary, once more for each combination of l33t
     * substitutions the password's characters allow. With this cap the worst input found (twenty
     * distinct l33t characters) costs about 0.2 s of CPU, at 128 characters about 4 s
     * (docs/security.md). A longer password is judged by its first 32 characters, which must then
     * be strong by themselves.
     */
    static final int MAX_ESTIMATED = 32;

    /**
     * Characters of zxcvbn's l33t table (4 for a, 3 for e, $ for s, ...). The estimator repeats its
     * dictionary search for every combination of substitutions they allow, so its cost grows
     * exponentially with them: within 32 characters a mix of letters and l33t characters cost up to
     * 0.7 s of CPU. At most {@link #MAX_ESTIMATED_L33T} of them are estimated (tens of
     * milliseconds at worst, docs/security.md); the estimate stops before the next one.
     */
    static final String L33T_CHARACTERS = "4@8({[<3691!|70$5+%2";

    /** How many l33t-table characters the estimated part may hold. */
    static final int MAX_ESTIMATED_L33T = 8;

    /** One instance for all: loading zxcvbn's dictionaries takes a moment, estimates share them. */
    private static final class Shared {
        static final Zxcvbn ESTIMATOR = new Zxcvbn();
    }

    private StrengthEstimate() {
    }

    /** The estimator's verdict: its score and the message keys of its advice. */
    record Verdict(int score, List<String> adviceKeys) {
    }

    static Verdict of(String normalizedPassword, Collection<String> contextWords) {
        List<String> userInputs = new ArrayList<>(contextWords.size());
        // zxcvbn4j lower-cases the inputs in the JVM's default locale; doing it first in the root
        // locale keeps a Turkish default from turning "I" into a dotless "ı".
        contextWords.forEach(word -> userInputs.add(word.toLowerCase(Locale.ROOT)));
        Strength strength = Shared.ESTIMATOR.measure(estimatedPart(normalizedPassword), userInputs);
        // Feedback offers its advice only as texts; through a bundle that maps every key to
        // itself it yields the keys, which PolicyViolation translates in the client's language.
        Feedback keys = strength.getFeedback().withResourceBundle(KeysAsTexts.INSTANCE);
        List<String> advice = new ArrayList<>();
        String warning = keys.getWarning(Locale.ROOT);
        if (!warning.isEmpty()) {
            advice.add(warning);
        }
        advice.addAll(keys.getSuggestions(Locale.ROOT));
        return new Verdict(strength.getScore(), List.copyOf(advice));
    }

    /**
     * The part of a password the estimator sees: its first {@link #MAX_ESTIMATED} code points, cut
     * before the l33t-table character that would exceed {@link #MAX_ESTIMATED_L33T}.
     */
    static String estimatedPart(String password) {
        int codePoints = 0;
        int l33t = 0;
        for (int i = 0; i < password.length(); i = password.offsetByCodePoints(i, 1)) {
            if (codePoints == MAX_ESTIMATED
                    || L33T_CHARACTERS.indexOf(password.charAt(i)) >= 0 && ++l33t > MAX_ESTIMATED_L33T) {
                return password.substring(0, i);
            }
            codePoints++;
        }
        return password;
    }

    /** A bundle whose text for every key is the key itself. */
    private static final class KeysAsTexts extends ResourceBundle {
        static final KeysAsTexts INSTANCE = new KeysAsTexts();

        @Override
        protected Object handleGetObject(String key) {
            return key;
        }

        @Override
        public Enumeration<String> getKeys() {
            return Collections.emptyEnumeration();
        }
    }
}
