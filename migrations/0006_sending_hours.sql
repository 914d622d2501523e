-- 0006_sending_hours.sql - sending hours (配信禁止時間帯, blackout hours):
-- a named weekly schedule of the hours in which mail may leave, in one
-- time zone, and the payload that follows it. docs/queue.md, "Sending
-- hours", explains the rules.
--
-- A window allows sending only inside its spans; outside them (the
-- blackout) rows wait. A later campaign table references the same
-- sending_window.

CREATE TABLE sending_window (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(64) NOT NULL,
	tz		VARCHAR(64) NOT NULL DEFAULT 'Asia/Tokyo',
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY sending_window_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Allowed spans in local wall-clock minutes of one weekday (0 Monday ..
-- 6 Sunday), start inclusive, end exclusive; a span across midnight is
-- stored as two rows (22:00-24:00 and 00:00-06:00 of the next day).
CREATE TABLE sending_window_span (
	window_id	BIGINT UNSIGNED NOT NULL,
	weekday		TINYINT UNSIGNED NOT NULL,
	start_min	SMALLINT UNSIGNED NOT NULL,
	end_min		SMALLINT UNSIGNED NOT NULL,
	PRIMARY KEY (window_id, weekday, start_min),
	CONSTRAINT sending_window_span_window FOREIGN KEY (window_id)
	    REFERENCES sending_window (id) ON DELETE CASCADE,
	CONSTRAINT sending_window_span_valid CHECK (weekday < 7 AND
	    start_min < end_min AND end_min <= 1440)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A window in use cannot be deleted (no silent "send any time").
ALTER TABLE message_payload
	ADD COLUMN window_id BIGINT UNSIGNED NULL,
	ADD CONSTRAINT message_payload_window FOREIGN KEY (window_id)
	    REFERENCES sending_window (id);
