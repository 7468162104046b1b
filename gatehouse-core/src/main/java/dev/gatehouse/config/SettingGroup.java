package dev.gatehouse.config;

import java.util.List;
import java.util.Objects;

/**
 * Settings a module contributes, documented under one heading. Implement it with a public
 * no-argument constructor and list the class in
 * {@code META-INF/services/dev.gatehouse.config.SettingGroup}: like JDBC drivers, groups on the
 * class path are discovered with {@link java.util.ServiceLoader}, so a properties file may name
 * the module's settings as soon as the module is on the class path (and an unknown name is still
 * an error). Parsing, validation, {@link GatehouseConfig#toString()} and the generated
 * documentation treat contributed settings exactly like Gatehouse's own.
 *
 * <pre>{@code
 * public final class OidcSettings implements SettingGroup {
 *     public static final Setting<String> OIDC_CALLBACK_URL = Setting.define("oidc-callback-url",
 *             ValueType.urlPath(), "/oidc/callback", "Where providers send users back to.");
 *
 *     public String title() { return "OpenID Connect"; }
 *     public List<SettingKey<?>> settings() { return List.of(OIDC_CALLBACK_URL); }
 * }
 * }</pre>
 */
public interface SettingGroup {

    /** The heading of the group in the documentation, e.g. {@code OpenID Connect}. */
    String title();

    /** The settings, in documentation order; their names must not clash with any other setting's. */
    List<SettingKey<?>> settings();

    /** A fixed group. */
    static SettingGroup of(String title, List<? extends SettingKey<?>> settings) {
        Objects.requireNonNull(title, "title");
        List<SettingKey<?>> copy = List.copyOf(settings);
        return new SettingGroup() {
            @Override
            public String title() {
                return title;
            }

            @Override
            public List<SettingKey<?>> settings() {
                return copy;
            }
        };
    }
}
