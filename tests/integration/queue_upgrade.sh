#!/usr/bin/env bash
# queue_upgrade.sh - migration 0009 (leases written in place) on a queue
# made by the migrations before it: rows held at the upgrade keep their
# lease until it ends and are held by nobody; every other row is free; a
# sender then claims what is due, and only that.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/bench/sender/lib.sh"
t_init queue_upgrade
rm -rf "$T_DIR"; mkdir -p "$T_DIR/old"
for m in "$T_ROOT"/migrations/*.sql; do
	case $(basename "$m") in
	0009_*|001[0-9]_*) ;;
	*) cp "$m" "$T_DIR/old/" ;;
	esac
done
TEGAMI_MIGRATIONS=$T_DIR/old t_queue "$T_DIR/q" ""
t_eq "schema before 0009: the lease has an owner column" \
    "$(q_sql1 "SELECT COUNT(*) FROM information_schema.columns WHERE \
    table_schema = DATABASE() AND table_name = 'queue' AND \
    column_name = 'lease_owner'")" 1
# One row per case, as the old sender left them (ids 1-5).
q_sql1 "INSERT INTO message_payload (kind, mail_from, subject_tpl, text_tpl,
    token) VALUES ('test', 'a@upgrade.test', 's', 't', '0123456789abcdef');
INSERT INTO queue (id, payload_id, rcpt, rcpt_domain, state, attempts,
    next_attempt, due_at, lease_owner, lease_until) VALUES
 (1, 1, 'q@x.test', 'x.test', 'queued', 0, NOW(), NOW(), NULL, NULL),
 (2, 1, 'h@x.test', 'x.test', 'leased', 0, NOW() - INTERVAL 1 MINUTE,
    NOW() + INTERVAL 1 HOUR, 'old:1', NOW() + INTERVAL 1 HOUR),
 (3, 1, 'r@x.test', 'x.test', 'leased', 2, NOW() - INTERVAL 1 MINUTE,
    NOW() + INTERVAL 1 HOUR, 'old:1', NOW() + INTERVAL 1 HOUR),
 (4, 1, 'e@x.test', 'x.test', 'leased', 0, NOW() - INTERVAL 1 HOUR,
    NOW() - INTERVAL 1 MINUTE, 'dead:2', NOW() - INTERVAL 1 MINUTE),
 (5, 1, 's@x.test', 'x.test', 'sent', 1, NOW(), NOW(), NULL, NULL)" ||
    t_fail "old rows inserted"
if q_tegami migrate > "$T_DIR/migrate.out" 2>&1; then
	t_ok "migrate applies 0009 over a queue in use"
else
	t_fail "migrate applies 0009" "$(tail -3 "$T_DIR/migrate.out")"
fi
t_eq "states: leased rows back to queued (no attempt) or deferred" \
    "$(q_sql1 "SELECT GROUP_CONCAT(state ORDER BY id) FROM queue")" \
    "queued,queued,deferred,queued,sent"
t_eq "rows held at the upgrade keep their lease (1 hour), held by nobody" \
    "$(q_sql1 "SELECT COUNT(*) FROM queue WHERE id IN (2, 3) AND \
    lease_id = 0 AND lease_until > NOW() + INTERVAL 50 MINUTE AND \
    due_at <= NOW()")" 2
t_eq "every other row is free (lease_until in the past, no holder)" \
    "$(q_sql1 "SELECT COUNT(*) FROM queue WHERE id IN (1, 4, 5) AND \
    lease_id = 0 AND lease_until < NOW()")" 3
t_eq "queue status counts the held rows as leased" \
    "$(q_state leased) $(q_state queued) $(q_state deferred)" "2 2 0"
t_eq "sender_instance exists and is empty" \
    "$(q_sql1 "SELECT COUNT(*) FROM sender_instance")" 0
# A sender takes rows 1 and 4 (due, free), not 2 and 3 (held).
sink_port=$(svc_free_port)
smtp-sink -u nobody "127.0.0.1:$sink_port" 100 > "$T_DIR/sink.log" 2>&1 &
svc_track smtp-sink $!
q_smarthost "127.0.0.1:$sink_port"
q_tegami domain add upgrade.test >/dev/null
q_tegami domain key upgrade.test --selector u --generate ed25519 >/dev/null
q_sender_start --drain
if q_sender_wait 60; then
	t_ok "a sender drains what is due"
else
	t_fail "a sender drains what is due" "still running"
	kill "$Q_SENDER_PID"
fi
t_eq "rows 1 and 4 sent, rows 2 and 3 still held" \
    "$(q_sql1 "SELECT GROUP_CONCAT(id ORDER BY id) FROM queue WHERE \
    state = 'sent'") $(q_state leased)" "1,4,5 2"
t_eq "the sender registered itself" \
    "$(q_sql1 "SELECT COUNT(*) FROM sender_instance WHERE \
    name = 'sender-test' AND id > 0")" 1
t_done
