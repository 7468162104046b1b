package dev.gatehouse.password;

import dev.gatehouse.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * One way a candidate password breaks the {@link PasswordPolicy}, for field errors on the
 * {@code password} input. Codes mirror Flask-Security's message keys:
 * {@code PASSWORD_INVALID_LENGTH} (too short), {@code PASSWORD_TOO_LONG}, {@code PASSWORD_TOO_SIMPLE}
 * (a common password, or one the strength estimate scores too low), {@code PASSWORD_BREACHED} and
 * {@code PASSWORD_BREACHED_SITE_ERROR} (the breach check could not be made and is configured to fail
 * closed); and Gatehouse's {@code PASSWORD_HAS_PERSONAL_INFO} (mostly the user's email address,
 * username or the site's name). The message is English and never contains the password.
 *
 * @param code       a stable code from the list above
 * @param message    a human-readable explanation
 * @param adviceKeys the strength estimator's advice as message keys (see {@link #advice(Locale)}); often empty
 * @param arguments  what the code's text names, as {@link InvalidInputException#arguments()}: {@code length}
 *                   (the limit) for the two length codes; otherwise empty
 */
public record PolicyViolation(String code, String message, List<String> adviceKeys, Map<String, Object> arguments) {

    private static final String ESTIMATOR_TEXTS = "com/nulabinc/zxcvbn/messages";
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    public PolicyViolation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        adviceKeys = List.copyOf(adviceKeys);
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /** A violation with advice and no arguments. */
    public PolicyViolation(String code, String message, List<String> adviceKeys) {
        this(code, message, adviceKeys, Map.of());
    }

    /** A violation without advice or arguments. */
    public PolicyViolation(String code, String message) {
        this(code, message, List.of(), Map.of());
    }

    /**
     * The strength estimator's advice in {@code locale} (English where it has no translation), one
     * sentence after the other, e.g. "Repeats like "aaa" are easy to guess."; empty when there is none.
     */
    public String advice(Locale locale) {
        if (adviceKeys.isEmpty()) {
            return "";
        }
        ResourceBundle texts = bundle(locale);
        List<String> sentences = new ArrayList<>();
        for (String key : adviceKeys) {
            if (texts.containsKey(key)) {
                sentences.add(texts.getString(key));
            }
        }
        return String.join(" ", sentences);
    }

    private static ResourceBundle bundle(Locale locale) {
        // The estimator's own translations (zxcvbn4j's "messages_de.properties", ...), without
        // falling back to the JVM's default language for a locale it lacks: English is its base.
        ClassLoader loader = com.nulabinc.zxcvbn.Zxcvbn.class.getClassLoader();
        try {
            return ResourceBundle.getBundle(ESTIMATOR_TEXTS, locale, loader, NO_FALLBACK);
        } catch (MissingResourceException e) {
            return ResourceBundle.getBundle(ESTIMATOR_TEXTS, Locale.ROOT, loader, NO_FALLBACK);
        }
    }

    /** This violation as the exception {@link PasswordPolicy#requireValid} throws: field {@code password}. */
    public InvalidInputException toException() {
        return toException("password");
    }

    /** This violation as an exception about the input {@code field} (e.g. {@code new_password}). */
    public InvalidInputException toException(String field) {
        return new PasswordPolicyException(field, this);
    }
}
