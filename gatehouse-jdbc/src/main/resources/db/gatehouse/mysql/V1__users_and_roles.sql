-- Gatehouse users and roles (MariaDB and MySQL 8; tested on MariaDB 10.11).
--
-- Emails and usernames are unique case-insensitively through key columns the store fills with
-- Identifiers.emailKey/usernameKey, so every database agrees with the in-memory store on what
-- "the same email" means. Keys may be longer than the value they come from: lower-casing can
-- grow a string (U+0130 becomes two characters).
-- Every table is utf8mb4 with a binary collation: the default *_general_ci collations would treat
-- "élodie" and "elodie" as equal keys, and role names and security stamps are case-sensitive.
-- Instants are DATETIME(6) holding UTC wall-clock time: TIMESTAMP would be converted through the
-- session time zone, update itself on writes, and end in 2038.

CREATE TABLE gh_users (
    id               BIGINT        NOT NULL AUTO_INCREMENT,
    email            VARCHAR(254)  NOT NULL,
    email_key        VARCHAR(512)  NOT NULL,
    username         VARCHAR(64)   NULL,
    username_key     VARCHAR(128)  NULL,
    password_hash    VARCHAR(1024) NULL,
    active           BOOLEAN       NOT NULL,
    confirmed_at     DATETIME(6)   NULL,
    security_stamp   VARCHAR(64)   NOT NULL,
    created_at       DATETIME(6)   NOT NULL,
    last_login_at    DATETIME(6)   NULL,
    current_login_at DATETIME(6)   NULL,
    last_login_ip    VARCHAR(64)   NULL,
    current_login_ip VARCHAR(64)   NULL,
    login_count      INTEGER       NOT NULL DEFAULT 0,
    CONSTRAINT gh_users_pk PRIMARY KEY (id),
    CONSTRAINT gh_users_login_count_ck CHECK (login_count >= 0),
    UNIQUE KEY gh_users_email_uk (email_key),
    UNIQUE KEY gh_users_username_uk (username_key),
    UNIQUE KEY gh_users_stamp_uk (security_stamp),
    -- Listing filtered by the active flag, in id order.
    KEY gh_users_active_idx (active, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE gh_roles (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    name        VARCHAR(80)   NOT NULL,
    description VARCHAR(1000) NOT NULL,
    CONSTRAINT gh_roles_pk PRIMARY KEY (id),
    UNIQUE KEY gh_roles_name_uk (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE gh_role_permissions (
    role_id    BIGINT      NOT NULL,
    permission VARCHAR(80) NOT NULL,
    CONSTRAINT gh_role_permissions_pk PRIMARY KEY (role_id, permission),
    CONSTRAINT gh_role_permissions_role_fk FOREIGN KEY (role_id) REFERENCES gh_roles (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE gh_user_roles (
    user_id BIGINT NOT NULL,
    role_id BIGINT NOT NULL,
    CONSTRAINT gh_user_roles_pk PRIMARY KEY (user_id, role_id),
    -- Listing users by role, and the cascade when a role is deleted.
    KEY gh_user_roles_role_idx (role_id, user_id),
    CONSTRAINT gh_user_roles_user_fk FOREIGN KEY (user_id) REFERENCES gh_users (id) ON DELETE CASCADE,
    CONSTRAINT gh_user_roles_role_fk FOREIGN KEY (role_id) REFERENCES gh_roles (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE gh_user_attributes (
    user_id    BIGINT        NOT NULL,
    attr_name  VARCHAR(64)   NOT NULL,
    attr_value VARCHAR(4096) NOT NULL,
    -- Attributes come back in the order they were given.
    attr_order INTEGER       NOT NULL,
    CONSTRAINT gh_user_attributes_pk PRIMARY KEY (user_id, attr_name),
    CONSTRAINT gh_user_attributes_user_fk FOREIGN KEY (user_id) REFERENCES gh_users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
