-- Gatehouse passkeys: WebAuthn credentials and user handles (H2).
-- Instants are TIMESTAMP(6) WITH TIME ZONE, bound as OffsetDateTime, as in V1.

-- Each user's WebAuthn user handle: base64url of 32 random bytes handed to authenticators as
-- user.id, so that a passkey carries neither the email nor the numeric id. Created on first use.
CREATE TABLE gh_passkey_users (
    user_id     BIGINT      NOT NULL,
    user_handle VARCHAR(64) NOT NULL,
    CONSTRAINT gh_passkey_users_pk PRIMARY KEY (user_id),
    CONSTRAINT gh_passkey_users_handle_uk UNIQUE (user_handle),
    CONSTRAINT gh_passkey_users_user_fk FOREIGN KEY (user_id) REFERENCES gh_users (id) ON DELETE CASCADE
);

-- Registered passkeys. credential_id and public_key are base64url without padding (the key is a
-- COSE_Key; public, but needed unchanged to verify signatures). transports is a comma-separated
-- list of WebAuthn transport names (at most 8). passkey_usage is 'first' or 'secondary', as Flask-Security's.
-- sign_count is the last signature counter seen, an unsigned 32-bit value.
CREATE TABLE gh_passkeys (
    credential_id   VARCHAR(1364) NOT NULL,
    user_id         BIGINT        NOT NULL,
    name            VARCHAR(64)   NOT NULL,
    public_key      VARCHAR(2732) NOT NULL,
    sign_count      BIGINT        NOT NULL,
    transports      VARCHAR(300)  NOT NULL,
    backup_eligible BOOLEAN       NOT NULL,
    backed_up       BOOLEAN       NOT NULL,
    passkey_usage   VARCHAR(16)   NOT NULL,
    created_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_used_at    TIMESTAMP(6) WITH TIME ZONE,
    CONSTRAINT gh_passkeys_pk PRIMARY KEY (credential_id),
    CONSTRAINT gh_passkeys_name_uk UNIQUE (user_id, name),
    CONSTRAINT gh_passkeys_sign_count_ck CHECK (sign_count >= 0 AND sign_count <= 4294967295),
    CONSTRAINT gh_passkeys_user_fk FOREIGN KEY (user_id) REFERENCES gh_users (id) ON DELETE CASCADE
);
