package dev.gatehouse.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatehouse.token.TokenSigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flash messages: short notices that survive a redirect ("You have been signed out") and are
 * shown once, on the next page rendered. They travel in a cookie rather than in server-side
 * state, so anonymous visitors cost nothing; the cookie is a signed token ({@code flash}
 * purpose), so nobody but the server can put text on a page through it, and it expires after
 * {@link #MAX_AGE}.
 */
final class Flashes {

    static final String PURPOSE = "flash";
    static final Duration MAX_AGE = Duration.ofMinutes(2);
    private static final int MAX_FLASHES = 5;
    private static final int MAX_MESSAGE_LENGTH = 300;
    private static final TypeReference<List<Map<String, String>>> LIST = new TypeReference<>() { };

    /**
     * One notice.
     *
     * @param category {@code info}, {@code success} or {@code error}, as Flask-Security's categories
     * @param message  a message key or a text
     */
    record Flash(String category, String message) {
    }

    private final TokenSigner tokens;
    private final Cookies cookies;

    Flashes(TokenSigner tokens, Cookies cookies) {
        this.tokens = tokens;
        this.cookies = cookies;
    }

    /** Adds a notice to the response, keeping those of the request not yet shown. */
    void add(Exchange x, String category, String message) {
        if (x.flashes == null) {
            x.flashes = new ArrayList<>(x.flashesShown ? List.of() : incoming(x));
        }
        String trimmed = message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) : message;
        Flash flash = new Flash(category, trimmed);
        // Three refused page loads in a row say "please sign in" once, not three times.
        if (x.flashes.size() < MAX_FLASHES && !x.flashes.contains(flash)) {
            x.flashes.add(flash);
        }
        write(x, x.flashes);
    }

    /**
     * The notices to show on the page being rendered: those of the request, then any added while
     * handling it. They are removed from the browser, as they have been shown.
     */
    List<Flash> take(Exchange x) {
        List<Flash> shown = new ArrayList<>(x.flashes != null ? x.flashes : x.flashesShown ? List.of() : incoming(x));
        boolean hadCookie = x.request.cookie(cookies.flash).isPresent();
        if (hadCookie || x.flashes != null) {
            x.response.addHeader("Set-Cookie", cookies.expired(cookies.flash));
        }
        x.flashes = null;
        x.flashesShown = true;
        return shown;
    }

    private List<Flash> incoming(Exchange x) {
        Optional<String> payload = x.request.cookie(cookies.flash)
                .flatMap(token -> tokens.verify(PURPOSE, token, MAX_AGE).validPayload());
        if (payload.isEmpty()) {
            return List.of();
        }
        try {
            List<Flash> flashes = new ArrayList<>();
            for (Map<String, String> entry : Json.MAPPER.readValue(payload.get(), LIST)) {
                String category = entry.get("c");
                String message = entry.get("m");
                if (category != null && message != null && flashes.size() < MAX_FLASHES) {
                    flashes.add(new Flash(category, message));
                }
            }
            return flashes;
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    private void write(Exchange x, List<Flash> flashes) {
        List<Map<String, String>> entries = flashes.stream().map(f -> Map.of("c", f.category(), "m", f.message())).toList();
        String json = Json.write(entries);
        // Keep within what a token may carry: drop the oldest notices rather than fail.
        while (json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > TokenSigner.MAX_PAYLOAD_BYTES && entries.size() > 1) {
            entries = entries.subList(1, entries.size());
            json = Json.write(entries);
        }
        x.response.addHeader("Set-Cookie", cookies.persistentCookie(cookies.flash, tokens.sign(PURPOSE, json), MAX_AGE));
    }
}
