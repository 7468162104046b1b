package dev.gatehouse.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.user.Role;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AuthenticationMechanism;
import dev.gatehouse.web.Exchange;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Authorization: Bearer <JWT>} access tokens issued by trusted OpenID Connect providers,
 * validated locally with Nimbus (RFC 6750, RFC 9068): the signature against the issuer's JWKS (found
 * through its discovery document on first use, cached, refreshed when a token names an unknown key),
 * an allow-listed algorithm (RS*, PS*, ES* — never {@code none}, never HMAC), {@code iss},
 * {@code aud}, {@code exp} and {@code nbf} with a small clock skew, and the claims {@code sub},
 * {@code iss} and {@code exp} present. The issuer is picked by the token's {@code iss} before
 * anything is verified; a token from any other issuer is invalid.
 *
 * <pre>{@code
 * BearerTokenMechanism bearer = BearerTokenMechanism.builder(gatehouse)
 *     .trust(URI.create("https://login.example.com/realms/main"), "api://diary")
 *     .accounts(gatehouse.externalIdentities()::find)
 *     .roleClaim("roles")
 *     .build();
 * new GatehousePlugin(gatehouse, WebOptions.builder().mechanism(bearer).build());
 * config.routes.get("/api/entries", Api::list,
 *     Access.authRequired(BearerTokenMechanism.BEARER).and(Access.scopesRequired("entries.read")));
 * }</pre>
 *
 * <p>Answers: no {@code Authorization: Bearer} header — nothing (the next mechanism is tried); a
 * valid token of a local account — that user, with the token's scopes ({@code scp} and
 * {@code scope}: a space-separated string or an array) and, if a role claim is configured, the
 * roles it names that exist locally added for this request only (never stored; unknown names are
 * ignored, so an issuer cannot invent roles); anything else — a 401 with
 * {@code WWW-Authenticate: Bearer error="invalid_token", error_description="..."}, the description
 * a fixed text that never repeats the token. A valid token whose {@code (iss, sub)} has no local
 * account (or an inactive one) is refused the same way ("no account for this subject"). A token
 * carries no sign-in time Gatehouse can trust unless it has {@code auth_time}: without it the
 * authentication counts as never fresh, so routes with {@code within(...)} refuse it.
 *
 * <p>Immutable and thread-safe; a request without a bearer token costs a header look-up.
 */
public final class BearerTokenMechanism implements AuthenticationMechanism {

    /** The mechanism's name in routes and settings ({@code api-enabled-methods}): {@code bearer}. */
    public static final Mechanism BEARER = Mechanism.of("bearer");

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenMechanism.class);
    /** Asymmetric signatures only: an HMAC "verified" with a public key proves nothing, {@code none} less. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    /** Far above any provider's access token; a bigger value is not parsed at all. */
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;
    /** Role names read from one token, at most: each costs a role look-up. */
    private static final int MAX_ROLES = 64;
    private static final Optional<String> CHALLENGE = Optional.of("Bearer");

    private final Gatehouse gatehouse;
    private final Map<String, TrustedIssuer> issuers;
    private final List<String> scopeClaims;
    private final Optional<String> roleClaim;
    private final BiFunction<String, String, Optional<User>> accounts;

    private BearerTokenMechanism(Builder b) {
        this.gatehouse = b.gatehouse;
        Map<String, TrustedIssuer> trusted = new LinkedHashMap<>();
        b.audiences.forEach((issuer, audiences) ->
                trusted.put(issuer, new TrustedIssuer(issuer, audiences, b.clock, b.clockSkew)));
        this.issuers = Map.copyOf(trusted);
        this.scopeClaims = List.copyOf(b.scopeClaims);
        this.roleClaim = Optional.ofNullable(b.roleClaim);
        this.accounts = b.accounts;
    }

    /** A builder for a mechanism over {@code gatehouse}'s users and roles. */
    public static Builder builder(Gatehouse gatehouse) {
        return new Builder(gatehouse);
    }

    @Override
    public Mechanism mechanism() {
        return BEARER;
    }

    /** RFC 6750 3: {@code Bearer}, sent with the 401 of a request that presented no credentials. */
    @Override
    public Optional<String> challenge() {
        return CHALLENGE;
    }

    /** RFC 6750 3.1: {@code Bearer error="insufficient_scope", scope="<required, space-separated>"}. */
    @Override
    public Optional<String> insufficientScope(List<String> required) {
        return Optional.of("Bearer error=\"insufficient_scope\", scope=\"" + String.join(" ", required) + "\"");
    }

    @Override
    public Optional<Authentication> authenticate(Exchange exchange) {
        Optional<String> header = exchange.request().header("Authorization");
        // The auth-scheme is case-insensitive (RFC 7235 2.1); "Bearerx" is another scheme, not ours.
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer", 0, 6)
                || header.get().length() > 6 && header.get().charAt(6) != ' ') {
            return Optional.empty();
        }
        String token = header.get().substring(6).strip();
        if (!isB64Token(token)) {
            return invalid(exchange, "the token is missing or malformed");
        }
        SignedJWT jwt;
        String issuer;
        try {
            JWT parsed = JWTParser.parse(token);
            if (!(parsed instanceof SignedJWT signed)) {
                return invalid(exchange, "the token is not signed");
            }
            jwt = signed;
            issuer = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            return invalid(exchange, "the token is missing or malformed");
        }
        if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            return invalid(exchange, "the token's signing algorithm is not accepted");
        }
        TrustedIssuer trusted = issuer == null ? null : issuers.get(issuer);
        if (trusted == null) {
            return invalid(exchange, "the token's issuer is not trusted");
        }
        JWTClaimsSet claims;
        try {
            claims = trusted.process(jwt);
        } catch (BadJOSEException e) {
            return invalid(exchange, describe(e));
        } catch (JOSEException | IssuerUnavailableException e) {
            // The provider (discovery or JWKS) is out of reach: not the client's fault, but its token cannot be trusted.
            LOG.warn("Bearer token of issuer {} not verifiable: {}", issuer, e.getMessage());
            return invalid(exchange, "the token cannot be verified now");
        }
        Optional<User> account = accounts.apply(issuer, claims.getSubject()).filter(User::isActive);
        if (account.isEmpty()) {
            return invalid(exchange, "no account for this subject");
        }
        Date authTime = claimDate(claims, "auth_time");
        Instant authenticatedAt = authTime == null ? Instant.EPOCH : authTime.toInstant();
        return Optional.of(new Authentication(withClaimedRoles(account.get(), claims), BEARER, authenticatedAt,
                Optional.empty(), Optional.empty(), scopes(claims)));
    }

    private static Optional<Authentication> invalid(Exchange exchange, String description) {
        return exchange.reject(BEARER, "Bearer error=\"invalid_token\", error_description=\"" + description + "\"");
    }

    /** The fixed text for a Nimbus refusal; Nimbus's own messages may quote claim values. */
    private static String describe(BadJOSEException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof ExpiredJWTException) {
            return "the token has expired";
        }
        if (e instanceof BadJWTException) {
            if (message.startsWith("JWT before use time")) {
                return "the token is not valid yet";
            }
            if (message.startsWith("JWT aud claim rejected") || message.startsWith("JWT missing required aud")) {
                return "the token is not meant for this audience";
            }
            if (message.startsWith("JWT missing required claims")) {
                return "the token lacks a required claim";
            }
            return "the token's claims are invalid";
        }
        if (message.startsWith("JOSE header typ")) {
            return "the token's type is not accepted";
        }
        return "the token's signature is invalid";
    }

    /** RFC 6750 2.1's b64token: what a JWT's three base64url parts and dots consist of. */
    private static boolean isB64Token(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return false;
        }
        int i = 0;
        for (; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/')) {
                break;
            }
        }
        while (i < token.length() && token.charAt(i) == '=') {
            i++;
        }
        return i == token.length();
    }

    private Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = null;
        for (String name : scopeClaims) {
            Collection<String> values = stringValues(claims.getClaim(name));
            if (!values.isEmpty()) {
                if (scopes == null) {
                    scopes = new HashSet<>();
                }
                scopes.addAll(values);
            }
        }
        return scopes == null ? Set.of() : scopes;
    }

    /** The user, holding also the local roles the role claim names; a copy for this request, never stored. */
    private User withClaimedRoles(User user, JWTClaimsSet claims) {
        if (roleClaim.isEmpty()) {
            return user;
        }
        Collection<String> names = stringValues(claims.getClaim(roleClaim.get()));
        Set<Role> added = null;
        int looked = 0;
        for (String name : names) {
            if (looked++ == MAX_ROLES) {
                break;
            }
            if (!user.hasRole(name)) {
                Optional<Role> role = gatehouse.users().findRole(name);
                if (role.isPresent()) {
                    if (added == null) {
                        added = new HashSet<>(user.roles());
                    }
                    added.add(role.get());
                }
            }
        }
        return added == null ? user : user.toBuilder().roles(added).build();
    }

    /** A claim as strings: a space-separated string, or an array of strings (other values ignored). */
    private static Collection<String> stringValues(Object claim) {
        if (claim instanceof String text) {
            List<String> values = new ArrayList<>();
            for (String value : text.split(" ")) {
                if (!value.isEmpty()) {
                    values.add(value);
                }
            }
            return values;
        }
        if (claim instanceof List<?> list) {
            Set<String> values = new LinkedHashSet<>();
            for (Object value : list) {
                if (value instanceof String text && !text.isEmpty()) {
                    values.add(text);
                }
            }
            return values;
        }
        return List.of();
    }

    private static Date claimDate(JWTClaimsSet claims, String name) {
        try {
            return claims.getDateClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    /**
     * Configures a {@link BearerTokenMechanism}: at least one trusted issuer and audience, and how a
     * token's {@code (iss, sub)} finds a local account. Not thread-safe; {@link #build()} validates.
     */
    public static final class Builder {

        private final Gatehouse gatehouse;
        private final Map<String, Set<String>> audiences = new LinkedHashMap<>();
        private List<String> scopeClaims = List.of("scp", "scope");
        private String roleClaim;
        private Clock clock;
        private Duration clockSkew = Duration.ofSeconds(60);
        private BiFunction<String, String, Optional<User>> accounts;

        private Builder(Gatehouse gatehouse) {
            this.gatehouse = Objects.requireNonNull(gatehouse, "gatehouse");
            this.clock = gatehouse.clock();
            this.accounts = (issuer, subject) -> gatehouse.externalIdentities().find(issuer, subject)
                    .flatMap(identity -> gatehouse.users().findUserById(identity.userId()));
        }

        /**
         * Accepts tokens whose {@code iss} is exactly {@code issuer} (as its discovery document
         * says) and whose {@code aud} contains {@code audience} (the API's client id or application
         * id URI). Call again to trust more issuers, or more audiences of one issuer.
         *
         * @throws IllegalArgumentException unless the issuer is an https URL (http only on a loopback
         *                                  host, for development) without query or fragment, and the audience is not blank
         */
        public Builder trust(URI issuer, String audience) {
            Issuers.requireSecure(issuer);
            if (audience == null || audience.isBlank()) {
                throw new IllegalArgumentException("the audience of " + issuer + " is blank; give the API's client id or application id URI");
            }
            audiences.computeIfAbsent(issuer.toString(), i -> new LinkedHashSet<>()).add(audience);
            return this;
        }

        /**
         * Trusts the tokens {@code provider} issues for its {@link OidcProvider#audience() audience}
         * (its client id unless set). A multi-tenant Microsoft authority ({@code common},
         * {@code organizations}) has no single issuer: trust each tenant's issuer instead.
         */
        public Builder trust(OidcProvider provider) {
            return trust(provider.issuer(), provider.audience().orElse(provider.clientId()));
        }

        /** Trusts every provider of {@code providers}, as {@link #trust(OidcProvider)}. */
        public Builder trust(OidcProviders providers) {
            providers.all().forEach(this::trust);
            return this;
        }

        /**
         * The claims scopes are read from, replacing the default {@code scp} and {@code scope}
         * (Entra ID uses {@code scp}, Keycloak and RFC 9068 {@code scope}).
         */
        public Builder scopeClaim(String... claims) {
            if (claims.length == 0) {
                throw new IllegalArgumentException("name at least one scope claim");
            }
            for (String claim : claims) {
                requireClaimName(claim);
            }
            this.scopeClaims = List.of(claims);
            return this;
        }

        /**
         * The claim whose values (an array or a space-separated string) add local roles of those
         * names for the request, such as Entra ID's app-role claim {@code roles}; none by default.
         * Names without a local role are ignored; nothing is stored.
         */
        public Builder roleClaim(String claim) {
            this.roleClaim = requireClaimName(claim);
            return this;
        }

        /** The clock {@code exp} and {@code nbf} are checked against; {@code gatehouse.clock()} by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How far the issuer's clock may be off, 60 seconds by default, at most 5 minutes. */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("clock skew is 0 to 5 minutes, not " + skew);
            }
            this.clockSkew = skew;
            return this;
        }

        /**
         * Finds the local account of a token's issuer and subject (never by email: ASVS 6.8). The
         * default is the account the identity is linked to in {@code gatehouse.externalIdentities()}.
         */
        public Builder accounts(BiFunction<String, String, Optional<User>> accounts) {
            this.accounts = Objects.requireNonNull(accounts, "accounts");
            return this;
        }

        /**
         * The mechanism; no network yet (each issuer's discovery document is read on its first token).
         *
         * @throws IllegalStateException if no issuer is trusted
         */
        public BearerTokenMechanism build() {
            if (audiences.isEmpty()) {
                throw new IllegalStateException("trust at least one issuer: trust(URI issuer, String audience)");
            }
            return new BearerTokenMechanism(this);
        }

        private static String requireClaimName(String claim) {
            if (claim == null || claim.isBlank()) {
                throw new IllegalArgumentException("a claim name is not blank");
            }
            return claim;
        }
    }
}
