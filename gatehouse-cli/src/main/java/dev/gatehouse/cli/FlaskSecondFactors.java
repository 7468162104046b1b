package dev.gatehouse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gatehouse.cli.FlaskSecuritySource.SourceFactors;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.TwoFactor;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What of a Flask-Security user's second factors Gatehouse takes over: the arguments of
 * {@link dev.gatehouse.twofactor.TwoFactor#importFactors}. {@code toString} never shows the key.
 *
 * <ul>
 *   <li>{@code tf_primary_method} ({@code authenticator}, {@code email}, {@code sms}; Flask-Security's
 *       older {@code google_authenticator} and {@code mail} too) becomes the primary method. The
 *       authenticator needs the key from {@code tf_totp_secret}, SMS the {@code tf_phone_number}.
 *       For email and SMS Flask-Security derives its codes from a TOTP secret too; Gatehouse sends
 *       its own codes, so that secret is not needed.</li>
 *   <li>{@code us_totp_secrets}' methods become the unified sign-in methods; its authenticator key
 *       is used when the user has no two-factor authenticator key, SMS uses {@code us_phone_number}.
 *       Gatehouse keeps one authenticator key and one phone per user: a second, different one is
 *       left out with a warning.</li>
 *   <li>{@code mf_recovery_codes} are not imported (see {@link #plan}).</li>
 * </ul>
 *
 * Anything unreadable leaves out that factor with a warning naming the user and the reason; the
 * user is imported all the same, as it was before second factors were imported at all.
 */
record FlaskSecondFactors(Optional<String> base32Key, Optional<FactorMethod> primaryMethod, Optional<String> phoneNumber,
                          Set<FactorMethod> signInMethods) {

    static final FlaskSecondFactors NONE = new FlaskSecondFactors(Optional.empty(), Optional.empty(), Optional.empty(),
            Set.of());

    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** Flask-Security's names before 4.0, which it still honours when stored (CHANGES, 4.0.0). */
    private static final Map<String, FactorMethod> OLD_NAMES = Map.of(
            "google_authenticator", FactorMethod.AUTHENTICATOR, "mail", FactorMethod.EMAIL);

    FlaskSecondFactors {
        signInMethods = Set.copyOf(signInMethods);
    }

    boolean isEmpty() {
        return primaryMethod.isEmpty() && signInMethods.isEmpty();
    }

    @Override
    public String toString() {
        return "FlaskSecondFactors[primaryMethod=" + primaryMethod.map(FactorMethod::wireName).orElse("")
                + ", signInMethods=" + signInMethods + ", key=" + (base32Key.isPresent() ? "(set)" : "(none)") + "]";
    }

    /**
     * Decides what is imported for one user, adding a warning (never a secret) for each factor left
     * out. Recovery codes are never imported: Flask-Security's have 48 bits (12 hex digits), fewer
     * than the 64 Gatehouse requires of its own, and may be Fernet-encrypted with keys the import
     * does not have; the user makes new ones.
     */
    static FlaskSecondFactors plan(String email, SourceFactors source, FlaskTotpSecrets secrets, List<String> warnings) {
        String subject = "user " + email + ": ";
        Optional<String> key = Optional.empty();
        Optional<FactorMethod> primary = Optional.empty();
        Optional<String> phone = Optional.empty();
        if (source.primaryMethod().isPresent()) {
            String name = source.primaryMethod().get().strip();
            Optional<FactorMethod> method = FactorMethod.fromWire(name).or(() -> Optional.ofNullable(OLD_NAMES.get(name)));
            String dropped = "; imported without its second factor, so the password alone will sign it in";
            if (method.isEmpty()) {
                warnings.add(subject + "its two-factor method (tf_primary_method) is not one Gatehouse knows" + dropped);
            } else if (method.get() == FactorMethod.AUTHENTICATOR) {
                try {
                    key = Optional.of(secrets.base32Key(source.totpSecret()
                            .orElseThrow(() -> new IllegalArgumentException("it is empty"))));
                    primary = method;
                } catch (IllegalArgumentException e) {
                    warnings.add(subject + "its authenticator secret (tf_totp_secret) cannot be read: " + e.getMessage()
                            + dropped);
                }
            } else if (method.get() == FactorMethod.SMS) {
                if (source.phoneNumber().isEmpty()) {
                    warnings.add(subject + "its two-factor method is sms but it has no tf_phone_number" + dropped);
                } else if (phone(source.phoneNumber().get()).isEmpty()) {
                    warnings.add(subject + "its tf_phone_number is not an international number (+ and country code)"
                            + dropped);
                } else {
                    phone = phone(source.phoneNumber().get());
                    primary = method;
                }
            } else {
                primary = method;
            }
        }
        Set<FactorMethod> signIn = EnumSet.noneOf(FactorMethod.class);
        if (source.signInSecrets().isPresent()) {
            String skipped = "; that sign-in method is not imported";
            JsonNode methods = parseObject(source.signInSecrets().get());
            if (methods == null) {
                warnings.add(subject + "its unified sign-in methods (us_totp_secrets) are not a JSON object; none is imported");
                methods = JSON.createObjectNode();
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = methods.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                Optional<FactorMethod> method = FactorMethod.fromWire(field.getKey());
                if (method.isEmpty()) {
                    warnings.add(subject + "unified sign-in method "
                            + (field.getKey().matches("[a-z_]{1,30}") ? field.getKey() : "(with other characters)")
                            + " is not one Gatehouse knows" + skipped);
                } else if (method.get() == FactorMethod.AUTHENTICATOR) {
                    try {
                        if (!field.getValue().isTextual()) {
                            throw new IllegalArgumentException("it is not a string");
                        }
                        String signInKey = secrets.base32Key(field.getValue().textValue());
                        if (key.isPresent() && !key.get().equals(signInKey)) {
                            warnings.add(subject + "its unified sign-in authenticator has another key than its two-factor"
                                    + " one; Gatehouse keeps one authenticator key per user (the two-factor one)" + skipped);
                        } else {
                            key = Optional.of(signInKey);
                            signIn.add(FactorMethod.AUTHENTICATOR);
                        }
                    } catch (IllegalArgumentException e) {
                        warnings.add(subject + "its unified sign-in authenticator secret (us_totp_secrets) cannot be read: "
                                + e.getMessage() + skipped);
                    }
                } else if (method.get() == FactorMethod.SMS) {
                    Optional<String> usPhone = source.signInPhoneNumber().flatMap(FlaskSecondFactors::phone);
                    if (source.signInPhoneNumber().isEmpty()) {
                        warnings.add(subject + "unified sign-in by sms but it has no us_phone_number" + skipped);
                    } else if (usPhone.isEmpty()) {
                        warnings.add(subject + "its us_phone_number is not an international number (+ and country code)"
                                + skipped);
                    } else if (phone.isPresent() && !phone.equals(usPhone)) {
                        warnings.add(subject + "its unified sign-in phone number is not its two-factor one; Gatehouse"
                                + " keeps one phone number per user (the two-factor one)" + skipped);
                    } else {
                        phone = usPhone;
                        signIn.add(FactorMethod.SMS);
                    }
                } else {
                    signIn.add(method.get());
                }
            }
        }
        source.recoveryCodes().ifPresent(codes -> warnings.add(subject + codes.split(",").length
                + " recovery codes (mf_recovery_codes) are not imported: Flask-Security's have 48 bits, fewer than"
                + " Gatehouse requires; the user can make new ones"));
        return new FlaskSecondFactors(key, primary, phone, signIn);
    }

    /**
     * A phone number as Gatehouse stores it ({@link TwoFactor#normalizePhoneNumber}), empty if it
     * is none, so the plan can warn instead of failing; Flask-Security keeps them E.164 already.
     */
    static Optional<String> phone(String stored) {
        try {
            return Optional.of(TwoFactor.normalizePhoneNumber(stored));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }

    private static JsonNode parseObject(String text) {
        try {
            JsonNode json = JSON.readTree(text);
            return json != null && json.isObject() ? json : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
