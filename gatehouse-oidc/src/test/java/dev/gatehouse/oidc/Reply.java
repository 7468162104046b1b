package dev.gatehouse.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/** One HTTP answer as {@link SignInBrowser} saw it. */
record Reply(int status, String body, HttpHeaders headers) {

    JsonNode json() throws IOException {
        return SignInBrowser.JSON.readTree(body);
    }

    String location() {
        return headers.firstValue("Location").orElse("");
    }

    List<String> setCookies() {
        return new ArrayList<>(headers.allValues("Set-Cookie"));
    }

    boolean setsSession() {
        return setCookies().stream().anyMatch(c -> c.startsWith("gatehouse_session=") && !c.startsWith("gatehouse_session=;"));
    }

    boolean clearsFlowCookie() {
        return setCookies().stream().anyMatch(c -> c.startsWith("gatehouse_oidc=;") && c.contains("Max-Age=0"));
    }
}
