package dev.gatehouse.password;

/**
 * A hash imported from Flask-Security with its double hashing: Flask-Security hashes
 * {@code base64(HMAC-SHA512(key = SECURITY_PASSWORD_SALT, msg = password))} rather than the password.
 * Such hashes look exactly like plain passlib hashes, so the import writes them behind a
 * {@code {fs}} prefix. Never current: a match is always re-hashed without the HMAC step.
 */
record FlaskSecurityHash(StoredHash inner) implements StoredHash {

    static final String PREFIX = "{fs}";

    @Override
    public boolean matches(String password, HashingContext context) {
        return inner.matches(context.flaskSecurityHmac(password), context);
    }

    @Override
    public String toString() {
        return "FlaskSecurityHash[" + inner + "]";
    }
}
