package dev.gatehouse.password;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import me.gosimple.nbvcxz.Nbvcxz;
import me.gosimple.nbvcxz.resources.Configuration;
import me.gosimple.nbvcxz.resources.ConfigurationBuilder;
import me.gosimple.nbvcxz.resources.Dictionary;
import me.gosimple.nbvcxz.resources.DictionaryBuilder;
import me.gosimple.nbvcxz.resources.Feedback;
import me.gosimple.nbvcxz.scoring.Result;

/**
 * zxcvbn's strength estimate (through nbvcxz, its Java descendant): a score from 0 (too guessable)
 * to 4 (very unguessable) from the guesses an attacker with dictionaries, keyboard patterns,
 * repeats, sequences, dates and l33t substitutions would need. Words of the user's own context
 * are added as an exclusion dictionary, so a password built on them scores as if they cost nothing.
 */
final class StrengthEstimate {

    /**
     * Code points of a password the estimator sees. Its cost grows steeply with length (the best
     * combination of overlapping matches is searched): at 128 characters one estimate took up to
     * 170 ms of CPU on the build machine, at 32 at most 41 ms under the same load (docs/security.md).
     * A longer password is judged by its first 32 characters, which must then be strong by themselves.
     */
    static final int MAX_ESTIMATED = 32;

    private StrengthEstimate() {
    }

    /** The estimator's verdict: its score and the message keys of its advice. */
    record Verdict(int score, List<String> adviceKeys) {
    }

    static Verdict of(String normalizedPassword, Collection<String> contextWords) {
        Nbvcxz estimator = contextWords.isEmpty() ? Shared.PLAIN : new Nbvcxz(configuration(contextWords));
        Result result = estimator.estimate(prefix(normalizedPassword));
        Feedback feedback = result.getFeedback();
        List<String> advice = new ArrayList<>();
        if (feedback.getWarningKey() != null) {
            advice.add(feedback.getWarningKey());
        }
        advice.addAll(feedback.getSuggestionKeys());
        return new Verdict(result.getBasicScore(), List.copyOf(advice));
    }

    private static String prefix(String password) {
        return password.codePointCount(0, password.length()) <= MAX_ESTIMATED ? password
                : password.substring(0, password.offsetByCodePoints(0, MAX_ESTIMATED));
    }

    private static Configuration configuration(Collection<String> contextWords) {
        List<Dictionary> dictionaries = new ArrayList<>(Shared.DICTIONARIES);
        if (!contextWords.isEmpty()) {
            DictionaryBuilder context = new DictionaryBuilder().setDictionaryName("context").setExclusion(true);
            contextWords.forEach(word -> context.addWord(word, 0));
            dictionaries.add(context.createDictionary());
        }
        return new ConfigurationBuilder().setDictionaries(dictionaries).setMaxLength(MAX_ESTIMATED).createConfiguration();
    }

    /** Loaded on first use: reading the dictionaries takes a moment. */
    private static final class Shared {
        static final List<Dictionary> DICTIONARIES = ConfigurationBuilder.getDefaultDictionaries();
        static final Nbvcxz PLAIN = new Nbvcxz(configuration(List.of()));
    }
}
