-- Written by tools/fixtures/make_flask_security_db.py from fsqla_v3.sqlite; do not edit.
CREATE TABLE `role` (
	id INTEGER NOT NULL AUTO_INCREMENT, 
	name VARCHAR(80) NOT NULL, 
	description VARCHAR(255), 
	permissions TEXT, 
	update_datetime DATETIME NOT NULL DEFAULT now(), 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
CREATE TABLE user (
	id INTEGER NOT NULL AUTO_INCREMENT, 
	email VARCHAR(255) NOT NULL, 
	active BOOL NOT NULL, 
	fs_uniquifier VARCHAR(64) NOT NULL, 
	confirmed_at DATETIME, 
	last_login_at DATETIME, 
	current_login_at DATETIME, 
	last_login_ip VARCHAR(64), 
	current_login_ip VARCHAR(64), 
	login_count INTEGER, 
	tf_primary_method VARCHAR(64), 
	tf_totp_secret VARCHAR(255), 
	tf_phone_number VARCHAR(128), 
	create_datetime DATETIME NOT NULL DEFAULT now(), 
	update_datetime DATETIME NOT NULL DEFAULT now(), 
	username VARCHAR(255), 
	us_totp_secrets TEXT, 
	fs_webauthn_user_handle VARCHAR(64), 
	mf_recovery_codes TEXT, 
	password VARCHAR(255), 
	us_phone_number VARCHAR(128), 
	PRIMARY KEY (id), 
	UNIQUE (email), 
	UNIQUE (fs_uniquifier), 
	UNIQUE (username), 
	UNIQUE (fs_webauthn_user_handle), 
	UNIQUE (us_phone_number)
);
CREATE TABLE roles_users (
	user_id INTEGER, 
	role_id INTEGER, 
	FOREIGN KEY(user_id) REFERENCES user (id), 
	FOREIGN KEY(role_id) REFERENCES `role` (id)
);
INSERT INTO `role` (id, name, description, permissions, update_datetime) VALUES (1, 'admin', 'Administrators', 'users:read,users:write', '2026-11-23 05:00:57');
INSERT INTO `role` (id, name, description, permissions, update_datetime) VALUES (2, 'editor', 'Edits posts', 'posts:edit', '2026-11-23 05:00:57');
INSERT INTO `role` (id, name, description, permissions, update_datetime) VALUES (3, 'viewer', NULL, NULL, '2026-11-23 05:00:57');
INSERT INTO user (id, email, active, fs_uniquifier, confirmed_at, last_login_at, current_login_at, last_login_ip, current_login_ip, login_count, tf_primary_method, tf_totp_secret, tf_phone_number, create_datetime, update_datetime, username, us_totp_secrets, fs_webauthn_user_handle, mf_recovery_codes, password, us_phone_number) VALUES (1, 'alice@example.com', TRUE, 'e3a0bb9f068c430a8c9ebd7df5fb8c0c', '2026-11-23 05:00:57.392024', '2026-11-23 05:00:57.686449', '2026-11-23 05:00:57.919120', '198.51.100.7', '203.0.113.9', 2, NULL, NULL, NULL, '2026-11-23 05:00:57', '2026-11-23 05:00:57.920270', NULL, NULL, 'b5f10ed6c99f424ea808ea6702f2d471', NULL, '$2b$12$8pdoPwMEMCBkwt5U3uERNuJ.9O3MffLWJoRUxVgozWsx9kCph3iYe', NULL);
INSERT INTO user (id, email, active, fs_uniquifier, confirmed_at, last_login_at, current_login_at, last_login_ip, current_login_ip, login_count, tf_primary_method, tf_totp_secret, tf_phone_number, create_datetime, update_datetime, username, us_totp_secrets, fs_webauthn_user_handle, mf_recovery_codes, password, us_phone_number) VALUES (2, 'bob@example.com', FALSE, 'cca94eb85f9147d4b2c71b30a9fa5853', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2026-11-23 05:00:58', '2026-11-23 05:00:58.153078', 'bob', NULL, '32fabe89115f4a90ac78e8cd40c3e156', NULL, '$2b$12$Eu4.xwpICmusEKnNJECuH.U7rN59URhhR2.4hvvREiRjh887/f.X2', NULL);
INSERT INTO user (id, email, active, fs_uniquifier, confirmed_at, last_login_at, current_login_at, last_login_ip, current_login_ip, login_count, tf_primary_method, tf_totp_secret, tf_phone_number, create_datetime, update_datetime, username, us_totp_secrets, fs_webauthn_user_handle, mf_recovery_codes, password, us_phone_number) VALUES (3, 'carol@example.com', TRUE, 'ec41b2d01469461382f92e95f7c3ae33', '2026-11-23 05:00:59.258842', '2026-11-23 05:01:00.409909', '2026-11-23 05:01:00.409909', NULL, '2001:db8::17', 1, NULL, NULL, NULL, '2026-11-23 05:00:59', '2026-11-23 05:01:00.411498', 'Carol', NULL, '69480d4ba3ef49129c9f0a985cd05fb5', NULL, '$argon2id$v=19$m=102400,t=10,p=8$oDSmlFIKwXhPqVVKiRGiNA$hqmMnKld57/VzDaUiuwkdA', NULL);
INSERT INTO user (id, email, active, fs_uniquifier, confirmed_at, last_login_at, current_login_at, last_login_ip, current_login_ip, login_count, tf_primary_method, tf_totp_secret, tf_phone_number, create_datetime, update_datetime, username, us_totp_secrets, fs_webauthn_user_handle, mf_recovery_codes, password, us_phone_number) VALUES (4, 'Dave@Example.COM', TRUE, 'fca8363a4491464ba6e5e08b799a6194', NULL, NULL, NULL, NULL, NULL, NULL, 'authenticator', '{"enckey":{"c":14,"k":"HME7N2E7HVYAXYFY6N6R4ATOWWZVWXHA","s":"EXSLZVY2IMEECKGFHCTQ","t":"1","v":1},"type":"totp","v":1}', NULL, '2026-11-23 05:01:01', '2026-11-23 05:01:01.546074', NULL, NULL, '0e0645754e034a599df5d4ad81be0de4', NULL, '$argon2id$v=19$m=102400,t=10,p=8$C0EoBeDcW2tNyTknhPBeaw$a3uN9Hw699NpbEyl5GjPWA', '+15555550123');
INSERT INTO user (id, email, active, fs_uniquifier, confirmed_at, last_login_at, current_login_at, last_login_ip, current_login_ip, login_count, tf_primary_method, tf_totp_secret, tf_phone_number, create_datetime, update_datetime, username, us_totp_secrets, fs_webauthn_user_handle, mf_recovery_codes, password, us_phone_number) VALUES (5, 'erin@example.com', TRUE, 'be8bc756ba0749e4b6dbc03d777b287b', '2026-11-23 05:01:01.585348', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2026-11-23 05:01:01', '2026-11-23 05:01:01.585733', 'erin', NULL, '94404d2f2ca84e959702e47828ebc1a9', NULL, NULL, NULL);
INSERT INTO roles_users (user_id, role_id) VALUES (1, 1);
INSERT INTO roles_users (user_id, role_id) VALUES (1, 2);
INSERT INTO roles_users (user_id, role_id) VALUES (2, 3);
INSERT INTO roles_users (user_id, role_id) VALUES (3, 2);
INSERT INTO roles_users (user_id, role_id) VALUES (5, 3);
