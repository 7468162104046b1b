package dev.gatehouse.cli;

import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.SecondFactorRecord;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.Role;
import dev.gatehouse.user.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How users and roles are shown: as text and as JSON objects (snake_case keys, ISO-8601 UTC
 * instants). Neither ever shows a password hash or a security stamp; only the name of the
 * password's hash scheme, so an operator can see that an imported hash was upgraded.
 */
final class Views {

    private Views() {
    }

    static Map<String, Object> user(User user) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", user.id());
        json.put("email", user.email());
        json.put("username", user.username().orElse(null));
        json.put("active", user.isActive());
        json.put("confirmed_at", instant(user.confirmedAt()));
        json.put("created_at", user.createdAt().toString());
        json.put("last_login_at", instant(user.lastLoginAt()));
        json.put("current_login_at", instant(user.currentLoginAt()));
        json.put("last_login_ip", user.lastLoginIp().orElse(null));
        json.put("current_login_ip", user.currentLoginIp().orElse(null));
        json.put("login_count", user.loginCount());
        json.put("roles", List.copyOf(new TreeSet<>(user.roleNames())));
        json.put("permissions", List.copyOf(new TreeSet<>(user.permissions())));
        json.put("attributes", user.attributes());
        json.put("password", user.passwordHash().map(Views::passwordScheme).orElse(null));
        return json;
    }

    static String userText(User user) {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("id", Long.toString(user.id()));
        lines.put("email", user.email());
        lines.put("username", user.username().orElse("-"));
        lines.put("active", user.isActive() ? "yes" : "no");
        lines.put("confirmed", user.confirmedAt().map(Instant::toString).orElse("no"));
        lines.put("created", user.createdAt().toString());
        lines.put("password", user.passwordHash().map(Views::passwordScheme).orElse("none"));
        lines.put("roles", list(user.roleNames()));
        lines.put("permissions", list(user.permissions()));
        lines.put("last login", login(user.lastLoginAt(), user.lastLoginIp()));
        lines.put("current login", login(user.currentLoginAt(), user.currentLoginIp()));
        lines.put("login count", Integer.toString(user.loginCount()));
        user.attributes().forEach((name, value) -> lines.put("attribute " + name, value));
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        StringBuilder text = new StringBuilder();
        lines.forEach((key, value) -> text.append(String.format("%-" + width + "s%s%n", key + ":", value)));
        return text.toString().stripTrailing();
    }

    /** A user's second factors for {@code users show --json} and {@code users two-factor}; never secrets or digests. */
    static Map<String, Object> twoFactor(Optional<SecondFactorRecord> record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", record.flatMap(SecondFactorRecord::primaryMethod).map(FactorMethod::wireName).orElse(null));
        json.put("phone", record.flatMap(SecondFactorRecord::phoneNumber).map(Views::maskPhone).orElse(null));
        json.put("sign_in_methods", List.copyOf(methodNames(record.map(SecondFactorRecord::signInMethods).orElse(Set.of()))));
        json.put("recovery_codes_left", record.map(r -> r.recoveryCodeDigests().size()).orElse(0));
        return json;
    }

    /** The lines {@code users show} adds about second factors. */
    static String twoFactorText(Optional<SecondFactorRecord> record) {
        Map<String, Object> json = twoFactor(record);
        return "two-factor:     " + (json.get("method") == null ? "off" : json.get("method"))
                + (json.get("phone") == null ? "" : ", phone " + json.get("phone"))
                + "\nsign-in codes:  " + list(methodNames(record.map(SecondFactorRecord::signInMethods).orElse(Set.of())))
                + "\nrecovery codes: " + json.get("recovery_codes_left") + " left";
    }

    static TreeSet<String> methodNames(Set<FactorMethod> methods) {
        TreeSet<String> names = new TreeSet<>();
        methods.forEach(m -> names.add(m.wireName()));
        return names;
    }

    /** A phone number with all but its first 3 and last 3 characters hidden: {@code +49********678}. */
    static String maskPhone(String phone) {
        if (phone.length() <= 6) {
            return "*".repeat(phone.length());
        }
        return phone.substring(0, 3) + "*".repeat(phone.length() - 6) + phone.substring(phone.length() - 3);
    }

    static Map<String, Object> identity(ExternalIdentity identity) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("provider", identity.provider());
        json.put("issuer", identity.issuer());
        json.put("subject", identity.subject());
        json.put("email", identity.email().orElse(null));
        json.put("linked_at", identity.linkedAt().toString());
        json.put("last_sign_in_at", instant(identity.lastSignInAt()));
        return json;
    }

    /** A user's linked identities as a table under a heading, or a line saying there are none. */
    static String identitiesText(List<ExternalIdentity> identities) {
        if (identities.isEmpty()) {
            return "linked identities: none";
        }
        List<List<String>> rows = new ArrayList<>();
        for (ExternalIdentity identity : identities) {
            rows.add(List.of(identity.provider(), identity.issuer(), identity.subject(), identity.linkedAt().toString(),
                    identity.lastSignInAt().map(Instant::toString).orElse("never")));
        }
        return "linked identities:\n" + Output.table(List.of("PROVIDER", "ISSUER", "SUBJECT", "LINKED", "LAST SIGN-IN"), rows);
    }

    static Map<String, Object> role(Role role, long users) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", role.name());
        json.put("description", role.description());
        json.put("permissions", List.copyOf(new TreeSet<>(role.permissions())));
        json.put("users", users);
        return json;
    }

    /** A JSON object with the keys in the order given: {@code object("email", e, "reset", true)}. */
    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            json.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return json;
    }

    /** Sorted, comma-separated; {@code -} when empty. */
    static String list(java.util.Collection<String> values) {
        return values.isEmpty() ? "-" : String.join(", ", new TreeSet<>(values));
    }

    /**
     * The scheme of a stored hash, e.g. {@code argon2id}, {@code bcrypt} or
     * {@code flask-security bcrypt} for an imported double hash; never the hash itself.
     */
    static String passwordScheme(String hash) {
        if (hash.startsWith("{fs}")) {
            return "flask-security " + passwordScheme(hash.substring(4));
        }
        if (hash.startsWith("{")) {
            int end = hash.indexOf('}');
            return "spring " + (end > 1 ? hash.substring(1, end) : "?");
        }
        if (hash.startsWith("$")) {
            int end = hash.indexOf('$', 1);
            String id = end > 1 ? hash.substring(1, end) : "?";
            return switch (id) {
                case "2a", "2b", "2y" -> "bcrypt";
                case "5" -> "sha256-crypt";
                case "6" -> "sha512-crypt";
                case "pbkdf2" -> "pbkdf2-sha1";
                default -> id;
            };
        }
        return "unknown";
    }

    private static String instant(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse(null);
    }

    private static String login(Optional<Instant> at, Optional<String> ip) {
        if (at.isEmpty()) {
            return "-";
        }
        return at.get() + ip.map(address -> " from " + address).orElse("");
    }
}
