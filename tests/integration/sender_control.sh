#!/usr/bin/env bash
# sender_control.sh - delivery control reaches a running tegami-sender
# without a restart or SIGHUP (app/sender/control.c), end to end with a
# private MariaDB, tegami-web behind nginx, the scripted SMTP peer
# (smtp_peer.py --mode tss04once: one "421 4.7.0 [TSS04]" to the first
# MAIL, normal after) and a running sender:
#   - a profile and a shaping rule created on the screen are loaded by the
#     running sender within seconds (settings.delivery_version);
#   - the peer's TSS04 reply then suspends the destination by that rule:
#     a shaping_state row (action, until, the reply) and the status
#     socket's suspended gauge show it, the screen lists it;
#   - "lift now" on the screen files a shaping_lift request, the sender
#     applies it and marks it done, the row goes, delivery resumes.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/bench/sender/lib.sh"
t_init sender_control
rm -rf "$T_DIR"; mkdir -p "$T_DIR"
PEER=$T_ROOT/tests/integration/smtp_peer.py
trap 'svc_stop_all' EXIT

Q_CONF_EXTRA="sender.status_socket = $T_DIR/q/status.sock"
t_queue "$T_DIR/q" "127.0.0.1:1"
q_tegami domain add example.test >/dev/null
q_tegami domain key example.test --selector ed --generate ed25519 >/dev/null
if ! q_web_start "$T_DIR"; then
	t_fail "setup" "tegami-web or nginx failed (see $T_DIR/services.log)"
	t_done
fi

# wait_for SECONDS CMD... - polls CMD every 0.2 s; 0 when it succeeded.
wait_for() {
	local i n=$(($1 * 5))
	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}
log_has() {
	grep -q -- "$1" "$Q_DIR/sender.log"
}
# status - the sender's status socket (Prometheus text).
cat > "$T_DIR/status.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
out = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    out += b
sys.stdout.write(out.decode())
PY
suspended_gauge() {
	python3 "$T_DIR/status.py" "$T_DIR/q/status.sock" | grep -q \
	    '^tegami_sender_destination_suspended_seconds{destination="127.0.0.1"} [1-9]'
}

# --- the peer and a running sender ------------------------------------------
python3 "$PEER" --mode tss04once --portfile "$T_DIR/peer.port" \
    --log "$T_DIR/peer.log" --dir "$T_DIR" >"$T_DIR/peer.out" 2>&1 &
svc_track smtp_peer $!
q_smarthost_port "$T_DIR/peer.port" 20
q_sender_start
spid=$Q_SENDER_PID
t_check "the sender starts with the shipped profiles and rules" \
    wait_for 30 log_has "engine: 11 domain profiles, 13 shaping rules"

# --- edits on the screen reach it -------------------------------------------
PW='Sender control admin 1'
pw=$(t_user_add "cadm$$" admin)
HTTP_JAR=$T_DIR/cookies; rm -f "$HTTP_JAR"
web_login "cadm$$" "$pw"
web_page /account/password
http_post /account/password "current=$pw" "new=$PW" "repeat=$PW"
web_page /admin/delivery
t_eq "the screen answers" "$HTTP_STATUS" 200
http_post /admin/delivery/profile "domain=live.example" "max_conns=2" \
    "msgs_per_conn=5" "msgs_per_min=30" "slow_start=1" \
    "tls_policy=opportunistic" "enabled=1" "note=live"
t_eq "a profile is added on the screen" "$HTTP_STATUS" 303
t_check "the running sender reloads it (no restart, no SIGHUP)" \
    wait_for 30 log_has "engine: 12 domain profiles, 13 shaping rules"
t_check "the control thread says why" \
    log_has "control: delivery settings version .*reloaded"
web_page /admin/delivery
http_post /admin/delivery/rule "position=1" "rule_domain=127.0.0.1" \
    "code=421" "enhanced=4.7.0" "text=[TSS04]" "action=suspend" \
    "scope=destination" "seconds=900" "rule_enabled=1" \
    "rule_note=test: the peer's block"
t_eq "a rule is added on the screen" "$HTTP_STATUS" 303
t_check "the running sender loads the rule" \
    wait_for 30 log_has "engine: 12 domain profiles, 14 shaping rules"
t_eq "the sender is the same process" "$(kill -0 "$spid" && echo alive)" alive

# --- a TSS04 reply suspends the destination by that rule -------------------
q_tegami enqueue-test --count 1 --domain example.test >/dev/null
state() {
	q_sql1 "SELECT CONCAT_WS(',', action, campaign = '', \
	    until_at > UNIX_TIMESTAMP() + 800, until_at <= UNIX_TIMESTAMP() + 901, \
	    reason LIKE '421 4.7.0 [TSS04]%') FROM shaping_state \
	    WHERE destination = '127.0.0.1'"
}
has_state() {
	[ -n "$(state)" ]
}
no_state() {
	[ -z "$(state)" ]
}
t_check "the 421 [TSS04] creates a shaping_state row" wait_for 60 has_state
t_eq "suspended for the rule's 900 s, the reply kept" "$(state)" \
    "suspend,1,1,1,1"
t_check "the log names the rule" log_has "shaping rule .*: suspend 127.0.0.1 for 900 s"
deferred_is() {
	[ "$(q_state deferred)" = "$1" ]
}
t_check "the message is deferred" wait_for 30 deferred_is 1
t_check "the status socket shows the suspension" suspended_gauge
q_tegami enqueue-test --count 2 --domain example.test --first 100 >/dev/null
t_check "new messages are held back while suspended" \
    wait_for 30 deferred_is 3
t_eq "nothing reached the peer" "$(grep -c '^ACCEPT' "$T_DIR/peer.log")" 0
t_eq "the sender names itself in the row" \
    "$(q_sql1 "SELECT sender FROM shaping_state WHERE destination = '127.0.0.1'")" \
    sender-test
web_page /admin/delivery
t_check "the screen lists it with a lift button" \
    grep -q 'name="destination" value="127.0.0.1"' "$HTTP_BODY"
t_contains "the screen shows the reply" "$HTTP_BODY" "[TSS04]"

# While suspended, due rows are held back (deferred again, not sent).
q_sql1 "UPDATE queue SET due_at = NOW(), next_attempt = NOW() \
    WHERE state = 'deferred'"
sleep 3
t_eq "while suspended nothing reaches the peer" \
    "$(grep -c '^ACCEPT' "$T_DIR/peer.log")" 0

# --- lift now ------------------------------------------------------------------
http_post /admin/delivery/lift "destination=127.0.0.1" "campaign="
t_eq "lift requested on the screen" "$HTTP_STATUS" 303
lift_done() {
	[ "$(q_sql1 "SELECT COUNT(*) FROM shaping_lift WHERE \
	    destination = '127.0.0.1' AND done_at IS NOT NULL")" = 1 ]
}
t_check "the sender applies the request and marks it done" \
    wait_for 30 lift_done
t_check "the sender logs the lift" log_has "shaping lifted for 127.0.0.1"
t_check "the shaping_state row goes" wait_for 30 no_state
q_sql1 "UPDATE queue SET due_at = NOW(), next_attempt = NOW() \
    WHERE state = 'deferred'"
sent_is() {
	[ "$(q_state sent)" = "$1" ]
}
t_check "delivery resumes: all 3 sent" wait_for 60 sent_is 3
t_eq "each delivered once" "$(grep -c '^ACCEPT' "$T_DIR/peer.log")" 3
web_page /admin/delivery
t_check "the screen no longer lists it" \
    bash -c "! grep -q 'name=\"destination\" value=\"127.0.0.1\"' '$HTTP_BODY'"

# --- the database goes away and comes back: control carries on -------------
dbpid=$(cat "$Q_DIR/db/mysqld.pid")
kill "$dbpid"
for i in $(seq 1 300); do kill -0 "$dbpid" 2>/dev/null || break; sleep 0.1; done
sleep 3
svc_mariadb_start "$Q_DIR/db" >>"$Q_DIR/services.log" 2>&1 ||
    t_fail "db restart" "MariaDB did not come back"
q_sql1 "UPDATE domain_profile SET max_conns = 4 WHERE domain = 'live.example'; \
    UPDATE settings SET v = v + 1 WHERE k = 'delivery_version'"
v=$(q_sql1 "SELECT v FROM settings WHERE k = 'delivery_version'")
t_check "after a database restart the sender reloads again" \
    wait_for 30 log_has "control: delivery settings version $v:"
t_eq "the sender lived through it" "$(kill -0 "$spid" && echo alive)" alive

kill -TERM "$spid"
q_sender_wait 60 || { kill -9 "$spid"; t_fail "stop" "the sender hung"; }
t_check "it stops cleanly" log_has "released\|claimed"
t_done
