#!/usr/bin/env bash
# sender_faults.sh - queue-level outcomes of SMTP faults, with the scripted
# peer tests/integration/smtp_peer.py (and a tiny inline peer for 5.7.1):
#   451 on RCPT       → deferred, next attempt in the future, attempt counted
#   550 5.1.1 on RCPT → bounced and suppressed; re-queued address not sent
#   550 5.7.1 on RCPT → bounced, NOT suppressed, policy alert logged
#   drop mid-DATA     → deferred; later delivered exactly once
#   MariaDB restarted mid-run → the sender reconnects, all delivered once
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/bench/sender/lib.sh"
t_init sender_faults
rm -rf "$T_DIR"; mkdir -p "$T_DIR"
PEER=$T_ROOT/tests/integration/smtp_peer.py
PEER_PID=
trap 'svc_stop_all' EXIT

t_queue "$T_DIR/q" "127.0.0.1:1"
q_tegami domain add example.test >/dev/null
q_tegami domain key example.test --selector ed --generate ed25519 >/dev/null

# peer MODE [ARGS...] - starts smtp_peer.py, points the sender at it.
peer() {
	local mode=$1
	shift
	rm -f "$T_DIR/peer.port"
	python3 "$PEER" --mode "$mode" --portfile "$T_DIR/peer.port" \
	    --log "$T_DIR/peer-$mode.log" --dir "$T_DIR" "$@" \
	    >"$T_DIR/peer-$mode.out" 2>&1 &
	PEER_PID=$!
	svc_track smtp_peer "$PEER_PID"
	q_smarthost_port "$T_DIR/peer.port"
}

peer_stop() {
	q_peer_stop "$PEER_PID"
}

fresh() {
	svc_sql tegami -e "DELETE FROM queue; DELETE FROM delivery_event; \
	    DELETE FROM suppression"
}

# run_sender - one drain run (deferred rows are not due: it exits).
run_sender() {
	q_sender_start --drain
	q_sender_wait 120 || { kill "$Q_SENDER_PID"; t_fail "$1" "sender hung"; }
}


# --- 451 on RCPT -------------------------------------------------------------
fresh
peer rcpt451
q_tegami enqueue-test --count 5 --domain example.test >/dev/null
run_sender "451"
peer_stop
t_eq "451: all 5 deferred" "$(q_state deferred)" 5
t_eq "451: next attempt at least 4 minutes ahead, attempt 1, code kept" \
    "$(q_sql1 "SELECT COUNT(*) FROM queue WHERE state = 'deferred' AND \
    due_at >= NOW() + INTERVAL 200 SECOND AND attempts = 1 AND \
    last_code = 451 AND last_enhanced = '4.3.0' AND lease_id = 0")" 5
t_eq "451: not due now, nothing suppressed" \
    "$(q_sql1 "SELECT (SELECT COUNT(*) FROM queue WHERE due_at <= NOW()) + \
    (SELECT COUNT(*) FROM suppression)")" 0
t_eq "451: one deferred event per row" \
    "$(q_sql1 "SELECT COUNT(*) FROM delivery_event WHERE outcome = 'deferred'")" 5

# --- 550 5.1.1 ---------------------------------------------------------------
fresh
peer rcpt550 --reject test1@example.test,test2@example.test
q_tegami enqueue-test --count 5 --domain example.test >/dev/null
run_sender "550 5.1.1"
t_eq "5.1.1: two bounced" "$(q_state bounced)" 2
t_eq "5.1.1: three sent" "$(q_state sent)" 3
t_eq "5.1.1: both addresses suppressed" \
    "$(q_sql1 "SELECT GROUP_CONCAT(address ORDER BY address) FROM suppression")" \
    "test1@example.test,test2@example.test"
t_eq "5.1.1: reply recorded" \
    "$(q_sql1 "SELECT COUNT(*) FROM queue WHERE state = 'bounced' AND \
    last_code = 550 AND last_enhanced = '5.1.1' AND \
    last_reply LIKE '%User unknown%'")" 2
q_tegami enqueue-test --count 2 --domain example.test >/dev/null
before=$(grep -c '^ACCEPT' "$T_DIR/peer-rcpt550.log")
run_sender "suppressed"
peer_stop
t_eq "suppressed address re-queued: not sent, state suppressed" \
    "$(q_state suppressed)" 2
t_eq "the peer saw nothing more" \
    "$(grep -c '^ACCEPT' "$T_DIR/peer-rcpt550.log")" "$before"

# --- 550 5.7.1 (inline peer) -------------------------------------------------
fresh
rm -f "$T_DIR/policy.port"
python3 - "$T_DIR/policy.port" >"$T_DIR/policy.out" 2>&1 <<'PY' &
import asyncio, sys
async def h(r, w):
    w.write(b"220 policy.test ESMTP\r\n")
    while True:
        l = await r.readline()
        if not l:
            break
        v = l.split(b" ")[0].strip().upper()
        if v == b"EHLO":
            w.write(b"250-policy.test\r\n250 PIPELINING\r\n")
        elif v == b"RCPT":
            w.write(b"550 5.7.1 Message rejected by policy\r\n")
        elif v == b"QUIT":
            w.write(b"221 Bye\r\n"); await w.drain(); break
        else:
            w.write(b"250 Ok\r\n")
        await w.drain()
    w.close()
async def main():
    s = await asyncio.start_server(h, "127.0.0.1", 0)
    open(sys.argv[1], "w").write(str(s.sockets[0].getsockname()[1]))
    await s.serve_forever()
asyncio.run(main())
PY
PEER_PID=$!
svc_track policy_peer "$PEER_PID"
q_smarthost_port "$T_DIR/policy.port"
q_tegami enqueue-test --count 3 --domain example.test >/dev/null
: > "$Q_DIR/sender.log"
run_sender "550 5.7.1"
peer_stop
t_eq "5.7.1: bounced" "$(q_state bounced)" 3
t_eq "5.7.1: never suppressed" "$(q_sql1 "SELECT COUNT(*) FROM suppression")" 0
t_check "5.7.1: policy alert logged" grep -q 'alert: .*policy' \
    "$Q_DIR/sender.log"

# --- drop mid-DATA, then delivered once --------------------------------------
fresh
peer dropdata
q_tegami enqueue-test --count 4 --domain example.test --first 500 >/dev/null
run_sender "dropdata"
peer_stop
t_eq "drop mid-DATA: all deferred" "$(q_state deferred)" 4
t_eq "drop mid-DATA: the peer accepted nothing" \
    "$(grep -c '^ACCEPT' "$T_DIR/peer-dropdata.log")" 0
peer normal
# The retry time comes (the test moves the row, not the clock).
q_sql1 "UPDATE queue SET due_at = NOW(), next_attempt = NOW() \
    WHERE state = 'deferred'"
run_sender "retry"
peer_stop
t_eq "retry: all 4 sent" "$(q_state sent)" 4
t_eq "retry: each delivered exactly once" \
    "$(grep '^ACCEPT' "$T_DIR/peer-normal.log" | awk '{print $2}' |
    sort -u | wc -l) $(grep -c '^ACCEPT' "$T_DIR/peer-normal.log")" "4 4"
t_eq "retry: second attempt recorded" \
    "$(q_sql1 "SELECT COUNT(*) FROM queue WHERE state = 'sent' AND \
    attempts = 2")" 4
# --- the database restarts under a running sender -------------------------
fresh
peer normal
q_tegami enqueue-test --count 3000 --domain example.test --first 1000 \
    --size 500 >/dev/null
: > "$Q_DIR/sender.log"
q_sender_start
spid=$Q_SENDER_PID
for i in $(seq 1 300); do
	[ "$(grep -c '^ACCEPT' "$T_DIR/peer-normal.log")" -ge 500 ] && break
	sleep 0.05
done
dbpid=$(cat "$Q_DIR/db/mysqld.pid")
kill "$dbpid"
for i in $(seq 1 300); do kill -0 "$dbpid" 2>/dev/null || break; sleep 0.1; done
sleep 2
svc_mariadb_start "$Q_DIR/db" >>"$Q_DIR/services.log" 2>&1 ||
    t_fail "db restart" "MariaDB did not come back"
for i in $(seq 1 600); do
	[ "$(q_state sent)" = 3000 ] && break
	sleep 0.2
done
t_eq "db restart: the sender reconnected and sent all 3000" \
    "$(q_state sent)" 3000
t_check "db restart: reconnection logged" grep -q 'reconnected' \
    "$Q_DIR/sender.log"
kill -TERM "$spid"
q_sender_wait 60 || kill -9 "$spid"
peer_stop
n=$(grep -c '^ACCEPT' "$T_DIR/peer-normal.log")
u=$(grep '^ACCEPT' "$T_DIR/peer-normal.log" | awk '{print $2}' | sort -u |
    wc -l)
echo "# db restart: the peer accepted $n messages, $u distinct"
t_check "db restart: every message delivered" test "$u" -ge 3004
t_done
