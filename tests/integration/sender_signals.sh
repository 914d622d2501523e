#!/usr/bin/env bash
# sender_signals.sh - SIGTERM and SIGHUP of tegami-sender.
#   SIGTERM mid-run: the sender stops claiming, finishes or gives back what
#   it holds, exits 0 leaving no lease behind; a restart delivers the rest,
#   and every message arrives exactly once (a clean stop loses nothing and
#   sends nothing twice).
#   SIGHUP: keys added while it runs are loaded and used.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/bench/sender/lib.sh"
t_init sender_signals
rm -rf "$T_DIR"; mkdir -p "$T_DIR"
N=${SENDER_SIGNALS_N:-5000}
CONF=${TEGAMI_CONFORMANCE:-$(git -C "$T_ROOT" rev-parse --show-toplevel)/..}
[ -n "${TEGAMI_CONFORMANCE:-}" ] || CONF=$CONF/shared/conformance
VERIFY=$CONF/verify/dkim-verify.sh
if [ ! -x "$VERIFY" ]; then
	t_fail "conformance" "no $VERIFY (set TEGAMI_CONFORMANCE)"
	t_done
fi
trap 'svc_stop_all' EXIT

if ! q_sink_start "$T_DIR/sink"; then
	t_fail "smtp-sink" "did not start"; t_done
fi
Q_CONF_EXTRA="sender.status_socket = $T_DIR/status.sock" \
    t_queue "$T_DIR/q" "127.0.0.1:$sinkport"
q_tegami domain add example.test >/dev/null
q_tegami domain key example.test --selector ed --generate ed25519 >/dev/null
q_tegami enqueue-test --count "$N" --domain example.test --size 1000 >/dev/null

q_sender_start
pid=$Q_SENDER_PID
for i in $(seq 1 600); do
	[ "$(svc_sink_count "$SINK")" -ge $((N / 5)) ] && break
	sleep 0.05
done
kill -TERM "$pid"
if q_sender_wait 120; then
	wait "$pid"; rc=$?
	t_eq "SIGTERM: exits with status 0" "$rc" 0
else
	t_fail "SIGTERM: exits" "still running after 120 s"
	kill -9 "$pid"
fi
sent=$(q_state sent)
t_eq "SIGTERM: no lease left behind" "$(q_state leased)" 0
if [ "$sent" -gt 0 ] && [ "$sent" -lt "$N" ]; then
	t_ok "SIGTERM: stopped mid-run ($sent of $N sent)"
else
	t_fail "SIGTERM: stopped mid-run" "$sent of $N sent"
fi
t_eq "SIGTERM: the sink holds exactly what was recorded sent" \
    "$(svc_sink_count "$SINK")" "$sent"
t_check "SIGTERM: logged the stop" grep -q 'signal 15: stopping' \
    "$Q_DIR/sender.log"
q_sender_start --drain
q_sender_wait 300 || { kill "$Q_SENDER_PID"; t_fail "restart" "hung"; }
q_msgids "$SINK" > "$T_DIR/msgids"
t_eq "after a restart all $N sent" "$(q_state sent)" "$N"
t_eq "exactly once: $N captured, $N unique" \
    "$(wc -l < "$T_DIR/msgids") $(sort -u "$T_DIR/msgids" | wc -l)" "$N $N"

# SIGHUP: a new domain and key while the sender runs.
q_sender_start
pid=$Q_SENDER_PID
sleep 2
q_tegami domain add other.test >/dev/null
q_tegami domain key other.test --selector hup --generate rsa >/dev/null
kill -HUP "$pid"
for i in $(seq 1 100); do
	grep -q 'SIGHUP: reloading' "$Q_DIR/sender.log" && break
	sleep 0.1
done
sleep 1
t_check "SIGHUP: reload logged" grep -q 'SIGHUP: reloading' "$Q_DIR/sender.log"
t_check "SIGHUP: both keys loaded" grep -q '2 DKIM key(s) loaded' \
    "$Q_DIR/sender.log"
rm -rf "$SINK"; mkdir -p "$SINK"
q_tegami enqueue-test --count 3 --domain example.test --from news@other.test \
    --first 900000 >/dev/null
for i in $(seq 1 200); do
	[ "$(svc_sink_count "$SINK")" -ge 3 ] && break
	sleep 0.1
done
sleep 0.5
f=$(find "$SINK" -type f | head -n 1)
q_keys_file "$T_DIR/keys.txt"
t_check "SIGHUP: mail from the new domain signed with the new key" \
    grep -q 's=hup' "${f:-/dev/null}"
t_check "SIGHUP: and it verifies" "$VERIFY" "${f:-/dev/null}" "$T_DIR/keys.txt"
sleep 0.5
python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); d = b""
while True:
    c = s.recv(65536)
    if not c: break
    d += c
sys.stdout.write(d.decode())' "$T_DIR/status.sock" > "$T_DIR/metrics.txt" 2>&1
t_check "status socket: Prometheus counters (3 sent by this sender)" \
    grep -q '^tegami_sender_results_total{fate="sent"} 3$' "$T_DIR/metrics.txt"
t_check "status socket: claim counters" \
    grep -q '^tegami_sender_claimed_total 3$' "$T_DIR/metrics.txt"
t_check "status socket: the engine's counters too" \
    grep -q '^tegami_sender_submitted_total 3$' "$T_DIR/metrics.txt"
kill -TERM "$pid"
q_sender_wait 60 || kill -9 "$pid"
t_done
