-- 0001_foundation.sql - users, sessions, roles, login throttling, the IP
-- allow-list, the audit log and settings (issue 2).
-- Times are Unix seconds (BIGINT, UTC); screens convert to the user's zone.

CREATE TABLE users (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	login		VARCHAR(64) NOT NULL,
	display_name	VARCHAR(128) NOT NULL DEFAULT '',
	role		ENUM('admin', 'editor') NOT NULL,
	password_hash	VARCHAR(255) NOT NULL,
	must_change	TINYINT(1) NOT NULL DEFAULT 1,
	active		TINYINT(1) NOT NULL DEFAULT 1,
	lang		CHAR(2) NULL,
	tz		VARCHAR(64) NOT NULL DEFAULT 'Asia/Tokyo',
	totp_secret	VARBINARY(255) NULL,	-- sealed with secret.key_file
	totp_enabled	TINYINT(1) NOT NULL DEFAULT 0,
	totp_last_step	BIGINT NOT NULL DEFAULT 0,
	created_at	BIGINT NOT NULL,
	updated_at	BIGINT NOT NULL,
	last_login_at	BIGINT NULL,
	UNIQUE KEY users_login (login)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE recovery_codes (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id		BIGINT UNSIGNED NOT NULL,
	code_hash	BINARY(32) NOT NULL,
	used_at		BIGINT NULL,
	KEY recovery_user (user_id),
	CONSTRAINT recovery_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE sessions (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	token_hash	BINARY(32) NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	csrf		BINARY(32) NOT NULL,
	stage		TINYINT NOT NULL DEFAULT 0,	-- 0 full, 1 awaiting 2FA
	created_at	BIGINT NOT NULL,
	last_seen	BIGINT NOT NULL,
	ip		VARCHAR(45) NOT NULL,
	user_agent	VARCHAR(255) NOT NULL DEFAULT '',
	UNIQUE KEY sessions_token (token_hash),
	KEY sessions_user (user_id),
	CONSTRAINT sessions_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE login_throttle (
	kind		ENUM('account', 'address') NOT NULL,
	k		VARCHAR(128) NOT NULL,
	failures	INT NOT NULL DEFAULT 0,
	last_failure	BIGINT NOT NULL,
	next_allowed	BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (kind, k)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE ip_ranges (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	cidr		VARCHAR(64) NOT NULL,
	label		VARCHAR(128) NOT NULL DEFAULT '',
	created_by	VARCHAR(64) NOT NULL DEFAULT '',
	created_at	BIGINT NOT NULL,
	updated_at	BIGINT NOT NULL,
	UNIQUE KEY ip_ranges_cidr (cidr)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE audit_log (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	at		BIGINT NOT NULL,
	actor		VARCHAR(64) NOT NULL DEFAULT '',
	ip		VARCHAR(45) NOT NULL DEFAULT '',
	action		VARCHAR(32) NOT NULL,
	target		VARCHAR(128) NOT NULL DEFAULT '',
	detail		VARCHAR(1024) NOT NULL DEFAULT '',
	KEY audit_actor (actor, id),
	KEY audit_action (action, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE settings (
	k		VARCHAR(64) NOT NULL PRIMARY KEY,
	v		VARCHAR(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO settings (k, v) VALUES
	('require_totp_admin', '0'),
	('ip_ranges_version', '1');
