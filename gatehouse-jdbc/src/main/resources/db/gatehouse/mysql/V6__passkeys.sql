-- Gatehouse passkeys: WebAuthn credentials and user handles (MariaDB and MySQL 8).
-- As in V1: utf8mb4 with a binary collation, instants as DATETIME(6) holding UTC. Identifiers that
-- are base64url are ASCII with a binary collation, so the keys stay within InnoDB's 3072 bytes and
-- compare case-sensitively.

-- Each user's WebAuthn user handle: base64url of 32 random bytes handed to authenticators as
-- user.id, so that a passkey carries neither the email nor the numeric id. Created on first use.
CREATE TABLE gh_passkey_users (
    user_id     BIGINT      NOT NULL,
    user_handle VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    CONSTRAINT gh_passkey_users_pk PRIMARY KEY (user_id),
    UNIQUE KEY gh_passkey_users_handle_uk (user_handle),
    CONSTRAINT gh_passkey_users_user_fk FOREIGN KEY (user_id) REFERENCES gh_users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Registered passkeys. credential_id and public_key are base64url without padding (the key is a
-- COSE_Key; public, but needed unchanged to verify signatures). transports is a comma-separated
-- list of WebAuthn transport names (at most 8). passkey_usage is 'first' or 'secondary', as Flask-Security's.
-- sign_count is the last signature counter seen, an unsigned 32-bit value. Names never have
-- outer whitespace, so PAD SPACE cannot make two of them equal.
CREATE TABLE gh_passkeys (
    credential_id   VARCHAR(1364) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    user_id         BIGINT        NOT NULL,
    name            VARCHAR(64)   NOT NULL,
    public_key      VARCHAR(2732) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    sign_count      BIGINT        NOT NULL,
    transports      VARCHAR(300)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    backup_eligible BOOLEAN       NOT NULL,
    backed_up       BOOLEAN       NOT NULL,
    passkey_usage   VARCHAR(16)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at      DATETIME(6)   NOT NULL,
    last_used_at    DATETIME(6)   NULL,
    CONSTRAINT gh_passkeys_pk PRIMARY KEY (credential_id),
    UNIQUE KEY gh_passkeys_name_uk (user_id, name),
    CONSTRAINT gh_passkeys_sign_count_ck CHECK (sign_count >= 0 AND sign_count <= 4294967295),
    CONSTRAINT gh_passkeys_user_fk FOREIGN KEY (user_id) REFERENCES gh_users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
