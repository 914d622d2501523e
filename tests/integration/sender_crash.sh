#!/usr/bin/env bash
# sender_crash.sh - kill -9 tegami-sender in the middle of a 20,000-message
# run, restart it: every message ends delivered, exactly once except at
# most those in flight at the kill (leased by the dead sender and already
# accepted by the sink). Counts by Message-ID at the sink and reports the
# duplicates. sender.lease is 10 s here so the dead sender's rows come back
# quickly.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/bench/sender/lib.sh"
t_init sender_crash
rm -rf "$T_DIR"; mkdir -p "$T_DIR"
N=${SENDER_CRASH_N:-20000}
LEASE=10
trap 'svc_stop_all' EXIT

if ! q_sink_start "$T_DIR/sink"; then
	t_fail "smtp-sink" "did not start"; t_done
fi
Q_SENDER_ID="" Q_CONF_EXTRA="sender.lease = $LEASE" \
    t_queue "$T_DIR/q" "127.0.0.1:$sinkport"
q_tegami domain add example.test >/dev/null
q_tegami domain key example.test --selector ed --generate ed25519 >/dev/null
q_tegami enqueue-test --count "$N" --domain example.test --size 1000 \
    >/dev/null
t_eq "$N queued" "$(q_state queued)" "$N"

q_sender_start
first=$Q_SENDER_PID
for i in $(seq 1 1200); do
	[ "$(svc_sink_count "$SINK")" -ge $((N / 4)) ] && break
	kill -0 "$first" 2>/dev/null || break
	sleep 0.1
done
at_kill=$(svc_sink_count "$SINK")
kill -9 "$first"
wait "$first" 2>/dev/null
leased=$(q_state leased)
svc_sql -N tegami -e "SELECT id FROM queue WHERE state IN ('queued', \
    'deferred') AND lease_until > NOW()" |
    sort > "$T_DIR/leased-at-kill"
sent_at_kill=$(q_state sent)
if [ "$at_kill" -gt 0 ] && [ "$at_kill" -lt "$N" ]; then
	msg="$at_kill at the sink, $sent_at_kill recorded sent, $leased leased"
	t_ok "killed with -9 mid-run: $msg"
else
	t_fail "killed mid-run" "sink had $at_kill of $N at the kill"
fi
# The dead sender's leases run out; then a new sender picks the rows up.
sleep $((LEASE + 2))
q_sender_start --drain
if q_sender_wait 900; then
	t_ok "restarted sender drained the queue"
else
	t_fail "restarted sender drained the queue" "still running"
	kill "$Q_SENDER_PID"
fi
sleep 1
t_eq "all $N rows sent" "$(q_state sent)" "$N"
t_eq "nothing leased, queued or deferred" \
    "$(q_state leased)$(q_state queued)$(q_state deferred)" "000"
q_msgids "$SINK" > "$T_DIR/msgids"
total=$(wc -l < "$T_DIR/msgids")
uniq=$(sort -u "$T_DIR/msgids" | wc -l)
dups=$((total - uniq))
t_eq "every message delivered (unique Message-IDs at the sink)" "$uniq" "$N"
echo "# crash: $total captured, $uniq unique, $dups delivered twice;" \
    "in flight at the kill (leased by the dead sender): $leased"
# Message-IDs are <queue id.token@domain>: every duplicate must be a row
# the dead sender held.
sort "$T_DIR/msgids" | uniq -d | sed 's/^<\([0-9]*\)\..*/\1/' | sort \
    > "$T_DIR/dup-ids"
outside=$(comm -23 "$T_DIR/dup-ids" "$T_DIR/leased-at-kill" | wc -l)
if [ "$outside" = 0 ] && [ "$dups" -le "$leased" ]; then
	t_ok "duplicates ($dups) only among rows in flight at the kill ($leased)"
else
	t_fail "duplicates only among rows in flight at the kill" \
	    "$outside duplicated rows were not leased at the kill"
fi
t_done
