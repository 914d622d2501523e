-- 0007_queue_lean.sql - fewer index writes per delivered message.
--
-- Every secondary index that holds a changed column costs a delete and an
-- insert in InnoDB (and purge work later). A message changes state twice
-- (leased, then sent): with state in queue_campaign too, and message_id
-- indexed, that was five index changes per message; now it is two (both in
-- queue_claim). The Message-ID is not stored: it is <queue id.payload
-- token@from domain> (build.c), so the queue id is read from it.
-- docs/queue.md "Speed" has the measurements.
ALTER TABLE queue
	DROP INDEX queue_message_id,
	DROP COLUMN message_id,
	DROP INDEX queue_campaign,
	ADD KEY queue_campaign (campaign_id);

-- The last attempt's MX and TLS version live on the row: a sent message has
-- no delivery_event (the row is its record), a failed attempt has both.
ALTER TABLE queue
	ADD COLUMN last_mx VARCHAR(255) NULL AFTER last_reply,
	ADD COLUMN last_tls VARCHAR(16) NULL AFTER last_mx;

-- The claim index ends in the primary key explicitly, so that a claim can
-- resume after the last row it took (due_at, id) as an index range instead
-- of walking the delete-marked entries its own earlier leases left behind
-- (db_queue.h, struct queue_cursor).
ALTER TABLE queue
	DROP INDEX queue_claim,
	ADD KEY queue_claim (state, due_at, id);

-- The Message-ID of every queue row, as build.c writes it, for operators
-- and tests (SELECT message_id FROM queue_message_id WHERE id = ...).
CREATE VIEW queue_message_id AS
	SELECT q.id, q.state, CONCAT('<', q.id, '.', p.token, '@',
	    LOWER(SUBSTRING_INDEX(p.mail_from, '@', -1)), '>') AS message_id
	FROM queue q JOIN message_payload p ON p.id = q.payload_id;
