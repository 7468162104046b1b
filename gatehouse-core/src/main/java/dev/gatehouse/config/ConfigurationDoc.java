package dev.gatehouse.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Writes {@code docs/configuration.md} from the settings registry, so the documentation cannot
 * drift from the code: {@code ConfigurationDocTest} fails when the file differs from
 * {@link #render()} and rewrites it when run with {@code -Dgatehouse.docs.write=true}.
 */
final class ConfigurationDoc {

    static final String REGENERATE =
            "mvn -B -q -pl gatehouse-core test -Dtest=ConfigurationDocTest -Dgatehouse.docs.write=true";

    private ConfigurationDoc() {
    }

    /**
     * The documentation of gatehouse-core's settings, as {@code docs/configuration.md} holds it:
     * {@link Settings} and the groups core itself contributes (two-factor), not those of other
     * modules or of tests on the class path.
     */
    static String render() {
        return render(new Registry(Registry.get().groups.stream()
                .filter(group -> !Settings.GROUPS.contains(group) && fromCore(group)).toList()));
    }

    private static boolean fromCore(SettingGroup group) {
        return Objects.equals(group.getClass().getProtectionDomain().getCodeSource(),
                ConfigurationDoc.class.getProtectionDomain().getCodeSource());
    }

    /** The documentation of every setting of {@code registry}, contributed groups included. */
    static String render(Registry registry) {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration\n\n");
        md.append("<!-- Generated from the settings registry (dev.gatehouse.config.Settings); do not edit.\n")
                .append("     Regenerate with: ").append(REGENERATE).append(" -->\n\n");
        md.append("""
                Gatehouse reads one immutable configuration, `GatehouseConfig`, assembled at start-up by
                `GatehouseConfig.builder()` from code, a properties file and environment variables:

                ```java
                GatehouseConfig config = GatehouseConfig.builder()
                        .set(Settings.REGISTERABLE, true)                     // in code
                        .fromPropertiesFile(Path.of("gatehouse.properties"))  // token-max-age=30m
                        .fromEnvironment()                                    // GATEHOUSE_REGISTERABLE=false
                        .build();
                ```

                - **What you call last wins.** Each call overrides, setting by setting, what earlier
                  calls set; settings nobody sets keep the defaults below. Calling `fromEnvironment()`
                  last, as above, lets an operator switch any feature without recompiling.
                - **Names.** Every setting has a kebab-case name used in properties files (`token-max-age=15m`,
                  or `gatehouse.token-max-age=15m`), an environment variable (`GATEHOUSE_TOKEN_MAX_AGE=15m`)
                  and a typed key in code (`.set(Settings.TOKEN_MAX_AGE, Duration.ofMinutes(15))`,
                  read back with `config.get(Settings.TOKEN_MAX_AGE)`). Choice settings take enums
                  (`Settings.PASSWORD_HASH` is a `PasswordHashAlgorithm`). Modules add their own
                  settings through a `SettingGroup`, listed below under the module's heading.
                  Environment variables not starting with `GATEHOUSE_` are ignored; every other name
                  must be a setting listed here.
                - **Per-id settings.** A module may repeat settings for ids you choose, listed as
                  `oidc.<id>.issuer` / `GATEHOUSE_OIDC_<ID>_ISSUER`: `oidc.keycloak.issuer=https://…`
                  in a properties file (or `gatehouse.oidc.keycloak.issuer`),
                  `GATEHOUSE_OIDC_KEYCLOAK_ISSUER=https://…` in the environment. Ids are 1 to 32
                  lower-case letters, digits and `-`, starting with a letter; environment variables
                  write them in upper case with `_` for `-` (`my-idp`: `GATEHOUSE_OIDC_MY_IDP_ISSUER`).
                  Where a variable could be read two ways, because one setting's suffix ends another's
                  (`…_CLIENT_SECRET` and `…_SECRET`), the longer suffix wins: `GATEHOUSE_OIDC_MY_CLIENT_SECRET`
                  is `oidc.my.client-secret`, so set `oidc.my-client.secret` in a properties file instead.
                - **Formats.** Booleans are `true` or `false`. Durations are a whole number with a unit,
                  `500ms`, `30s`, `15m`, `2h` or `5d`, or ISO-8601 such as `PT1H30M`. Lists are
                  comma-separated. Surrounding whitespace is ignored; an empty value unsets a setting
                  whose default is "unset".
                - **Validation.** An unknown name or a malformed value stops start-up with an
                  `InvalidConfigurationException` (code `INVALID_CONFIGURATION`) naming the setting as
                  you wrote it, e.g. `GATEHOUSE_TOKEN_MAX_AGE: "15x" is not a duration; use e.g. 15m, 2h, 5d ...`.
                  All problems of one file or of the environment are reported together. Values of
                  secrets are never shown, in messages or in `GatehouseConfig.toString()`.
                - **The secret.** There is no default secret: `build()` fails until `secret` is set to at
                  least 32 bytes (its UTF-8 bytes are the key). Generate one with
                  `openssl rand -base64 48`. To rotate it, move the old value to `secret-previous`
                  and set a new `secret`: tokens signed with the old one stay valid until they expire.

                """);
        for (SettingGroup group : registry.groups) {
            md.append("## ").append(group.title()).append("\n\n");
            md.append("| Setting | Environment variable | Type | Default | Description |\n");
            md.append("|---|---|---|---|---|\n");
            for (SettingKey<?> s : group.settings()) {
                md.append("| `").append(s.name).append("` | `").append(s.envName()).append("` | ")
                        .append(s.type.describe()).append(" | ").append(defaultText(s)).append(" | ")
                        .append(s.description).append(" |\n");
            }
            for (SettingFamily<?> f : group.families()) {
                md.append("| `").append(f.namePattern()).append("` | `").append(f.envPattern()).append("` | ")
                        .append(f.type.describe()).append(" | ")
                        .append(f.defaultValue().map(v -> defaultText(f.formatValue(v))).orElse("unset")).append(" | ")
                        .append(f.description).append(" |\n");
            }
            md.append('\n');
        }
        md.append("""
                ## Coming from Flask-Security

                Gatehouse's names are Flask-Security's without the `SECURITY_` prefix, in kebab-case;
                a few come from Flask itself or the extensions Flask-Security relies on.

                | Flask setting | From | Gatehouse setting | Environment variable |
                |---|---|---|---|
                """);
        List<String[]> rows = new ArrayList<>();
        for (SettingKey<?> s : registry.all) {
            for (String flaskName : s.flaskNames) {
                rows.add(new String[] {flaskName, origin(flaskName), s.name, s.envName()});
            }
        }
        rows.sort(Comparator.comparing(r -> r[0]));
        for (String[] r : rows) {
            md.append("| `").append(r[0]).append("` | ").append(r[1]).append(" | `").append(r[2]).append("` | `")
                    .append(r[3]).append("` |\n");
        }
        List<String> gatehouseOnly = new ArrayList<>();
        for (SettingKey<?> s : registry.all) {
            if (s.flaskNames.isEmpty()) {
                gatehouseOnly.add("`" + s.name + "`");
            }
        }
        for (SettingFamily<?> f : registry.families) {
            gatehouseOnly.add("`" + f.namePattern() + "`");
        }
        md.append("\nWithout a Flask counterpart: ").append(String.join(", ", gatehouseOnly)).append(".\n");
        md.append("""

                Differences to keep in mind when porting a Flask-Security configuration:

                - Durations are written `15m`, `2h`, `5d` (Flask-Security: seconds, or `"5 days"`).
                - `token-max-age` is always finite, 15 minutes by default (Flask-Security: never expires).
                - `reset-password-within` is at most 1 hour; `logout-methods` is `POST` only, and
                  `return-generic-responses` is on, by default.
                - `password-hash` names the algorithm (`argon2id`, `pbkdf2-sha512`), not a passlib
                  scheme (`argon2`, `pbkdf2_sha512`).
                - `unified-signin` covers what Flask-Security's deprecated `SECURITY_PASSWORDLESS` did.
                """);
        return md.toString();
    }

    private static String defaultText(SettingKey<?> s) {
        if (s.required) {
            return "**required**";
        }
        return s.defaultValue().map(v -> defaultText(s.formatValue(v))).orElse("unset");
    }

    private static String defaultText(String formatted) {
        return formatted.isEmpty() ? "empty" : "`" + formatted + "`";
    }

    private static String origin(String flaskName) {
        if (flaskName.startsWith("SECURITY_")) {
            return "Flask-Security";
        }
        if (flaskName.startsWith("MAIL_")) {
            return "Flask-Mail";
        }
        if (flaskName.startsWith("REMEMBER_")) {
            return "Flask-Login";
        }
        if (flaskName.startsWith("SQLALCHEMY_")) {
            return "Flask-SQLAlchemy";
        }
        if (flaskName.startsWith("BABEL_")) {
            return "Flask-Babel";
        }
        return "Flask";
    }
}
