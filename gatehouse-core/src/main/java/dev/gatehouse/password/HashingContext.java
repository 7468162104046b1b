package dev.gatehouse.password;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** What hashing and verification need besides the password: the argon2 engine, randomness, Flask-Security's key. */
final class HashingContext {

    private final Supplier<Argon2Engine> argon2;
    private final SecureRandom random;
    private final Optional<SecretKeySpec> flaskSecurityKey;

    HashingContext(Supplier<Argon2Engine> argon2, SecureRandom random, Optional<String> flaskSecurityPasswordSalt) {
        this.argon2 = argon2;
        this.random = random;
        this.flaskSecurityKey = flaskSecurityPasswordSalt.map(salt -> {
            byte[] key = salt.getBytes(StandardCharsets.UTF_8);
            try {
                return new SecretKeySpec(key, "HmacSHA512");
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        });
    }

    Argon2Engine argon2() {
        return argon2.get();
    }

    byte[] salt(int length) {
        byte[] salt = new byte[length];
        random.nextBytes(salt);
        return salt;
    }

    /**
     * Flask-Security's {@code get_hmac}: {@code base64(HMAC-SHA512(SECURITY_PASSWORD_SALT, utf8(password)))},
     * the string its passlib scheme then hashes.
     *
     * @throws PasswordHasherConfigurationException when no Flask-Security salt is configured
     */
    String flaskSecurityHmac(String password) {
        SecretKeySpec key = flaskSecurityKey.orElseThrow(() -> new PasswordHasherConfigurationException(
                "FLASK_SECURITY_SALT_MISSING",
                "a stored hash imported from Flask-Security ({fs}) needs the application's SECURITY_PASSWORD_SALT:"
                        + " configure PasswordHasher.builder().flaskSecurityPasswordSalt(...)"));
        byte[] message = PasswordText.utf8(password);
        byte[] digest = null;
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(key);
            digest = mac.doFinal(message);
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            // HmacSHA512 is required of every Java SE runtime.
            throw new IllegalStateException("HmacSHA512 is not available", e);
        } finally {
            Arrays.fill(message, (byte) 0);
            if (digest != null) {
                Arrays.fill(digest, (byte) 0);
            }
        }
    }
}
