-- Gatehouse sessions, remember-me grants and refresh tokens (MariaDB and MySQL 8).
--
-- id is the SHA-256 digest of the client's secret (64 lower-case hex digits), never the secret.
-- Deleting a user deletes their records through the foreign key.
-- find() runs on every session-authenticated request: it is one primary-key lookup.
-- id and family_id are ASCII with a binary collation: case-sensitive (family ids are base64url),
-- and a quarter of the utf8mb4 width in the primary key, which InnoDB repeats in every index.
-- Binary collations still ignore trailing spaces here (PAD SPACE), so the store never queries
-- strings that are not well-formed ids or family ids.
-- Instants are DATETIME(6) holding UTC, as in V1.

CREATE TABLE gh_sessions (
    id               VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    kind             VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    user_id          BIGINT       NOT NULL,
    security_stamp   VARCHAR(64)  NOT NULL,
    family_id        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    generation       INTEGER      NOT NULL,
    created_at       DATETIME(6)  NOT NULL,
    last_used_at     DATETIME(6)  NOT NULL,
    authenticated_at DATETIME(6)  NOT NULL,
    expires_at       DATETIME(6)  NOT NULL,
    consumed         BOOLEAN      NOT NULL,
    ip               VARCHAR(64)  NULL,
    user_agent       VARCHAR(255) NULL,
    CONSTRAINT gh_sessions_pk PRIMARY KEY (id),
    CONSTRAINT gh_sessions_kind_ck CHECK (kind IN ('SESSION', 'REMEMBER_ME', 'REFRESH_TOKEN')),
    CONSTRAINT gh_sessions_generation_ck CHECK (generation >= 0),
    -- listForUser in created_at order, deleteAllForUser, and the cascade when a user is deleted.
    KEY gh_sessions_user_idx (user_id, created_at),
    -- deleteFamily (logout, refresh-token reuse).
    KEY gh_sessions_family_idx (family_id),
    -- deleteExpired.
    KEY gh_sessions_expires_idx (expires_at),
    CONSTRAINT gh_sessions_user_fk FOREIGN KEY (user_id) REFERENCES gh_users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
