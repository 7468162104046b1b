package dev.gatehouse.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.WebRoute;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the shipped OpenAPI document honest: it lists exactly the endpoints the web layer mounts,
 * and real responses of a real server validate against the schemas it documents for their status.
 */
class OpenApiDocumentTest {

    private static JsonNode document;
    private static TestApp app;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = GatehouseWeb.class.getResourceAsStream("openapi.yaml")) {
            assertThat(in).as("openapi.yaml ships in gatehouse-web").isNotNull();
            document = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        // Registration on, so that the document's /register is mounted too.
        app = new TestApp(c -> c.registerable(true));
        app.user("alice@example.com", "correct horse battery");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void the_document_lists_exactly_the_mounted_endpoints() {
        Set<String> mounted = new HashSet<>();
        for (WebRoute route : new GatehouseWeb(app.gatehouse).routes()) {
            mounted.add(route.method() + " " + route.path());
        }
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        assertThat(documented).isEqualTo(mounted);
    }

    @Test
    void real_responses_match_their_documented_schemas() {
        HttpClientSession client = app.client();
        expect("get", "/login", client.getJson("/login"));
        expect("post", "/login", client.postJson("/login", Map.of("email", "alice@example.com", "password", "wrong password"),
                "X-CSRFToken", client.csrfToken()));
        expect("post", "/login", client.postJson("/login", Map.of("email", "alice@example.com", "password", "correct horse battery"),
                "X-CSRFToken", client.csrfToken()));
        HttpClientSession.Reply withTokens = client.postJson("/login?include_auth_token&include_refresh_token",
                Map.of("email", "alice@example.com", "password", "correct horse battery"), "X-CSRFToken", client.csrfToken());
        expect("post", "/login", withTokens);
        String refresh = withTokens.json().path("response").path("user").path("refresh_token").asText();
        expect("get", "/login", client.getJson("/login"));
        expect("get", "/verify", client.getJson("/verify"));
        String csrf = client.getJson("/verify").json().path("response").path("csrf_token").asText();
        expect("post", "/verify", client.postJson("/verify", Map.of("password", "wrong password"), "X-CSRFToken", csrf));
        expect("post", "/verify", client.postJson("/verify", Map.of("password", "correct horse battery"), "X-CSRFToken", csrf));
        expect("post", "/refresh-token", client.postJson("/refresh-token", Map.of("refresh_token", refresh)));
        expect("post", "/refresh-token", client.postJson("/refresh-token", Map.of("refresh_token", "nope")));
        expect("post", "/logout", client.postJson("/logout", Map.of(), "X-CSRFToken", client.csrfToken()));
        expect("get", "/verify", client.getJson("/verify"));
        expect("post", "/logout", client.postJson("/logout", Map.of()));
        expect("get", "/logout", client.getJson("/logout"));
        HttpClientSession visitor = app.client();
        expect("get", "/register", visitor.getJson("/register"));
        String registerCsrf = visitor.getJson("/register").json().path("response").path("csrf_token").asText();
        expect("post", "/register", visitor.postJson("/register", Map.of("email", "not an address", "password", "x"),
                "X-CSRFToken", registerCsrf));
        expect("post", "/register", visitor.postJson("/register?include_auth_token",
                Map.of("email", "openapi-new@example.com", "password", "a long enough passphrase"), "X-CSRFToken", registerCsrf));
    }

    private static void expect(String method, String path, HttpClientSession.Reply reply) {
        String status = Integer.toString(reply.status());
        JsonNode response = document.path("paths").path(path).path(method).path("responses").path(status);
        assertThat(response.isMissingNode()).as("%s %s documents status %s (%s)", method, path, status, reply.body()).isFalse();
        String pointer = response.has("$ref")
                ? response.get("$ref").asText().substring(1) + "/content/application~1json/schema"
                : "/paths/" + path.replace("/", "~1") + "/" + method + "/responses/" + status + "/content/application~1json/schema";
        ObjectNode root = document.deepCopy();
        root.put("$ref", "#" + pointer);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        Set<ValidationMessage> problems = schema.validate(reply.json());
        assertThat(problems).as("%s %s -> %s: %s", method, path, status, reply.body()).isEmpty();
    }
}
