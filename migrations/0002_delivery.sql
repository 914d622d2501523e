-- 0002_delivery.sql - the delivery side of Tegami: sending domains and
-- their DKIM keys, message payloads (templates), the queue, delivery events
-- and the suppression list. docs/queue.md explains every state and column.
--
-- The queue holds one small row per message and recipient; the message is
-- rendered from its payload only when a sender claims the row.

CREATE TABLE sending_domain (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(253) NOT NULL,
	enabled		TINYINT(1) NOT NULL DEFAULT 1,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY sending_domain_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Private keys are sealed (libsodium crypto_box_seal) to the sender's public
-- key; only tegami-sender can open them. public_txt is the DNS TXT value.
CREATE TABLE dkim_key (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	domain_id	BIGINT UNSIGNED NOT NULL,
	selector	VARCHAR(63) NOT NULL,
	algorithm	ENUM('rsa', 'ed25519') NOT NULL,
	bits		INT UNSIGNED NOT NULL DEFAULT 0,
	private_sealed	BLOB NOT NULL,
	public_txt	TEXT NOT NULL,
	active		TINYINT(1) NOT NULL DEFAULT 1,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY dkim_key_selector (domain_id, selector),
	CONSTRAINT dkim_key_domain FOREIGN KEY (domain_id)
	    REFERENCES sending_domain (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- What to send: templates rendered per recipient with the row's merge
-- fields. token makes Message-IDs unguessable: <queue id.token@domain>.
CREATE TABLE message_payload (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	kind		ENUM('transactional', 'test', 'campaign') NOT NULL,
	domain_id	BIGINT UNSIGNED NULL,
	mail_from	VARCHAR(320) NOT NULL,
	from_name	VARCHAR(255) NOT NULL DEFAULT '',
	reply_to	VARCHAR(320) NOT NULL DEFAULT '',
	subject_tpl	TEXT NOT NULL,
	text_tpl	MEDIUMTEXT NULL,
	html_tpl	MEDIUMTEXT NULL,
	token		CHAR(16) NOT NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	CONSTRAINT message_payload_domain FOREIGN KEY (domain_id)
	    REFERENCES sending_domain (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per message and recipient. due_at is when the row next needs a
-- sender: the next attempt while queued or deferred, the lease expiry while
-- leased; the claim reads (state, due_at) only.
CREATE TABLE queue (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	payload_id	BIGINT UNSIGNED NOT NULL,
	campaign_id	BIGINT UNSIGNED NULL,
	rcpt		VARCHAR(320) NOT NULL,
	rcpt_domain	VARCHAR(253) NOT NULL,
	merge_fields	TEXT NULL,
	state		ENUM('queued', 'leased', 'deferred', 'sent', 'bounced',
			    'suppressed') NOT NULL DEFAULT 'queued',
	attempts	SMALLINT UNSIGNED NOT NULL DEFAULT 0,
	next_attempt	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	due_at		DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	lease_owner	VARCHAR(128) NULL,
	lease_until	DATETIME NULL,
	last_code	SMALLINT UNSIGNED NULL,
	last_enhanced	VARCHAR(16) NULL,
	last_reply	VARCHAR(512) NULL,
	message_id	VARCHAR(255) NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	done_at		DATETIME NULL,
	KEY queue_claim (state, due_at),
	KEY queue_campaign (campaign_id, state),
	KEY queue_payload (payload_id),
	KEY queue_message_id (message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every attempt's outcome, for the screens and for audits.
CREATE TABLE delivery_event (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	queue_id	BIGINT UNSIGNED NOT NULL,
	at		DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	outcome		ENUM('sent', 'deferred', 'bounced', 'suppressed',
			    'expired', 'released') NOT NULL,
	code		SMALLINT UNSIGNED NULL,
	enhanced	VARCHAR(16) NULL,
	reply		VARCHAR(512) NULL,
	mx		VARCHAR(255) NULL,
	tls		VARCHAR(16) NULL,
	sender		VARCHAR(128) NULL,
	KEY delivery_event_queue (queue_id),
	KEY delivery_event_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Addresses never to send to again (hard bounces, complaints, operators).
CREATE TABLE suppression (
	address		VARCHAR(320) NOT NULL PRIMARY KEY,
	reason		ENUM('bounce', 'complaint', 'manual') NOT NULL,
	code		SMALLINT UNSIGNED NULL,
	enhanced	VARCHAR(16) NULL,
	reply		VARCHAR(512) NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
