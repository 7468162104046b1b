package dev.gatehouse.password;

import java.util.List;
import java.util.Optional;

/**
 * A hash as Spring Security's DelegatingPasswordEncoder stores it: {@code {id}} then the encoder's
 * output. Recognized ids are those of Spring Security 6's PasswordEncoderFactories for bcrypt,
 * argon2, pbkdf2 and scrypt, each with its {@code @SpringSecurity_v5_8} variant. {@code {noop}}
 * (plaintext) and the legacy digests ({@code {MD5}}, {@code {sha256}}, ...) are refused. Never
 * current: a match is always re-hashed into Gatehouse's own format.
 */
record SpringPrefixedHash(String id, StoredHash inner) implements StoredHash {

    static Optional<StoredHash> parse(String text) {
        int close = text.indexOf('}');
        if (close < 0) {
            return Optional.empty();
        }
        String id = text.substring(1, close);
        String rest = text.substring(close + 1);
        Optional<? extends StoredHash> inner = switch (id) {
            case "bcrypt" -> BcryptHash.parse(rest);
            case "argon2", "argon2@SpringSecurity_v5_8" -> Argon2Hash.parse(rest);
            case "scrypt", "scrypt@SpringSecurity_v5_8" -> ScryptHash.parseSpring(rest);
            case "pbkdf2" -> SpringPbkdf2Hash.parse(List.of(SpringPbkdf2Hash.V5_5, SpringPbkdf2Hash.V5_8), rest);
            case "pbkdf2@SpringSecurity_v5_8" -> SpringPbkdf2Hash.parse(List.of(SpringPbkdf2Hash.V5_8), rest);
            default -> Optional.empty();
        };
        return inner.map(hash -> new SpringPrefixedHash(id, hash));
    }

    @Override
    public boolean matches(String password, HashingContext context) {
        return inner.matches(password, context);
    }

    @Override
    public String toString() {
        return "SpringPrefixedHash[{" + id + "}, " + inner + "]";
    }
}
