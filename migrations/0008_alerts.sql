-- 0008_alerts.sql - alerts for administrators (issue 3): a policy or
-- authentication refusal (X.7.x, RFC 3463 §3.8) never suppresses the
-- recipient; tegami-sender records it here and the screens show it until
-- an administrator acknowledges it. docs/delivery.md, "Alerts".
--
-- While an alert is open there is one row per (kind, destination domain,
-- enhanced code): open_key holds 'kind|domain|enhanced' under a UNIQUE
-- index, so a raise is one INSERT ... ON DUPLICATE KEY UPDATE that grows
-- count and last_seen, and a storm of refusals stays one row. An
-- acknowledgement sets open_key to NULL (NULLs never collide), so the
-- next refusal opens a new row. Times are Unix seconds. More kinds join
-- the ENUM later (ALTER TABLE ... MODIFY kind).

CREATE TABLE alert (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	kind		ENUM('policy') NOT NULL,
	domain		VARCHAR(253) NOT NULL,
	code		SMALLINT UNSIGNED NOT NULL DEFAULT 0,
	enhanced	VARCHAR(15) NOT NULL DEFAULT '',
	reply		VARCHAR(512) NOT NULL DEFAULT '',
	first_seen	BIGINT NOT NULL,
	last_seen	BIGINT NOT NULL,
	count		BIGINT UNSIGNED NOT NULL DEFAULT 1,
	acked_at	BIGINT NULL,
	acked_by	BIGINT UNSIGNED NULL,
	open_key	VARCHAR(300) NULL,
	UNIQUE KEY alert_open_key (open_key),
	KEY alert_open (acked_at, last_seen),
	CONSTRAINT alert_acked_by FOREIGN KEY (acked_by)
	    REFERENCES users (id) ON DELETE SET NULL,
	CONSTRAINT alert_open_valid CHECK ((acked_at IS NULL) =
	    (open_key IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
