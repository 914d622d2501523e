-- 0005_delivery_control.sql - delivery control without a restart: what
-- each tegami-sender currently enforces from its shaping rules
-- (shaping_state, written by the senders' control thread, app/sender/
-- control.c), the administrators' requests to lift a suspension early
-- (shaping_lift, written by the screen, applied and marked done by the
-- senders) and a version number that every change of domain_profile or
-- shaping_rule bumps in the same transaction, so that running senders
-- reload within seconds. docs/delivery.md, "Live control".

-- One row per destination (and campaign, '' = the whole destination) a
-- sender suspends or slows; the sender replaces its rows every cycle and
-- deletes those that ended. Times are Unix seconds.
CREATE TABLE shaping_state (
	destination	VARCHAR(253) NOT NULL,
	campaign	VARCHAR(64) NOT NULL DEFAULT '',
	action		ENUM('suspend', 'slow') NOT NULL,
	until_at	BIGINT NOT NULL,
	reason		VARCHAR(512) NOT NULL DEFAULT '',
	sender		VARCHAR(128) NOT NULL DEFAULT '',
	updated_at	BIGINT NOT NULL,
	PRIMARY KEY (destination, campaign)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A request from the screen to end a suspension or slow-down now; every
-- running sender applies pending rows (done_at NULL) and marks them done.
CREATE TABLE shaping_lift (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	destination	VARCHAR(253) NOT NULL,
	campaign	VARCHAR(64) NOT NULL DEFAULT '',
	requested_by	VARCHAR(64) NOT NULL,
	requested_at	BIGINT NOT NULL,
	done_at		BIGINT NULL,
	KEY shaping_lift_pending (done_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO settings (k, v) VALUES ('delivery_version', '1');
