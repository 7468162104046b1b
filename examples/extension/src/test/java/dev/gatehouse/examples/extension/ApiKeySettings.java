package dev.gatehouse.examples.extension;

import dev.gatehouse.config.Setting;
import dev.gatehouse.config.SettingGroup;
import dev.gatehouse.config.SettingKey;
import dev.gatehouse.config.ValueType;
import java.util.List;

/**
 * The extension's own settings, found on the class path
 * ({@code META-INF/services/dev.gatehouse.config.SettingGroup}) so that a properties file may set
 * them like Gatehouse's.
 */
public final class ApiKeySettings implements SettingGroup {

    /** Where {@link ApiKeysFeature} is mounted. */
    public static final Setting<String> API_KEYS_URL = Setting.define("api-keys-url", ValueType.urlPath(), "/api-keys",
            "Where signed-in users get an API key and clients learn how to present one.");

    @Override
    public String title() {
        return "API keys (extension example)";
    }

    @Override
    public List<SettingKey<?>> settings() {
        return List.of(API_KEYS_URL);
    }
}
