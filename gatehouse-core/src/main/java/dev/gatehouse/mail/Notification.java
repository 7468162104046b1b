package dev.gatehouse.mail;

import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An email to send, not yet rendered: which template, to whom, in which language, and the values
 * the template needs (links, a code, an email address, a username). Flows put notifications in the
 * {@link Outbox}; the {@link MailDelivery} worker renders each through a {@link MailComposer} when
 * it sends it, so the web layer's templates can change without touching queued mail.
 *
 * <p>Model entries named {@code code} or ending in {@code _link} are secrets: the outbox stores them
 * sealed ({@link dev.gatehouse.token.ValueSealer}). {@link #toString()} shows no model values.
 *
 * <p>Values are machine values, worded by the composer in the reader's language: entries named
 * {@code within} or ending in {@code _within} are durations in ISO-8601 ({@code PT1H}; put them
 * with {@link #durationValue(Duration)}, read them with {@link #duration(String)}).
 *
 * @param template a template name, {@code [a-z][a-z0-9_]{0,63}}, e.g. {@link MailTemplates#WELCOME}
 * @param to       the recipient's address, checked like any account email (so it holds no line
 *                 breaks and cannot inject headers)
 * @param locale   the language to render in
 * @param model    template values; names {@code [a-z][a-z0-9_]{0,63}}, values of at most
 *                 {@value #MAX_VALUE_LENGTH} characters without NUL characters or lone surrogates
 */
public record Notification(String template, String to, Locale locale, Map<String, String> model) {

    public static final int MAX_VALUE_LENGTH = 8000;
    /** Longest model once encoded for storage ({@link OutboxMessage#encodeModel(Map)}). */
    public static final int MAX_ENCODED_MODEL_LENGTH = 16_000;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public Notification {
        Objects.requireNonNull(template, "template");
        if (!NAME.matcher(template).matches()) {
            throw new IllegalArgumentException("a template name is [a-z][a-z0-9_]{0,63}, not " + template);
        }
        to = Identifiers.checkEmail(to);
        Objects.requireNonNull(locale, "locale");
        Map<String, String> copy = new LinkedHashMap<>();
        model.forEach((name, value) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("a model entry name is [a-z][a-z0-9_]{0,63}, not " + name);
            }
            Objects.requireNonNull(value, name);
            if (value.length() > MAX_VALUE_LENGTH || !Identifiers.isWellFormed(value)) {
                throw new IllegalArgumentException("model entry " + name + " is longer than " + MAX_VALUE_LENGTH
                        + " characters or holds a NUL character or a lone surrogate");
            }
            copy.put(name, value);
        });
        model = Collections.unmodifiableMap(copy);
        if (OutboxMessage.encodeModel(model).length() > MAX_ENCODED_MODEL_LENGTH) {
            throw new IllegalArgumentException("the model is too large to store (over " + MAX_ENCODED_MODEL_LENGTH
                    + " characters encoded)");
        }
    }

    /** Whether the model entry {@code name} is a secret, stored sealed. */
    public static boolean isSecret(String name) {
        return name.equals("code") || name.endsWith("_link");
    }

    /** Whether the model entry {@code name} is a duration: {@code within} or ending in {@code _within}. */
    public static boolean isDuration(String name) {
        return name.equals("within") || name.endsWith("_within");
    }

    /** {@code duration} as a model value: ISO-8601, e.g. {@code PT1H}. */
    public static String durationValue(Duration duration) {
        return duration.toString();
    }

    /**
     * The duration entry {@code name}, if the model has it in ISO-8601. Empty for a value in words:
     * messages queued before durations were stored as ISO-8601 held English ({@code 1 hour}), which
     * composers print as it is rather than parse.
     */
    public Optional<Duration> duration(String name) {
        String value = model.get(name);
        if (value == null || !isDuration(name) || !value.startsWith("P")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The language to write to {@code user} in: the user's {@code locale} attribute (a language
     * tag) if set, else the language of the client whose request caused the email, else English.
     */
    public static Locale localeFor(Optional<User> user, ClientInfo client) {
        return user.flatMap(u -> u.attribute("locale"))
                .map(Locale::forLanguageTag)
                .filter(l -> !l.getLanguage().isEmpty())
                .or(client::locale)
                .orElse(Locale.ENGLISH);
    }

    /** This notification with {@code model} instead of its own. */
    public Notification withModel(Map<String, String> model) {
        return new Notification(template, to, locale, model);
    }

    /** Template, recipient and locale; the model names only, never values. */
    @Override
    public String toString() {
        return "Notification[template=" + template + ", to=" + to + ", locale=" + locale.toLanguageTag()
                + ", model=" + model.keySet() + "]";
    }
}
