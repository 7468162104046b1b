package dev.gatehouse.examples.extension;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AuthenticationMechanism;
import dev.gatehouse.web.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A mechanism a module adds: an {@code X-Api-Key} header {@code <user id>.<signature>}, the
 * signature an HMAC-SHA256 (JCA) of the user's id and security stamp under a server key — so a
 * password change, which renews the stamp, revokes every key. Compared in constant time.
 */
final class ApiKeyMechanism implements AuthenticationMechanism {

    static final Mechanism API_KEY = Mechanism.of("api-key");
    static final String HEADER = "X-Api-Key";

    private final Gatehouse gatehouse;
    private final SecretKeySpec key;

    ApiKeyMechanism(Gatehouse gatehouse, byte[] key) {
        this.gatehouse = gatehouse;
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    @Override
    public Mechanism mechanism() {
        return API_KEY;
    }

    /** A key for {@code user}, valid until its security stamp changes. */
    String issue(User user) {
        return user.id() + "." + signature(user);
    }

    @Override
    public Optional<Authentication> authenticate(Exchange exchange) {
        Optional<String> header = exchange.request().header(HEADER);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String presented = header.get();
        int dot = presented.indexOf('.');
        if (dot <= 0 || dot > 19) {
            return Optional.empty();
        }
        long id;
        try {
            id = Long.parseLong(presented.substring(0, dot));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<User> user = gatehouse.users().findUserById(id).filter(User::isActive);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        byte[] expected = signature(user.get()).getBytes(StandardCharsets.US_ASCII);
        byte[] given = presented.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            return Optional.empty();
        }
        return Optional.of(new Authentication(user.get(), API_KEY, gatehouse.clock().instant(), Optional.empty()));
    }

    private String signature(User user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(("api-key:" + user.id() + ":" + user.securityStamp()).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
