-- Gatehouse sessions, remember-me grants and refresh tokens (PostgreSQL).
--
-- id is the SHA-256 digest of the client's secret (64 lower-case hex digits), never the secret.
-- Deleting a user deletes their records through the foreign key.
-- find() runs on every session-authenticated request: it is one primary-key lookup.
-- Instants are TIMESTAMP(6) WITH TIME ZONE, bound as OffsetDateTime, as in V1.

CREATE TABLE gh_sessions (
    id               VARCHAR(64)  NOT NULL,
    kind             VARCHAR(16)  NOT NULL,
    user_id          BIGINT       NOT NULL,
    security_stamp   VARCHAR(64)  NOT NULL,
    family_id        VARCHAR(64)  NOT NULL,
    generation       INTEGER      NOT NULL,
    created_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_used_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    authenticated_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    consumed         BOOLEAN      NOT NULL,
    ip               VARCHAR(64),
    user_agent       VARCHAR(255),
    CONSTRAINT gh_sessions_pk PRIMARY KEY (id),
    CONSTRAINT gh_sessions_kind_ck CHECK (kind IN ('SESSION', 'REMEMBER_ME', 'REFRESH_TOKEN')),
    CONSTRAINT gh_sessions_generation_ck CHECK (generation >= 0),
    CONSTRAINT gh_sessions_user_fk FOREIGN KEY (user_id) REFERENCES gh_users (id) ON DELETE CASCADE
);
-- listForUser in created_at order, deleteAllForUser, and the cascade when a user is deleted.
CREATE INDEX gh_sessions_user_idx ON gh_sessions (user_id, created_at);
-- deleteFamily (logout, refresh-token reuse).
CREATE INDEX gh_sessions_family_idx ON gh_sessions (family_id);
-- deleteExpired.
CREATE INDEX gh_sessions_expires_idx ON gh_sessions (expires_at);
