-- Gatehouse external identities and per-sign-in data (MariaDB and MySQL 8).
-- As in V1: utf8mb4 with a binary collation, instants as DATETIME(6) holding UTC.

-- Accounts at OpenID Connect providers linked to users, keyed by (issuer, subject): a subject is
-- unique only within its issuer. Both compare exactly through the binary collation; binary
-- collations still ignore trailing spaces here (PAD SPACE), so the store never queries values with
-- whitespace at either end (nor stores them). email is what the provider asserted, for display.
-- The unique key takes 2 x 255 x 4 bytes, within InnoDB's 3072-byte limit.
-- Deleting a user deletes their identities through the foreign key.
CREATE TABLE gh_external_identities (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    user_id         BIGINT       NOT NULL,
    provider        VARCHAR(32)  NOT NULL,
    issuer          VARCHAR(255) NOT NULL,
    subject         VARCHAR(255) NOT NULL,
    email           VARCHAR(254) NULL,
    linked_at       DATETIME(6)  NOT NULL,
    last_sign_in_at DATETIME(6)  NULL,
    CONSTRAINT gh_external_identities_pk PRIMARY KEY (id),
    UNIQUE KEY gh_external_identities_key_uk (issuer, subject),
    -- listForUser in linked_at order, and the cascade when a user is deleted.
    KEY gh_external_identities_user_idx (user_id, linked_at),
    CONSTRAINT gh_external_identities_user_fk FOREIGN KEY (user_id) REFERENCES gh_users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Small named values attached to one sign-in (a session family of gh_sessions), e.g. a provider's
-- tokens. The store keeps the value as given: callers seal anything secret (AES-GCM under a key
-- derived from the secret), so reading this table reveals no usable token. Values are printable
-- ASCII, at most 16384 characters: TEXT in ASCII holds 65535. family_id and name are ASCII with a
-- binary collation, as gh_sessions.family_id. No foreign key to gh_sessions: a family outlives
-- any one of its records.
CREATE TABLE gh_session_data (
    family_id  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name       VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    user_id    BIGINT       NOT NULL,
    content    TEXT         CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    expires_at DATETIME(6)  NOT NULL,
    CONSTRAINT gh_session_data_pk PRIMARY KEY (family_id, name),
    -- deleteAllForUser (sign out everywhere), and the cascade when a user is deleted.
    KEY gh_session_data_user_idx (user_id),
    -- deleteExpired.
    KEY gh_session_data_expires_idx (expires_at),
    CONSTRAINT gh_session_data_user_fk FOREIGN KEY (user_id) REFERENCES gh_users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
