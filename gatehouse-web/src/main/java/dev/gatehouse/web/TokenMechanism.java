package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.TOKEN_AUTHENTICATION_HEADER;
import static dev.gatehouse.config.Settings.TOKEN_AUTHENTICATION_KEY;
import static dev.gatehouse.config.Settings.TOKEN_AUTHENTICATION_QUERY;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.TokenInQuery;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import java.util.Optional;

/**
 * Flask-Security's API token: in the {@code token-authentication-header}, or the
 * {@code token-authentication-key} query parameter (as {@code token-authentication-query}
 * allows) or field of a JSON body.
 */
final class TokenMechanism implements AuthenticationMechanism {

    private final Gatehouse gatehouse;
    // Read once: every request with a token rule asks for them.
    private final String header;
    private final String key;
    private final TokenInQuery inQuery;

    TokenMechanism(Gatehouse gatehouse) {
        this.gatehouse = gatehouse;
        GatehouseConfig config = gatehouse.config();
        this.header = config.get(TOKEN_AUTHENTICATION_HEADER);
        this.key = config.get(TOKEN_AUTHENTICATION_KEY);
        this.inQuery = config.get(TOKEN_AUTHENTICATION_QUERY);
    }

    @Override
    public Mechanism mechanism() {
        return Mechanism.TOKEN;
    }

    @Override
    public Optional<Authentication> authenticate(Exchange x) {
        return presentedToken(x).flatMap(gatehouse.authTokens()::authenticate);
    }

    private Optional<String> presentedToken(Exchange x) {
        Optional<String> token = x.request.header(header);
        if (token.isEmpty() && tokenInQueryAllowed(x.request.method())) {
            token = x.request.queryParam(key);
        }
        if (token.isEmpty() && Csrf.isUnsafe(x.request.method())
                && ContentNegotiation.isJson(x.request.header("Content-Type").orElse(""))) {
            token = x.fields().text(key);
        }
        return token.filter(t -> !t.isEmpty());
    }

    /** {@code token-authentication-query}: whether an API token may come in the query string of this request. */
    private boolean tokenInQueryAllowed(String method) {
        return switch (inQuery) {
            case ALWAYS -> true;
            case NEVER -> false;
            default -> !(method.equals("GET") || method.equals("HEAD"));
        };
    }
}
