-- 0003_profiles.sql - delivery limits per recipient domain (domain
-- profiles) and traffic-shaping rules matched against SMTP replies.
-- tegami-sender loads both at start and on SIGHUP (engine_load_profiles);
-- administrators edit them on a screen. docs/delivery.md explains each
-- column and the shipped values.

-- A profile applies to its domain and every subdomain; the longest match
-- wins. Zero in a limit column means "the sender's default".
CREATE TABLE domain_profile (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	domain		VARCHAR(253) NOT NULL,
	max_conns	INT UNSIGNED NOT NULL DEFAULT 0,
	msgs_per_conn	INT UNSIGNED NOT NULL DEFAULT 0,
	msgs_per_min	INT UNSIGNED NOT NULL DEFAULT 0,
	slow_start	INT UNSIGNED NOT NULL DEFAULT 0,
	tls_policy	ENUM('none', 'opportunistic', 'required', 'verify')
			    NOT NULL DEFAULT 'opportunistic',
	enabled		TINYINT(1) NOT NULL DEFAULT 1,
	note		VARCHAR(255) NOT NULL DEFAULT '',
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY domain_profile_domain (domain)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A rule matches a reply from a destination (domain '' = any) by code
-- (0 any, 4 or 5 a class, else exact), enhanced code prefix and a text
-- substring (case-insensitive), in position order; the first match acts.
CREATE TABLE shaping_rule (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	position	INT NOT NULL DEFAULT 100,
	domain		VARCHAR(253) NOT NULL DEFAULT '',
	code		INT UNSIGNED NOT NULL DEFAULT 0,
	enhanced	VARCHAR(15) NOT NULL DEFAULT '',
	text_match	VARCHAR(128) NOT NULL DEFAULT '',
	action		ENUM('suspend', 'slow') NOT NULL,
	scope		ENUM('destination', 'campaign') NOT NULL
			    DEFAULT 'destination',
	seconds		INT UNSIGNED NOT NULL,
	enabled		TINYINT(1) NOT NULL DEFAULT 1,
	note		VARCHAR(255) NOT NULL DEFAULT '',
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP,
	KEY shaping_rule_position (position, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Shipped profiles. Japanese mobile carriers accept few parallel sessions
-- and throttle bursts hard; the large mailbox providers take more but
-- reward a steady, slowly growing rate.
INSERT INTO domain_profile
	(domain, max_conns, msgs_per_conn, msgs_per_min, slow_start, note)
VALUES
	('docomo.ne.jp', 3, 20, 300, 1, 'NTT docomo'),
	('ezweb.ne.jp', 3, 20, 300, 1, 'au (KDDI), old domain'),
	('au.com', 3, 20, 300, 1, 'au (KDDI)'),
	('softbank.ne.jp', 3, 20, 300, 1, 'SoftBank'),
	('i.softbank.jp', 3, 20, 300, 1, 'SoftBank iPhone'),
	('yahoo.co.jp', 5, 50, 600, 2, 'Yahoo! JAPAN'),
	('gmail.com', 20, 100, 3000, 3, 'Google'),
	('outlook.com', 10, 50, 1200, 2, 'Microsoft'),
	('hotmail.com', 10, 50, 1200, 2, 'Microsoft'),
	('yahoo.com', 10, 50, 1200, 2, 'Yahoo'),
	('icloud.com', 10, 50, 1200, 2, 'Apple');

INSERT INTO shaping_rule
	(position, domain, code, enhanced, text_match, action, scope,
	 seconds, note)
VALUES
	(10, 'yahoo.co.jp', 421, '4.7.0', '[TSS04]', 'suspend',
	 'destination', 1800,
	 'Yahoo! JAPAN temporary block of the sending IP'),
	(20, 'yahoo.co.jp', 421, '', 'temporarily deferred', 'slow',
	 'destination', 900, 'Yahoo! JAPAN throttling'),
	(30, 'docomo.ne.jp', 421, '', 'too many', 'slow', 'destination',
	 600, 'docomo: too many connections'),
	(31, 'ezweb.ne.jp', 421, '', 'too many', 'slow', 'destination',
	 600, 'au: too many connections'),
	(32, 'au.com', 421, '', 'too many', 'slow', 'destination', 600,
	 'au: too many connections'),
	(33, 'softbank.ne.jp', 421, '', 'too many', 'slow', 'destination',
	 600, 'SoftBank: too many connections'),
	(34, 'i.softbank.jp', 421, '', 'too many', 'slow', 'destination',
	 600, 'SoftBank: too many connections'),
	(40, 'gmail.com', 4, '4.7.28', '', 'slow', 'destination', 900,
	 'Gmail rate limiting (unusual rate of unsolicited mail)'),
	(41, 'gmail.com', 5, '5.7.1', 'unsolicited', 'suspend', 'campaign',
	 3600, 'Gmail blocked a campaign as likely spam'),
	(50, 'outlook.com', 4, '4.7.650', '', 'slow', 'destination', 1800,
	 'Microsoft: IP reputation throttle (S775)'),
	(51, 'hotmail.com', 4, '4.7.650', '', 'slow', 'destination', 1800,
	 'Microsoft: IP reputation throttle'),
	(60, 'yahoo.com', 421, '4.7.0', '[TS', 'suspend', 'destination',
	 1800, 'Yahoo: temporary deferral [TSxx]'),
	(70, 'icloud.com', 4, '4.7.', 'rate', 'slow', 'destination', 900,
	 'iCloud rate limit');
