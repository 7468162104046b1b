package dev.gatehouse.cli;

import static dev.gatehouse.config.Settings.DB_URL;
import static dev.gatehouse.config.Settings.SECRET;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.Secret;
import dev.gatehouse.jdbc.JdbcDatabase;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.PasswordPolicy;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The settings a command runs with: the application's own configuration, read the way the
 * application reads it (a properties file, then {@code GATEHOUSE_*} environment variables, the
 * later winning), and the database to work on.
 *
 * <p>The command signs nothing, so it does not need the application's {@code secret}. The core
 * refuses to build a configuration without one, so a random placeholder is set <em>before</em>
 * the file and the environment are read: a configured secret still replaces it (and is still
 * validated), and the placeholder is never used for anything.
 *
 * @param config  the validated configuration
 * @param dbUrl   the JDBC URL: {@code --db}, else {@code --data-dir}, else {@code db-url} from the
 *                environment or the file, else the embedded default
 * @param secretConfigured whether the file or the environment gave the application's {@code secret}
 *                (rather than the placeholder): needed by what seals values the application must
 *                open, such as imported TOTP keys
 */
record CliConfig(GatehouseConfig config, String dbUrl, boolean secretConfigured) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Reads the configuration.
     *
     * @throws CliException (usage) for {@code --db} with {@code --data-dir} or a {@code --db} that is
     *                      not a JDBC URL; (failure) for a configuration the application would refuse too
     */
    static CliConfig load(Path configFile, Path dataDir, String dbOption, Map<String, String> environment) {
        if (dbOption != null && dataDir != null) {
            throw CliException.usage("--db and --data-dir both name the database; give one");
        }
        String placeholder = placeholderSecret();
        GatehouseConfig.Builder builder = GatehouseConfig.builder().set(SECRET, Secret.of(placeholder));
        try {
            if (configFile != null) {
                builder.fromPropertiesFile(configFile);
            }
            builder.fromEnvironment(environment);
        } catch (InvalidConfigurationException e) {
            throw CliException.failure("INVALID_CONFIGURATION", "configuration: " + String.join("; ", e.problems()), e);
        }
        if (dbOption != null) {
            try {
                builder.set(DB_URL, dbOption);
            } catch (InvalidConfigurationException e) {
                // The core's message names db-url; the operator typed --db.
                throw CliException.usage("--db: not a JDBC URL; use e.g. jdbc:postgresql://db.example.com/app?user=app&password=...");
            }
        }
        GatehouseConfig config;
        try {
            config = builder.build();
        } catch (InvalidConfigurationException e) {
            throw CliException.failure("INVALID_CONFIGURATION", "configuration: " + String.join("; ", e.problems()), e);
        }
        String url;
        if (dbOption != null) {
            url = dbOption.strip();
        } else if (dataDir != null) {
            // H2 wants an absolute path or one starting with ./ ; absolute is unambiguous in messages.
            url = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("gatehouse");
        } else {
            url = config.get(DB_URL).orElse(JdbcDatabase.DEFAULT_EMBEDDED_URL);
        }
        boolean secretConfigured = !config.get(SECRET).reveal().equals(placeholder);
        return new CliConfig(config, url, secretConfigured);
    }

    /**
     * The hasher the application would build from {@code password-hash} and {@code password-salt}:
     * new hashes are written with the configured scheme at its default cost. It waits for a hashing
     * slot as long as it takes: a command has nobody to refuse, and nothing else competes in it.
     */
    PasswordHasher hasher() {
        return hasher(Optional.empty());
    }

    /** As {@link #hasher()}, with {@code salt} in place of the configured {@code password-salt} if present. */
    PasswordHasher hasher(Optional<String> salt) {
        PasswordHasher.Builder builder = PasswordHasher.fromConfig(config).waitIndefinitely();
        salt.ifPresent(builder::flaskSecurityPasswordSalt);
        return builder.build();
    }

    /** The policy for new passwords, from the password settings (see {@link PasswordPolicy#fromConfig}). */
    PasswordPolicy policy() {
        return PasswordPolicy.fromConfig(config);
    }

    private static String placeholderSecret() {
        byte[] bytes = new byte[48];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
