package dev.gatehouse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads the TOTP secrets Flask-Security stores ({@code tf_totp_secret}, the values of
 * {@code us_totp_secrets}): passlib's {@code TOTP.to_json()}, either with the key in base32
 * ({@code {"key": "…", "type": "totp", "v": 1}}) or, as Flask-Security writes it, encrypted with the
 * application's {@code SECURITY_TOTP_SECRETS}
 * ({@code {"enckey": {"c": cost, "k": …, "s": salt, "t": tag, "v": 1}, "type": "totp", "v": 1}}).
 *
 * <p>Decryption is passlib 1.7's {@code AppWallet}: PBKDF2-HMAC-SHA256 of the tag's secret (UTF-8)
 * with the salt and 2<sup>cost</sup> rounds gives 48 bytes, the first 32 an AES-256 key and the
 * last 16 the initial counter block for AES-CTR over the key. The format has no check value (by
 * design, so that a stolen database offers no oracle): a wrong secret for the right tag yields a
 * wrong key, not an error.
 *
 * <p>Every problem is an {@link IllegalArgumentException} whose message names what is wrong and
 * never any part of a secret or key.
 */
final class FlaskTotpSecrets {

    /** passlib's pattern for tags ({@code _tag_re}). */
    private static final Pattern TAG = Pattern.compile("(?i)[a-z0-9][a-z0-9_.-]*");
    /** passlib's default cost is 14; more than 2^20 rounds per value would make an import a denial of service. */
    static final int MAX_COST = 20;
    /** passlib refuses keys under 10 bytes; Gatehouse needs 80 bits too. */
    private static final int MIN_KEY_BYTES = 10;
    /** Far above any key passlib makes (20 bytes), so that a damaged value cannot make us decrypt megabytes. */
    private static final int MAX_KEY_BYTES = 128;
    private static final int MAX_STORED_CHARS = 4096;
    private static final Set<String> TOTP_FIELDS = Set.of("v", "type", "key", "enckey", "alg", "digits", "period",
            "label", "issuer", "last_counter");
    private static final Set<String> ENCKEY_FIELDS = Set.of("v", "c", "t", "s", "k");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Map<String, String> secrets;

    private FlaskTotpSecrets(Map<String, String> secrets) {
        this.secrets = secrets;
    }

    /** Without application secrets: only plain (unencrypted) values can be read. */
    static FlaskTotpSecrets none() {
        return new FlaskTotpSecrets(Map.of());
    }

    /**
     * Parses {@code SECURITY_TOTP_SECRETS} in the two text forms passlib accepts: a JSON object
     * ({@code {"1": "secret", "2": "newer secret"}}) or lines {@code tag: secret} (blank lines and
     * lines starting with {@code #} ignored).
     */
    static FlaskTotpSecrets parse(String text) {
        Map<String, String> secrets = new LinkedHashMap<>();
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            JsonNode json;
            try {
                json = JSON.readTree(trimmed);
            } catch (JsonProcessingException e) {
                // Jackson's message would quote the text, secrets included.
                throw new IllegalArgumentException("not a JSON object of tag: secret (JSON syntax error at line "
                        + e.getLocation().getLineNr() + ")");
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isTextual()) {
                    throw new IllegalArgumentException("the secret of tag " + safeTag(field.getKey()) + " is not a string");
                }
                add(secrets, field.getKey(), field.getValue().textValue());
            }
        } else {
            int number = 0;
            for (String line : trimmed.split("\\R")) {
                number++;
                String entry = line.strip();
                if (entry.isEmpty() || entry.startsWith("#")) {
                    continue;
                }
                int colon = entry.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("line " + number + " is not tag: secret");
                }
                add(secrets, entry.substring(0, colon).strip(), entry.substring(colon + 1).strip());
            }
        }
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("no tag: secret in it");
        }
        return new FlaskTotpSecrets(Map.copyOf(secrets));
    }

    private static void add(Map<String, String> secrets, String tag, String secret) {
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("tag " + safeTag(tag) + " has characters passlib does not allow in a tag");
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("tag " + tag + " has an empty secret");
        }
        if (secrets.put(tag, secret) != null) {
            throw new IllegalArgumentException("tag " + tag + " is given twice");
        }
    }

    private static String safeTag(String tag) {
        return TAG.matcher(tag).matches() ? tag : "(a tag with other characters)";
    }

    boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** The tags, for messages; never the secrets. */
    Set<String> tags() {
        return secrets.keySet();
    }

    /**
     * The TOTP key of a stored value, in canonical base32 (upper case, no padding).
     *
     * @throws IllegalArgumentException if it is not passlib's TOTP JSON, uses a TOTP variant
     *                                  Gatehouse does not (SHA-1, 6 digits, 30 s), is encrypted
     *                                  with a tag this object has no secret for, or its key is too short
     */
    String base32Key(String stored) {
        if (stored.length() > MAX_STORED_CHARS) {
            throw new IllegalArgumentException("longer than any TOTP secret passlib writes");
        }
        JsonNode json;
        try {
            json = JSON.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not passlib's TOTP JSON (it does not parse)");
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("not passlib's TOTP JSON (not an object)");
        }
        unknownFields(json, TOTP_FIELDS, "");
        if (!"totp".equals(text(json, "type"))) {
            throw new IllegalArgumentException("not passlib's TOTP JSON (no \"type\": \"totp\")");
        }
        if (!isInt(json.get("v"), 1)) {
            throw new IllegalArgumentException("passlib's TOTP JSON of a version other than 1");
        }
        variant(json);
        boolean plain = json.has("key");
        if (plain == json.has("enckey")) {
            throw new IllegalArgumentException("passlib's TOTP JSON needs exactly one of \"key\" and \"enckey\"");
        }
        byte[] key = plain ? base32(text(json, "key"), "key") : decrypt(json.get("enckey"));
        try {
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("its key has " + key.length * 8 + " bits, fewer than the 80 Gatehouse needs");
            }
            return Base32.encode(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Gatehouse's TOTP is passlib's default: SHA-1, 6 digits, 30 seconds. */
    private static void variant(JsonNode json) {
        if (json.has("alg") && !"sha1".equalsIgnoreCase(String.valueOf(text(json, "alg")))) {
            throw new IllegalArgumentException("its TOTP uses another hash than SHA-1, which Gatehouse does not support");
        }
        if (json.has("digits") && !isInt(json.get("digits"), 6)) {
            throw new IllegalArgumentException("its TOTP codes do not have 6 digits, which Gatehouse does not support");
        }
        if (json.has("period") && !isInt(json.get("period"), 30)) {
            throw new IllegalArgumentException("its TOTP period is not 30 seconds, which Gatehouse does not support");
        }
    }

    private byte[] decrypt(JsonNode enckey) {
        if (!enckey.isObject()) {
            throw new IllegalArgumentException("its \"enckey\" is not an object");
        }
        unknownFields(enckey, ENCKEY_FIELDS, "enckey.");
        if (!isInt(enckey.get("v"), 1)) {
            throw new IllegalArgumentException("encrypted with a passlib format other than version 1");
        }
        JsonNode costNode = enckey.get("c");
        if (costNode == null || !costNode.isIntegralNumber() || costNode.asLong() < 0 || costNode.asLong() > MAX_COST) {
            throw new IllegalArgumentException("its encryption cost is not a whole number from 0 to " + MAX_COST);
        }
        String tag = text(enckey, "t");
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("its encryption tag is missing or not a passlib tag");
        }
        String secret = secrets.get(tag);
        if (secret == null) {
            throw new IllegalArgumentException(secrets.isEmpty()
                    ? "it is encrypted (tag " + tag + ") and no TOTP secrets were given (--totp-secrets)"
                    : "it is encrypted with tag " + tag + ", which the given TOTP secrets do not have");
        }
        byte[] salt = base32(text(enckey, "s"), "enckey.s");
        byte[] ciphertext = base32(text(enckey, "k"), "enckey.k");
        if (salt.length == 0 || ciphertext.length == 0) {
            throw new IllegalArgumentException("its encrypted key or salt is empty");
        }
        if (ciphertext.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("its encrypted key is longer than any passlib writes");
        }
        char[] password = secret.toCharArray();
        byte[] keyIv = null;
        try {
            // SunJCE encodes the password's chars as UTF-8, as passlib's to_bytes does.
            PBEKeySpec spec = new PBEKeySpec(password, salt, 1 << costNode.asInt(), 48 * 8);
            keyIv = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            spec.clearPassword();
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyIv, 0, 32, "AES"), new IvParameterSpec(keyIv, 32, 16));
            return aes.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            // PBKDF2 and AES-CTR are in every Java 17 runtime; this is a broken installation, not bad input.
            throw new IllegalStateException("this Java runtime cannot decrypt passlib's TOTP secrets: " + e, e);
        } finally {
            Arrays.fill(password, '\0');
            if (keyIv != null) {
                Arrays.fill(keyIv, (byte) 0);
            }
        }
    }

    private static void unknownFields(JsonNode json, Set<String> known, String prefix) {
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("passlib's TOTP JSON has no field " + prefix
                        + (name.matches("[a-z_]{1,20}") ? name : "(with other characters)"));
            }
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static boolean isInt(JsonNode node, int value) {
        return node != null && node.isIntegralNumber() && node.canConvertToInt() && node.asInt() == value;
    }

    /** passlib's {@code b32decode}: case-insensitive, padding optional, 8 read as B and 0 as O, spaces and hyphens ignored for keys. */
    private static byte[] base32(String text, String field) {
        if (text == null) {
            throw new IllegalArgumentException("its " + field + " is missing or not a string");
        }
        Optional<byte[]> decoded = Base32.decode(field.equals("key") ? text.replaceAll("[\\s-]", "") : text);
        return decoded.orElseThrow(() -> new IllegalArgumentException("its " + field + " is not base32"));
    }

    /** RFC 4648 base32 (commons-codec), with passlib's stricter reading of its input. */
    static final class Base32 {
        private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        private static final org.apache.commons.codec.binary.Base32 CODEC = new org.apache.commons.codec.binary.Base32();

        private Base32() {
        }

        static String encode(byte[] bytes) {
            return CODEC.encodeToString(bytes).replace("=", "");
        }

        /**
         * Decodes as Python's {@code base64.b32decode(casefold=True)} after passlib's fixes
         * (padding added, 8 to B, 0 to O): only whole 8-character groups with valid padding
         * lengths are accepted, so a truncated value is refused rather than silently shortened
         * (commons-codec alone would skip stray characters and drop a partial group).
         */
        static Optional<byte[]> decode(String text) {
            String upper = text.toUpperCase(java.util.Locale.ROOT).replace('8', 'B').replace('0', 'O');
            int end = upper.length();
            while (end > 0 && upper.charAt(end - 1) == '=') {
                end--;
            }
            String data = upper.substring(0, end);
            // A last group of 1, 3 or 6 characters is no whole number of bytes.
            int rest = data.length() % 8;
            if (rest == 1 || rest == 3 || rest == 6 || !data.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
                return Optional.empty();
            }
            return Optional.of(CODEC.decode(data));
        }
    }
}
