package dev.gatehouse.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.Secret;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * How the relying party authenticates itself at the provider's token endpoint: a client secret
 * ({@code client_secret_basic}, or {@code client_secret_post} when the provider offers only that) or a
 * private-key JWT ({@code private_key_jwt}, RFC 7523). Immutable; {@code toString()} never shows key material.
 */
public sealed interface ClientCredentials permits ClientCredentials.ClientSecret, ClientCredentials.PrivateKeyJwt {

    /** A client secret. */
    static ClientCredentials secret(Secret secret) {
        return new ClientSecret(secret);
    }

    /** A client secret given as a string. */
    static ClientCredentials secret(String secret) {
        return new ClientSecret(Secret.of(secret));
    }

    /** A private-key JWT signed with {@code key} (RSA or EC, with its private part); the JWT's {@code kid} is the key's id. */
    static ClientCredentials privateKeyJwt(JWK key) {
        Objects.requireNonNull(key, "key");
        if (!key.isPrivate()) {
            throw invalid("the private-key JWT key has no private part");
        }
        try {
            if (key instanceof RSAKey rsa) {
                return new PrivateKeyJwt(rsa.toPrivateKey(), rsa.getKeyID());
            }
            if (key instanceof ECKey ec) {
                return new PrivateKeyJwt(ec.toPrivateKey(), ec.getKeyID());
            }
        } catch (JOSEException e) {
            throw invalid("the private-key JWT key cannot be read");
        }
        throw invalid("the private-key JWT key must be an RSA or EC key");
    }

    /**
     * A private-key JWT signed with an unencrypted PKCS#8 PEM private key ({@code -----BEGIN PRIVATE KEY-----},
     * RSA or EC), announced to the provider as {@code keyId}.
     */
    static ClientCredentials privateKeyJwt(String pkcs8Pem, String keyId) {
        Objects.requireNonNull(pkcs8Pem, "pkcs8Pem");
        String base64 = pkcs8Pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw invalid("the private-key JWT key is not a PKCS#8 PEM private key");
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return new PrivateKeyJwt(KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der)),
                        keyId);
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // not this algorithm: try the next
            }
        }
        throw invalid("the private-key JWT key is not an unencrypted PKCS#8 RSA or EC private key");
    }

    private static InvalidConfigurationException invalid(String problem) {
        return new InvalidConfigurationException(List.of(problem));
    }

    /** A shared client secret. */
    record ClientSecret(Secret secret) implements ClientCredentials {
        /** The secret must not be null or blank. */
        public ClientSecret {
            Objects.requireNonNull(secret, "secret");
            if (secret.reveal().isBlank()) {
                throw invalid("the client secret is blank");
            }
        }

        /** Redacted. */
        @Override
        public String toString() {
            return "ClientSecret[<redacted>]";
        }
    }

    /**
     * A private key that signs the client's assertion: RS256 for RSA keys, ES256/ES384/ES512 for EC keys by curve.
     *
     * @param privateKey an RSA or EC private key
     * @param keyId      the {@code kid} the provider knows the matching public key by
     */
    record PrivateKeyJwt(PrivateKey privateKey, String keyId) implements ClientCredentials {
        /** The key must be RSA or EC; the key id must not be blank. */
        public PrivateKeyJwt {
            Objects.requireNonNull(privateKey, "privateKey");
            if (!(privateKey instanceof RSAPrivateKey) && !(privateKey instanceof ECPrivateKey)) {
                throw invalid("the private-key JWT key must be an RSA or EC key");
            }
            if (keyId == null || keyId.isBlank()) {
                throw invalid("the private-key JWT needs a key id");
            }
        }

        /** The key id only. */
        @Override
        public String toString() {
            return "PrivateKeyJwt[keyId=" + keyId + ", key redacted]";
        }
    }
}
