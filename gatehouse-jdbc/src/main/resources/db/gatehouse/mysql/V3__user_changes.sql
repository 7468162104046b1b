-- Change log of users (MariaDB and MySQL 8): one row per change, written in the same
-- transaction as the change, by whichever process makes it (an application node, the
-- command-line tool). Every node polls it to drop its cached copies. user_id is NULL when any
-- user may have changed (a role's permissions). No foreign key: the row must outlive a deleted
-- user. Old rows are pruned. changed_at is DATETIME(6) holding UTC, as in V1.
CREATE TABLE gh_user_changes (
    seq        BIGINT      NOT NULL AUTO_INCREMENT,
    user_id    BIGINT,
    changed_at DATETIME(6) NOT NULL,
    CONSTRAINT gh_user_changes_pk PRIMARY KEY (seq)
) ENGINE = InnoDB;
CREATE INDEX gh_user_changes_time_idx ON gh_user_changes (changed_at);
