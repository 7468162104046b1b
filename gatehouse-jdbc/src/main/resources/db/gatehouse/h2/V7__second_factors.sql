-- Gatehouse two-factor authentication: each user's second factors and recovery codes (H2).

-- One row per user who set anything up. primary_method is the second factor asked for after the
-- first ('authenticator', 'email' or 'sms'; NULL: two-factor off). totp_secret is the authenticator
-- key sealed with Gatehouse's secret (AES-GCM, never the key itself). sign_in_methods is a
-- comma-separated list of the methods enabled for unified sign-in. last_totp_step is the highest
-- RFC 6238 time step accepted so far: a code of that step or an earlier one is never accepted again.
CREATE TABLE gh_second_factors (
    user_id         BIGINT       NOT NULL,
    primary_method  VARCHAR(16),
    totp_secret     VARCHAR(512),
    phone_number    VARCHAR(32),
    sign_in_methods VARCHAR(64)  NOT NULL,
    last_totp_step  BIGINT       NOT NULL,
    CONSTRAINT gh_second_factors_pk PRIMARY KEY (user_id),
    CONSTRAINT gh_second_factors_user_fk FOREIGN KEY (user_id) REFERENCES gh_users (id) ON DELETE CASCADE
);

-- Digests (SHA-256, hex) of the unused recovery codes; a used code's row is deleted.
CREATE TABLE gh_recovery_codes (
    user_id BIGINT      NOT NULL,
    digest  VARCHAR(64) NOT NULL,
    CONSTRAINT gh_recovery_codes_pk PRIMARY KEY (user_id, digest),
    CONSTRAINT gh_recovery_codes_user_fk FOREIGN KEY (user_id) REFERENCES gh_second_factors (user_id) ON DELETE CASCADE
);
