-- 0004_allow_loopback.sql - a fresh install admits loopback, so that the
-- machine itself (an SSH tunnel, a local browser) can always reach the
-- screens; the installer adds its own ranges with `tegami ip allow`.
INSERT IGNORE INTO ip_ranges (cidr, label, created_by, created_at, updated_at)
VALUES
	('127.0.0.1/32', 'loopback (installed)', 'install', UNIX_TIMESTAMP(), UNIX_TIMESTAMP()),
	('::1/128', 'loopback (installed)', 'install', UNIX_TIMESTAMP(), UNIX_TIMESTAMP());
UPDATE settings SET v = v + 1 WHERE k = 'ip_ranges_version';
