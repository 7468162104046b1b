package dev.gatehouse.examples.extension;

import static dev.gatehouse.examples.extension.ApiKeySettings.API_KEYS_URL;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.SettingKey;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.PageLinks;
import dev.gatehouse.web.WebFeature;
import dev.gatehouse.web.WebRequest;
import dev.gatehouse.web.WebResponse;
import dev.gatehouse.web.WebRoute;
import dev.gatehouse.web.WebToolkit;
import java.util.List;
import java.util.Map;

/**
 * An endpoint group a module adds: {@code GET /api-keys} says how the caller authenticated and
 * how to present a key, {@code POST /api-keys} issues one to a signed-in user; both answer in
 * Flask-Security's envelope through the toolkit, and the pages link to it as {@code urls.api_keys}.
 * Its path is its own setting, {@code api-keys-url} ({@link ApiKeySettings}).
 */
final class ApiKeysFeature implements WebFeature {

    private final ApiKeyMechanism keys;

    ApiKeysFeature(ApiKeyMechanism keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return "api-keys";
    }

    @Override
    public List<SettingKey<?>> settings() {
        return List.of(API_KEYS_URL);
    }

    @Override
    public void links(GatehouseConfig config, PageLinks links) {
        links.path("api_keys", config.get(API_KEYS_URL));
    }

    @Override
    public List<WebRoute> routes(WebToolkit toolkit) {
        // Keys are issued to a session or token sign-in, never to another key.
        AccessRule signedIn = AccessRule.mechanisms(Mechanism.SESSION, Mechanism.TOKEN);
        AccessRule anyWay = AccessRule.mechanisms(Mechanism.TOKEN, Mechanism.SESSION, ApiKeyMechanism.API_KEY);
        String path = toolkit.url(toolkit.config().get(API_KEYS_URL));
        return List.of(
                new WebRoute("GET", path, (request, response) -> describe(toolkit, request, response, anyWay)),
                new WebRoute("POST", path, (request, response) -> issue(toolkit, request, response, signedIn)));
    }

    private void describe(WebToolkit toolkit, WebRequest request, WebResponse response, AccessRule rule) {
        Exchange x = toolkit.exchange(request, response);
        if (!toolkit.enforce(x, rule)) {
            return;
        }
        String mechanism = x.authentication().orElseThrow().mechanism().settingName();
        toolkit.json(x, 200, Map.of("header", ApiKeyMechanism.HEADER, "authenticated_by", mechanism));
    }

    private void issue(WebToolkit toolkit, WebRequest request, WebResponse response, AccessRule rule) {
        Exchange x = toolkit.exchange(request, response);
        if (!toolkit.enforce(x, rule)) {
            return;
        }
        toolkit.json(x, 200, Map.of("api_key", keys.issue(x.authentication().orElseThrow().user())));
    }
}
