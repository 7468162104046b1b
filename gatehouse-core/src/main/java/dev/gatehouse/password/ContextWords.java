package dev.gatehouse.password;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words of a user's own context (email address and its parts, username, other profile fields,
 * the site's name) and whether a password is mostly made of them: such a password is the first
 * an attacker who knows the account tries (ASVS 5.0 6.2.11).
 */
final class ContextWords {

    /** Shorter pieces (a two-letter name, "de") are too common to refuse a password for. */
    static final int MIN_WORD = 3;

    private ContextWords() {
    }

    /**
     * Each input in lower case and NFKD, and its pieces between separators, of at least
     * {@value #MIN_WORD} code points; longest first.
     */
    static List<String> of(Collection<String> inputs) {
        Set<String> words = new LinkedHashSet<>();
        for (String input : inputs) {
            if (input == null) {
                continue;
            }
            String text = PasswordText.normalize(input.strip()).toLowerCase(Locale.ROOT);
            add(words, text);
            for (String piece : text.split("[^\\p{L}\\p{N}]+")) {
                add(words, piece);
            }
        }
        List<String> sorted = new ArrayList<>(words);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(sorted);
    }

    private static void add(Set<String> words, String word) {
        if (word.codePointCount(0, word.length()) >= MIN_WORD) {
            words.add(word);
        }
    }

    /**
     * Whether at least half of {@code normalizedPassword} (ignoring case) is occurrences of
     * {@code words}: {@code alice@example.com}, {@code Alice2024!} for alice, {@code gatehouse1}.
     */
    static boolean mostlyMadeOf(String normalizedPassword, List<String> words) {
        String rest = normalizedPassword.toLowerCase(Locale.ROOT);
        int length = rest.length();
        if (length == 0) {
            return false;
        }
        for (String word : words) {
            rest = rest.replace(word, "");
        }
        return 2 * (length - rest.length()) >= length;
    }
}
