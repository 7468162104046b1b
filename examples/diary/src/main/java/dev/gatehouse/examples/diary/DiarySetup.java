package dev.gatehouse.examples.diary;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.DB_URL;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.MAIL_FOLDER;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.SECRET;
import static dev.gatehouse.config.Settings.SITE_NAME;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.config.Secret;
import dev.gatehouse.error.GatehouseException;
import dev.gatehouse.jdbc.JdbcDatabase;
import dev.gatehouse.jdbc.JdbcStores;
import dev.gatehouse.oidc.OidcFeature;
import dev.gatehouse.passkeys.PasskeysFeature;
import dev.gatehouse.twofactor.SmsService;
import dev.gatehouse.twofactor.TwoFactorSettings;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.web.FieldValidator;
import dev.gatehouse.web.Messages;
import dev.gatehouse.web.RegistrationField;
import dev.gatehouse.web.WebOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything of the diary that does not depend on the web stack, shared by the Javalin diary
 * ({@link DiaryMain}) and the Spring Boot diary ({@code examples/diary-spring}): the command line,
 * the {@code GATEHOUSE_*} environment and the diary's defaults, the database with Gatehouse's
 * stores and the entries, the demo users and secret, and Gatehouse's web options (texts, the
 * registration field, roles). Holds no web framework type, so the Spring diary can leave Javalin out.
 *
 * <ul>
 *   <li>Database: the embedded H2 file {@code <data>/gatehouse.mv.db} unless {@code --db-url} or
 *       {@code GATEHOUSE_DB_URL} names another (PostgreSQL); its password comes from
 *       {@code DIARY_DB_PASSWORD}, never from the command line.</li>
 *   <li>Settings: registration, password recovery and password change are on; email confirmation
 *       is one setting away ({@code GATEHOUSE_CONFIRMABLE=true}), and so are passkeys
 *       ({@code GATEHOUSE_WEBAUTHN=true}; relying party {@code localhost} unless
 *       {@code GATEHOUSE_EXTERNAL_URL} names another host). Every Gatehouse setting can be
 *       changed through its {@code GATEHOUSE_<SETTING>} environment variable.</li>
 *   <li>Mail: written as {@code .eml} files into {@code <data>/mail} (the development mailer), so
 *       the demo needs no mail server; {@code GATEHOUSE_MAIL_BACKEND=smtp} and the
 *       {@code GATEHOUSE_MAIL_*} settings send it instead.</li>
 *   <li>Secret: {@code GATEHOUSE_SECRET}; with {@code --demo} and no secret, one is generated
 *       once into {@code <data>/secret}, with a warning.</li>
 * </ul>
 */
public final class DiarySetup {

    public static final String ADMIN = "Admin";
    public static final String WRITER = "Writer";

    private DiarySetup() {
    }

    /** What the command line says. */
    public record Options(String host, int port, Path data, Optional<String> dbUrl, Optional<String> dbUser, boolean demo,
            boolean help) {

        public static final String USAGE = """
                Usage: diary [--port N] [--host ADDRESS] [--data FOLDER] [--db-url JDBC_URL] [--db-user USER] [--demo]
                  --port N         HTTP port (default 8080; 0 picks a free one)
                  --host ADDRESS   address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
                  --data FOLDER    folder of the H2 database and the demo secret (default ./data)
                  --db-url URL     JDBC URL of another database, e.g. jdbc:postgresql://localhost/diary
                                   (also GATEHOUSE_DB_URL); its password comes from DIARY_DB_PASSWORD
                  --db-user USER   database user (default sa for H2; also DIARY_DB_USER)
                  --demo           without GATEHOUSE_SECRET, generate a secret into the data folder
                Every Gatehouse setting can be set through its GATEHOUSE_<SETTING> environment variable.""";

        public static Options parse(String... args) {
            String host = "127.0.0.1";
            int port = 8080;
            Path data = Path.of("data");
            String dbUrl = null;
            String dbUser = null;
            boolean demo = false;
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--port" -> port = port(value(args, ++i, arg));
                    case "--host" -> host = value(args, ++i, arg);
                    case "--data" -> data = Path.of(value(args, ++i, arg));
                    case "--db-url" -> dbUrl = value(args, ++i, arg);
                    case "--db-user" -> dbUser = value(args, ++i, arg);
                    case "--demo" -> demo = true;
                    case "--help", "-h" -> help = true;
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            return new Options(host, port, data, Optional.ofNullable(dbUrl), Optional.ofNullable(dbUser), demo, help);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int port(String text) {
            try {
                int port = Integer.parseInt(text);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            throw new IllegalArgumentException("--port needs a number from 0 to 65535, not " + text);
        }
    }

    /** Starts a diary on one web stack, as its main class does. */
    @FunctionalInterface
    public interface Launcher {
        /** Opens the back end and starts serving; the result stops both. */
        AutoCloseable launch(Options options, Map<String, String> environment, PrintStream out);
    }

    /**
     * A diary's {@code main}: parses {@code args} (a wrong one prints the usage and exits with 2;
     * {@code --help} prints it), launches, and stops the diary when the JVM ends. A problem at
     * start-up that the operator fixes — configuration, database, port: {@link GatehouseException},
     * {@link IllegalStateException}, {@link UncheckedIOException} or one of {@code alsoExpected} —
     * prints its message and exits with 1; anything else is a bug and propagates with its trace.
     */
    @SafeVarargs
    public static void main(String[] args, Launcher launcher, Class<? extends RuntimeException>... alsoExpected) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("diary: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            return;
        }
        try {
            AutoCloseable running = launcher.launch(options, System.getenv(), System.out);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    running.close();
                } catch (Exception e) {
                    System.err.println("diary: while stopping: " + e.getMessage());
                }
            }, "diary-shutdown"));
        } catch (RuntimeException e) {
            boolean expected = e instanceof GatehouseException || e instanceof IllegalStateException
                    || e instanceof UncheckedIOException || Arrays.stream(alsoExpected).anyMatch(type -> type.isInstance(e));
            if (!expected) {
                throw e;
            }
            System.err.println("diary: " + e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
            System.exit(1);
        }
    }

    /**
     * The diary's Gatehouse, database and entries, ready for a web stack to serve on {@code port}.
     * Closing it (after the web stack stopped) stops Gatehouse's background work, then closes the
     * database that work reads.
     */
    public record Backend(Gatehouse gatehouse, Entries entries, JdbcDatabase database, GatehouseConfig config, int port)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                gatehouse.close();
            } finally {
                database.close();
            }
        }
    }

    /** Connects, migrates and seeds as {@code options} and {@code environment} say; prints the demo users created. */
    public static Backend open(Options options, Map<String, String> environment, PrintStream out) {
        try {
            Files.createDirectories(options.data());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + options.data(), e);
        }
        // Emailed links need the real port, so "--port 0" (any free port) picks one before start.
        int port = options.port() == 0 ? freePort(options.host()) : options.port();
        GatehouseConfig.Builder settings = GatehouseConfig.builder()
                .set(REGISTERABLE, true)
                .set(CONFIRMABLE, false)
                .set(CHANGEABLE, true)
                .set(RECOVERABLE, true)
                // In the configuration: pages, emails, SMS codes and the authenticator app's issuer name the site.
                .set(SITE_NAME, "Diary")
                // Emailed links (password reset) need an absolute base; GATEHOUSE_EXTERNAL_URL overrides it.
                .set(EXTERNAL_URL, "http://localhost:" + port)
                // No mail server for a demo: messages become files to open; GATEHOUSE_MAIL_BACKEND=smtp sends them.
                .set(MAIL_BACKEND, MailBackend.FILES)
                .set(MAIL_FOLDER, options.data().resolve("mail").toString())
                .fromEnvironment(environment);
        options.dbUrl().ifPresent(value -> settings.set(DB_URL, value));
        if (!environment.containsKey("GATEHOUSE_SECRET")) {
            if (!options.demo()) {
                throw new IllegalStateException("set GATEHOUSE_SECRET to at least 32 random bytes (openssl rand -base64 48),"
                        + " or start with --demo to generate one into the data folder");
            }
            settings.set(SECRET, Secret.of(demoSecret(options.data(), out)));
        }
        GatehouseConfig config = settings.build();
        String url = config.get(DB_URL).orElse("jdbc:h2:file:" + options.data().resolve("gatehouse").toAbsolutePath());
        boolean h2 = url.startsWith("jdbc:h2:");
        String user = options.dbUser().or(() -> Optional.ofNullable(environment.get("DIARY_DB_USER"))).orElse(h2 ? "sa" : "");
        JdbcDatabase database = JdbcDatabase.connect(url, user, environment.getOrDefault("DIARY_DB_PASSWORD", ""));
        try {
            Gatehouse gatehouse = Gatehouse.builder()
                    .config(config)
                    // Users, sessions, rate limits, locks, queued mail and account events survive a restart.
                    .stores(JdbcStores.create(database.dataSource()))
                    .build();
            Entries entries = Entries.create(database.dataSource(), gatehouse.clock());
            seed(gatehouse).forEach(line -> out.println("  " + line));
            return new Backend(gatehouse, entries, database, config, port);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The lines a started diary prints: where it runs, the demo users, where emails go. */
    public static void printStarted(PrintStream out, Backend backend, String address, String mailDestination) {
        out.println();
        out.println("  Diary is running at " + address);
        out.println("  Sign in as admin@example.com / adminpass or writer@example.com / writerpass, or register.");
        out.println("  Emails (welcome, password reset, ...): " + mailDestination);
        if (backend.config().get(TwoFactorSettings.SMS_SERVICE) == SmsService.FILES) {
            out.println("  Text messages (SMS codes): files in " + backend.config().get(MAIL_FOLDER) + ", never sent");
        }
        if (backend.config().get(COOKIE_SECURE)) {
            // Secure cookies over plain HTTP: browsers make an exception for the local machine
            // only (Chromium, which the tests drive, for localhost and 127.0.0.1), and not all do.
            out.println("  Its cookies are Secure, which browsers accept over plain HTTP only on this machine;");
            out.println("  if yours refuses them (you stay signed out), start with GATEHOUSE_COOKIE_SECURE=false.");
        }
        out.println("  Stop it with Ctrl-C.");
        out.println();
    }

    /**
     * A port free on {@code host} right now. Another process could take it before the diary binds
     * it; the start then fails with the usual "port in use" message.
     */
    static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host, e);
        }
    }

    /**
     * What the diary changes in Gatehouse's web layer: its texts (a bundle of its own,
     * in the same three languages), a display name on the registration form, the Writer role for
     * everybody who registers, and {@code is_admin} on every page; sign-in with the providers
     * of {@code oidc-providers}, if any (accounts they create are Writers too); and passkeys when
     * {@code webauthn} is on ({@code GATEHOUSE_WEBAUTHN=true}): the account menu then links the
     * passkey page and the login page offers "Sign in with a passkey". Two-factor sign-in,
     * recovery codes and unified sign-in need no wiring: their settings ({@code GATEHOUSE_TWO_FACTOR=true},
     * ...) mount the pages, and the account menu links each one that is on.
     */
    public static WebOptions webOptions(Gatehouse gatehouse) {
        return WebOptions.builder()
                .feature(OidcFeature.fromConfig(gatehouse))
                // Mounted only when webauthn is on; the relying party is external-url's host.
                .feature(new PasskeysFeature())
                .messages(Messages.defaults().withBundle("dev.gatehouse.examples.diary.messages", DiarySetup.class.getClassLoader()))
                .registrationField(RegistrationField.of("display_name", "DIARY_LABEL_DISPLAY_NAME",
                        RegistrationField.InputType.TEXT, false, FieldValidator.none()).withAutocomplete("nickname").withMaxLength(60))
                .registrationRoles(WRITER)
                .contextProcessor(page -> Map.of("is_admin", page.user().hasRole(ADMIN)))
                .userPayload(user -> Map.of("id", user.id(), "email", user.email()))
                .build();
    }

    /**
     * Creates the roles and the tutorial's two users when they are missing. The users are made
     * directly through the store with the password hasher, bypassing the password policy as the
     * tutorial does: their passwords are demo passwords, far too weak for real accounts.
     *
     * @return a line for each user created
     */
    public static List<String> seed(Gatehouse gatehouse) {
        gatehouse.users().findOrCreateRole(WRITER);
        gatehouse.users().findOrCreateRole(ADMIN);
        List<String> created = new ArrayList<>();
        seedUser(gatehouse, "admin@example.com", "adminpass", ADMIN).ifPresent(created::add);
        seedUser(gatehouse, "writer@example.com", "writerpass", WRITER).ifPresent(created::add);
        return created;
    }

    private static Optional<String> seedUser(Gatehouse gatehouse, String email, String password, String role) {
        if (gatehouse.users().findUserByEmail(email).isPresent()) {
            return Optional.empty();
        }
        gatehouse.users().createUser(NewUser.builder(email)
                .passwordHash(gatehouse.passwords().hash(password))
                .confirmedAt(gatehouse.clock().instant())
                .roles(role)
                .build());
        return Optional.of("Created the demo user " + email + " (" + role + ") with the password " + password);
    }

    /**
     * The secret in {@code <data>/secret}, generated on first use: good enough for a demo on one
     * machine, never for anything else (the file sits next to the data it protects).
     */
    static String demoSecret(Path data, PrintStream out) {
        Path file = data.resolve("secret");
        try {
            if (!Files.exists(file)) {
                byte[] bytes = new byte[48];
                new SecureRandom().nextBytes(bytes);
                Files.writeString(file, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.US_ASCII);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system (Windows): the folder's permissions have to do.
                }
            }
            out.println("WARNING: demo mode: signing with the generated secret in " + file.toAbsolutePath()
                    + ". Set GATEHOUSE_SECRET for anything but a demo.");
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the demo secret " + file, e);
        }
    }
}
