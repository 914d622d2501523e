#!/usr/bin/env bash
# sender_multi.sh - several tegami-sender processes share one queue (issue
# 3: "Several senders ... share one queue without sending anything
# twice"): three senders with their own lease owners drain 3,000 messages
# at once, claiming small batches so that their claims overlap all the
# time. Then: every message captured exactly once (by Message-ID), the
# queue's Message-IDs are the sink's, every sender took a share, and no
# claim or result write failed (a claim InnoDB picks as a deadlock victim
# is retried at once, docs/queue.md).
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/bench/sender/lib.sh"
t_init sender_multi
rm -rf "$T_DIR"; mkdir -p "$T_DIR"
N=${SENDER_MULTI_N:-3000}
SENDERS=3
trap 'svc_stop_all' EXIT

if ! q_sink_start "$T_DIR/sink"; then
	t_fail "smtp-sink" "did not start"; t_done
fi
# sender.id empty: each process leases as host:pid.
Q_SENDER_ID="" Q_CONF_EXTRA="sender.batch = 50" \
    t_queue "$T_DIR/q" "127.0.0.1:$sinkport"
t_ok "private MariaDB migrated"
keys() {
	q_tegami domain add multi.test >/dev/null &&
	    q_tegami domain key multi.test --selector ed --generate ed25519 \
	    >/dev/null
}
t_check "domain and Ed25519 key" keys
t_check "enqueue-test --count $N" q_tegami enqueue-test --count "$N" \
    --domain multi.test --from tegami@multi.test --size 800

pids=()
for ((i = 1; i <= SENDERS; i++)); do
	"$BUILD/tegami-sender" -c "$Q_DIR/tegami.conf" --drain \
	    </dev/null >"$T_DIR/sender$i.log" 2>&1 &
	pids+=("$!")
	svc_track tegami-sender "$!"
done
ok=1
for p in "${pids[@]}"; do
	for ((k = 0; k < 3000; k++)); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$p" 2>/dev/null; then
		ok=0
		kill "$p"
	fi
	wait "$p" 2>/dev/null
done
t_eq "$SENDERS senders drained the queue and exited" "$ok" 1
t_eq "all $N rows sent" "$(q_state sent)" "$N"
t_eq "nothing left leased, queued or deferred" \
    "$(q_state leased)$(q_state queued)$(q_state deferred)" "000"

for ((k = 0; k < 100; k++)); do
	[ "$(find "$SINK" -type f | wc -l)" -ge "$N" ] && break
	sleep 0.1
done
q_msgids "$SINK" > "$T_DIR/msgids"
t_eq "sink captured $N messages" "$(wc -l < "$T_DIR/msgids")" "$N"
t_eq "each Message-ID exactly once" "$(sort -u "$T_DIR/msgids" | wc -l)" "$N"
t_eq "queue Message-IDs match the sink's" \
    "$(svc_sql -N tegami -e "SELECT message_id FROM queue_message_id \
    WHERE state = 'sent'" | sort | md5sum)" \
    "$(sort "$T_DIR/msgids" | md5sum)"
shares=""
for ((i = 1; i <= SENDERS; i++)); do
	s=$(grep -o 'sent [0-9]*' "$T_DIR/sender$i.log" | tail -n 1 |
	    cut -d' ' -f2)
	shares="$shares ${s:-0}"
	t_check "sender $i took a share (${s:-0})" test "${s:-0}" -gt 0
done
t_eq "the shares add up to $N ($shares)" \
    "$(echo "$shares" | tr ' ' '\n' | awk '{ t += $1 } END { print t }')" \
    "$N"
t_eq "no claim or result write failed" \
    "$(cat "$T_DIR"/sender*.log | grep -c 'claim failed\|results failed')" 0
retries=$(cat "$T_DIR"/sender*.log | grep -c 'retrying' || true)
echo "# deadlock victims retried: $retries"
t_done
