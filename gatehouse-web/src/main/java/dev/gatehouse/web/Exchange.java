package dev.gatehouse.web;

import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Gatehouse's state for one request: parsed body, negotiated format, language, client and the
 * authentication result, each computed at most once. Lives in a request attribute; get it with
 * {@link WebToolkit#exchange}. Not thread-safe: it belongs to one request.
 */
public final class Exchange {

    static final String ATTRIBUTE = "dev.gatehouse.web.Exchange";

    final WebRequest request;
    WebResponse response;
    private final WebToolkit web;
    private RequestFields fields;
    private Boolean wantsJson;
    private ClientInfo client;
    private Locale locale;
    /** Flash messages to send with the response; null until one is added or shown. */
    List<Flashes.Flash> flashes;
    /** The anonymous CSRF nonce set on this response, if one was. */
    String csrfNonce;
    /** The CSRF token computed in this request and what it is bound to. */
    String csrfBinding;
    String csrfToken;
    /** Whether a page showed (and so consumed) the request's flash messages. */
    boolean flashesShown;
    /** Null until authentication was attempted. */
    Optional<Authentication> authentication;
    Set<Mechanism> authenticatedWith;
    /** The mechanism that found the request's credentials invalid in the last walk, and its challenge; null if none did. */
    Mechanism rejectedBy;
    String rejection;

    private Exchange(WebToolkit web, WebRequest request, WebResponse response) {
        this.web = web;
        this.request = request;
        this.response = response;
    }

    static Exchange of(WebToolkit web, WebRequest request, WebResponse response) {
        Object existing = request.attribute(ATTRIBUTE);
        if (existing instanceof Exchange exchange) {
            if (response != null) {
                exchange.response = response;
            }
            return exchange;
        }
        Exchange exchange = new Exchange(web, request, response);
        request.attribute(ATTRIBUTE, exchange);
        return exchange;
    }

    /** The request. */
    public WebRequest request() {
        return request;
    }

    /** The response; null only where Gatehouse is asked about a request without answering it. */
    public WebResponse response() {
        return response;
    }

    /**
     * How the request authenticated, once {@link WebToolkit#enforce} or
     * {@link WebToolkit#authenticate} has run in it; empty before, or when nothing did.
     */
    public Optional<Authentication> authentication() {
        return authentication == null ? Optional.empty() : authentication;
    }

    /**
     * Called by an {@link AuthenticationMechanism} from {@code authenticate}: the request presented
     * credentials of {@code mechanism}'s kind and they are invalid. No further mechanism is tried
     * and, if nothing earlier authenticated the request, it is answered 401 with
     * {@code WWW-Authenticate: challenge} alone (also to browsers, which are not redirected to the
     * login page); the JSON body is the usual one of a 401. The challenge is sent as given: it must
     * not repeat the credentials (RFC 6750 3 puts only a fixed {@code error} and
     * {@code error_description} in it).
     *
     * @return empty, for {@code return exchange.reject(...)}
     * @throws IllegalArgumentException if the challenge is blank or has a line break or control character
     */
    public Optional<Authentication> reject(Mechanism mechanism, String challenge) {
        if (challenge.isBlank()) {
            throw new IllegalArgumentException("a challenge names at least its scheme");
        }
        for (int i = 0; i < challenge.length(); i++) {
            char c = challenge.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException("a challenge is one header line, without control characters");
            }
        }
        rejectedBy = Objects.requireNonNull(mechanism, "mechanism");
        rejection = challenge;
        return Optional.empty();
    }

    /** A form or JSON body field as text; empty when missing or not text. */
    public Optional<String> field(String name) {
        return fields().text(name);
    }

    /**
     * A form or JSON body field as a flag: a JSON boolean, or a form value such as {@code y},
     * {@code on} or {@code true}; empty when missing.
     */
    public Optional<Boolean> flag(String name) {
        return fields().flag(name);
    }

    RequestFields fields() {
        if (fields == null) {
            fields = RequestFields.parse(request);
        }
        return fields;
    }

    /** Whether the client prefers JSON to HTML ({@code Accept}, {@code Content-Type}). */
    public boolean wantsJson() {
        if (wantsJson == null) {
            wantsJson = ContentNegotiation.wantsJson(request);
        }
        return wantsJson;
    }

    /** The language of this response, from Accept-Language. */
    public Locale locale() {
        if (locale == null) {
            locale = web.languages.choose(request.header("Accept-Language"));
        }
        return locale;
    }

    /** A text in the response's language; the key is one of {@link Messages}. */
    public String text(String key) {
        return web.messages.get(key, locale());
    }

    /** A text in the response's language, with parameters. */
    public String text(String key, Map<String, ?> parameters) {
        return web.messages.format(key, locale(), parameters);
    }

    /**
     * The client for the flows: its address (through trusted proxies), User-Agent and the language
     * chosen for this response, which is also the language of any email the request causes.
     */
    public ClientInfo client() {
        if (client == null) {
            client = new ClientInfo(Optional.of(ClientAddresses.resolve(request, web.trustedProxies)),
                    request.header("User-Agent"), Optional.of(locale()));
        }
        return client;
    }
}
