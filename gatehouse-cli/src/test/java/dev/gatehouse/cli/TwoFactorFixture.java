package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Flask-Security two-factor fixture made by
 * {@code tools/fixtures/make_flask_security_two_factor.py}: a SQLite database whose users set up
 * second factors through Flask-Security, and {@code two_factor.json}, what the script recorded —
 * the application's {@code SECURITY_TOTP_SECRETS}, each key passlib decrypted and the codes passlib
 * generated from it at fixed times.
 */
final class TwoFactorFixture {

    /** SECURITY_TOTP_SECRETS of the fixture application (TOTP_SECRETS in the script). */
    static final String TOTP_SECRET_1 = "old-fixture-totp-secret-0f3a9c";
    static final String TOTP_SECRET_2 = "fixture-totp-secret-ünïcode-7be21d";
    /** Its SECURITY_PASSWORD_SALT. */
    static final String SALT = "fixture-salt-two-factor-8d1f";

    private static final String RESOURCES = "/flask-security/";
    private static final JsonNode RECORD = readRecord();

    private TwoFactorFixture() {
    }

    static JsonNode record() {
        return RECORD;
    }

    /** The application's secrets, as the record holds them (and so as the script used them). */
    static FlaskTotpSecrets totpSecrets() {
        return FlaskTotpSecrets.parse(RECORD.path("totp_secrets").toString());
    }

    /** The secrets file an operator writes: passlib's "tag: secret" lines. */
    static Path secretsFile(Path directory) {
        Path file = directory.resolve("totp-secrets.txt");
        try {
            Files.writeString(file, "# SECURITY_TOTP_SECRETS of the Flask application\n1: " + TOTP_SECRET_1 + "\n2: "
                    + TOTP_SECRET_2 + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The base32 key passlib read from a user's stored secret. */
    static String key(String email) {
        return RECORD.path("users").path(email).path("key").asText();
    }

    /** A copy of the SQLite database in {@code directory}. */
    static Path sqliteCopy(Path directory) {
        Path copy = directory.resolve("flask-two-factor.sqlite");
        try {
            Files.copy(resource(), copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    /** One column of one user of the SQLite fixture, as stored. */
    static Optional<String> column(String email, String column) {
        try (Connection c = DriverManager.getConnection(FlaskFixture.sqliteUrl(resource()) + "?open_mode=1");
             PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM user WHERE email = ?")) {
            s.setString(1, email);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalArgumentException("no fixture user " + email);
                }
                return Optional.ofNullable(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 6238 with SHA-1, 6 digits, 30 s: the reference the recorded codes are compared with. */
    static String totp(byte[] key, long epochSecond) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(epochSecond / 30).array());
            int offset = hash[hash.length - 1] & 0xf;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readRecord() {
        try (InputStream in = TwoFactorFixture.class.getResourceAsStream(RESOURCES + "two_factor.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resource() {
        try {
            return Path.of(TwoFactorFixture.class.getResource(RESOURCES + "fsqla_v3_two_factor.sqlite").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
