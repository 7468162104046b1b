package dev.gatehouse.passkeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.data.AttestationConveyancePreference;
import com.webauthn4j.data.AuthenticatorAssertionResponse;
import com.webauthn4j.data.AuthenticatorAttestationResponse;
import com.webauthn4j.data.AuthenticatorSelectionCriteria;
import com.webauthn4j.data.PublicKeyCredential;
import com.webauthn4j.data.PublicKeyCredentialCreationOptions;
import com.webauthn4j.data.PublicKeyCredentialDescriptor;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialRequestOptions;
import com.webauthn4j.data.PublicKeyCredentialRpEntity;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.PublicKeyCredentialUserEntity;
import com.webauthn4j.data.ResidentKeyRequirement;
import com.webauthn4j.data.UserVerificationRequirement;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.test.authenticator.webauthn.PackedAuthenticator;
import com.webauthn4j.test.authenticator.webauthn.WebAuthnAuthenticatorAdaptor;
import com.webauthn4j.test.client.ClientPlatform;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * A browser with a software authenticator (webauthn4j-test's emulator), speaking the JSON forms
 * browsers speak: it reads {@code PublicKeyCredentialCreationOptionsJSON} and
 * {@code ...RequestOptionsJSON} as {@code PublicKeyCredential.parse*OptionsFromJSON} would and
 * answers with what {@code PublicKeyCredential.toJSON()} gives. Its origin can be changed to play
 * a phishing site.
 */
final class SoftwareAuthenticator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final ClientPlatform platform;
    /** When set, replaces the rp id of the options the authenticator sees (a misconfigured or hostile page). */
    String rpIdOverride;
    /** Whether it verifies the user (PIN, biometrics) when the options prefer it: the UV flag of its assertions. */
    boolean verifiesUser = true;

    SoftwareAuthenticator(String origin) {
        this.platform = new ClientPlatform(new Origin(origin), new WebAuthnAuthenticatorAdaptor(new PackedAuthenticator()));
    }

    void origin(String origin) {
        platform.setOrigin(new Origin(origin));
    }

    /** {@code navigator.credentials.create({publicKey: options})}, as RegistrationResponseJSON. */
    String create(String optionsJson) throws Exception {
        JsonNode o = JSON.readTree(optionsJson);
        List<PublicKeyCredentialParameters> algorithms = new ArrayList<>();
        for (JsonNode p : o.get("pubKeyCredParams")) {
            algorithms.add(new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY,
                    COSEAlgorithmIdentifier.create(p.get("alg").asLong())));
        }
        JsonNode selection = o.get("authenticatorSelection");
        PublicKeyCredentialCreationOptions options = new PublicKeyCredentialCreationOptions(
                new PublicKeyCredentialRpEntity(rpIdOverride != null ? rpIdOverride : o.at("/rp/id").asText(), o.at("/rp/name").asText()),
                new PublicKeyCredentialUserEntity(B64D.decode(o.at("/user/id").asText()), o.at("/user/name").asText(),
                        o.at("/user/displayName").asText()),
                new DefaultChallenge(B64D.decode(o.get("challenge").asText())),
                algorithms,
                o.get("timeout").asLong(),
                descriptors(o.get("excludeCredentials")),
                new AuthenticatorSelectionCriteria(null, ResidentKeyRequirement.create(selection.get("residentKey").asText()),
                        UserVerificationRequirement.create(selection.get("userVerification").asText())),
                AttestationConveyancePreference.NONE,
                null);
        PublicKeyCredential<AuthenticatorAttestationResponse, ?> credential = platform.create(options);
        ObjectNode response = JSON.createObjectNode()
                .put("clientDataJSON", B64.encodeToString(credential.getResponse().getClientDataJSON()))
                .put("attestationObject", B64.encodeToString(credential.getResponse().getAttestationObject()));
        response.putArray("transports").add("internal");
        return wrap(credential.getRawId(), response);
    }

    /** {@code navigator.credentials.get({publicKey: options})}, as AuthenticationResponseJSON. */
    String get(String optionsJson) throws Exception {
        JsonNode o = JSON.readTree(optionsJson);
        PublicKeyCredentialRequestOptions options = new PublicKeyCredentialRequestOptions(
                new DefaultChallenge(B64D.decode(o.get("challenge").asText())),
                o.get("timeout").asLong(),
                rpIdOverride != null ? rpIdOverride : o.get("rpId").asText(),
                descriptors(o.get("allowCredentials")),
                verifiesUser ? UserVerificationRequirement.create(o.get("userVerification").asText())
                        : UserVerificationRequirement.DISCOURAGED,
                null);
        PublicKeyCredential<AuthenticatorAssertionResponse, ?> credential = platform.get(options);
        AuthenticatorAssertionResponse r = credential.getResponse();
        ObjectNode response = JSON.createObjectNode()
                .put("clientDataJSON", B64.encodeToString(r.getClientDataJSON()))
                .put("authenticatorData", B64.encodeToString(r.getAuthenticatorData()))
                .put("signature", B64.encodeToString(r.getSignature()));
        if (r.getUserHandle() != null) {
            response.put("userHandle", B64.encodeToString(r.getUserHandle()));
        }
        return wrap(credential.getRawId(), response);
    }

    /** The credential id of a credential JSON. */
    static String id(String credentialJson) throws Exception {
        return JSON.readTree(credentialJson).get("id").asText();
    }

    /** {@code credentialJson} with its response's {@code field} replaced (or removed, for null). */
    static String withResponseField(String credentialJson, String field, String value) throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(credentialJson);
        ObjectNode response = (ObjectNode) node.get("response");
        if (value == null) {
            response.remove(field);
        } else {
            response.put(field, value);
        }
        return JSON.writeValueAsString(node);
    }

    private static String wrap(byte[] rawId, ObjectNode response) throws Exception {
        ObjectNode credential = JSON.createObjectNode()
                .put("id", B64.encodeToString(rawId))
                .put("rawId", B64.encodeToString(rawId))
                .put("type", "public-key");
        credential.set("response", response);
        credential.putObject("clientExtensionResults");
        return JSON.writeValueAsString(credential);
    }

    private static List<PublicKeyCredentialDescriptor> descriptors(JsonNode list) {
        List<PublicKeyCredentialDescriptor> descriptors = new ArrayList<>();
        for (JsonNode d : list) {
            descriptors.add(new PublicKeyCredentialDescriptor(PublicKeyCredentialType.PUBLIC_KEY,
                    B64D.decode(d.get("id").asText()), Set.of()));
        }
        return descriptors;
    }
}
