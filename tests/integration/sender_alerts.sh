#!/usr/bin/env bash
# sender_alerts.sh - policy alerts for administrators (docs/delivery.md,
# "Alerts"), with a private MariaDB, tegami-web behind nginx, tegami-sender
# and a scripted SMTP peer that answers "550 5.7.1" to RCPT for chosen
# recipients:
#   - the alert table's SQL (tests/unit/alert_test.c, TEGAMI_ALERT_DB);
#   - refused recipients are bounced but NOT suppressed; one open alert row
#     per destination and enhanced code, whose count is the number of
#     refusals across sender runs;
#   - the Delivery screen lists it, the dashboard shows a notice;
#   - acknowledging needs the CSRF token (403 and nothing changed without
#     it), is audited and closes the alert; an editor gets no access;
#   - a refusal after the acknowledgement opens a new alert.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/bench/sender/lib.sh"
t_init sender_alerts
rm -rf "$T_DIR"; mkdir -p "$T_DIR"
PEER_PID=
trap 'svc_stop_all' EXIT

t_queue "$T_DIR/q" "127.0.0.1:1"
t_ok "private MariaDB migrated"

# --- the alert table's SQL ---------------------------------------------------
TEGAMI_ALERT_DB=$Q_DIR/tegami.conf "$BUILD/tests/alert_test" ||
    t_fail "alert_test" "the unit test failed (lines above)"

q_tegami domain add example.test >/dev/null
q_tegami domain key example.test --selector ed --generate ed25519 >/dev/null
if ! q_web_start "$T_DIR"; then
	t_fail "setup" "tegami-web or nginx failed (see $T_DIR/services.log)"
	t_done
fi


# peer REJECT - a peer that answers "550 5.7.1" to RCPT for the addresses
# in the comma-separated list REJECT ("*": every one), accepts the others
# (one "ACCEPT <rcpt>" line each in $T_DIR/peer.log) and points the sender
# at it.
peer() {
	local _
	rm -f "$T_DIR/peer.port"
	python3 - "$T_DIR/peer.port" "$T_DIR/peer.log" "$1" \
	    >>"$T_DIR/peer.out" 2>&1 <<'PY' &
import asyncio, sys
port_file, log_file, reject = sys.argv[1], sys.argv[2], sys.argv[3]
refused = set(reject.lower().split(","))
async def h(r, w):
    w.write(b"220 policy.test ESMTP\r\n")
    rcpts = []
    while True:
        l = await r.readline()
        if not l:
            break
        v = l.split(b" ")[0].strip().upper()
        if v in (b"EHLO", b"HELO"):
            w.write(b"250-policy.test\r\n250 PIPELINING\r\n")
        elif v == b"MAIL":
            rcpts = []
            w.write(b"250 2.1.0 Ok\r\n")
        elif v == b"RCPT":
            a = l.decode("ascii", "replace").split(":", 1)[-1]
            a = a.strip().split(" ")[0].strip("<>").lower()
            if "*" in refused or a in refused:
                w.write(b"550 5.7.1 Message rejected by policy\r\n")
            else:
                rcpts.append(a)
                w.write(b"250 2.1.5 Ok\r\n")
        elif v == b"DATA":
            if not rcpts:
                w.write(b"554 5.5.1 No valid recipients\r\n")
            else:
                w.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                await w.drain()
                while True:
                    d = await r.readline()
                    if not d or d.rstrip(b"\r\n") == b".":
                        break
                with open(log_file, "a") as f:
                    for a in rcpts:
                        f.write("ACCEPT " + a + "\n")
                rcpts = []
                w.write(b"250 2.0.0 Ok: queued\r\n")
        elif v == b"RSET":
            rcpts = []
            w.write(b"250 2.0.0 Ok\r\n")
        elif v == b"QUIT":
            w.write(b"221 2.0.0 Bye\r\n")
            await w.drain()
            break
        else:
            w.write(b"250 2.0.0 Ok\r\n")
        await w.drain()
    w.close()
async def main():
    s = await asyncio.start_server(h, "127.0.0.1", 0)
    with open(port_file, "w") as f:
        f.write(str(s.sockets[0].getsockname()[1]))
    await s.serve_forever()
asyncio.run(main())
PY
	PEER_PID=$!
	svc_track policy_peer "$PEER_PID"
	q_smarthost_port "$T_DIR/peer.port"
}

peer_stop() {
	q_peer_stop "$PEER_PID"
}

# run_sender NAME - one drain run (exits when nothing is due).
run_sender() {
	q_sender_start --drain
	q_sender_wait 180 ||
	    { kill "$Q_SENDER_PID"; t_fail "$1" "sender hung"; }
}

# alert_row DOMAIN - kind,domain,code,enhanced,count,open,open_key of the
# open alerts of DOMAIN, one a line.
alert_row() {
	q_sql1 "SELECT CONCAT_WS(',', kind, domain, code, enhanced, count, \
	    acked_at IS NULL, open_key) FROM alert WHERE domain = '$1' AND \
	    acked_at IS NULL"
}

# --- refusals by policy ------------------------------------------------------
q_sql1 "DELETE FROM alert"
R=test1@example.test,test2@example.test,test3@example.test
peer "$R,test101@example.test,test102@example.test"
q_tegami enqueue-test --count 5 --domain example.test >/dev/null
: > "$Q_DIR/sender.log"
run_sender "first run"
t_eq "first run: three refused by policy are bounced" "$(q_state bounced)" 3
t_eq "first run: the other two are sent" "$(q_state sent)" 2
t_eq "the refused recipients are NOT on the suppression list" \
    "$(q_sql1 "SELECT COUNT(*) FROM suppression")" 0
t_eq "one open alert for the destination, count 3" \
    "$(alert_row example.test)" \
    "policy,example.test,550,5.7.1,3,1,policy|example.test|5.7.1"
t_eq "the reply is kept" "$(q_sql1 "SELECT COUNT(*) FROM alert WHERE \
    reply LIKE '%rejected by policy%' AND first_seen > 0 AND \
    last_seen >= first_seen")" 1
t_check "the alert is still logged" grep -q 'alert: .*policy' \
    "$Q_DIR/sender.log"
t_check "no failure to record it was logged" \
    bash -c "! grep -q 'alert.*not recorded' '$Q_DIR/sender.log'"

q_tegami enqueue-test --count 4 --first 100 --domain example.test \
    >/dev/null
run_sender "second run"
t_eq "second run: two more refused" "$(q_state bounced)" 5
t_eq "still one open alert, its count grown to 5" \
    "$(alert_row example.test)" \
    "policy,example.test,550,5.7.1,5,1,policy|example.test|5.7.1"
t_eq "still nothing suppressed" \
    "$(q_sql1 "SELECT COUNT(*) FROM suppression")" 0
ID=$(q_sql1 "SELECT id FROM alert WHERE domain = 'example.test'")

# --- the screens -------------------------------------------------------------
PW='Alert administrator 1'
ADM=aadm$$
pw=$(t_user_add "$ADM" admin)
HTTP_JAR=$T_DIR/adm; rm -f "$HTTP_JAR"
web_login "$ADM" "$pw"
web_page /account/password
http_post /account/password "current=$pw" "new=$PW" "repeat=$PW"
web_page /admin/delivery
t_eq "the delivery screen answers" "$HTTP_STATUS" 200
t_check "it has the alerts section" grep -q 'id="alerts"' "$HTTP_BODY"
t_check "the alert is listed" grep -q "id=\"alert-$ID\"" "$HTTP_BODY"
row=$T_DIR/alert-row
sed -n "/id=\"alert-$ID\"/,/<\/tr>/p" "$HTTP_BODY" > "$row"
t_contains "the row names the destination" "$row" "<code>example.test</code>"
t_contains "the row shows code and enhanced code" "$row" "550 5.7.1"
t_contains "the row shows the reply" "$row" "rejected by policy"
t_contains "the row shows the count" "$row" '<td class="alert-count">5</td>'
t_check "the row shows first and last seen in the user's zone" \
    [ "$(grep -c '<time>[0-9-]* [0-9:]* JST</time>' "$row")" = 2 ]
t_contains "the row has an acknowledge form" "$row" \
    "action=\"/admin/delivery/alert/$ID/ack\""
t_check "the form carries the csrf field" grep -q 'name="csrf"' "$row"
web_page /
t_check "the dashboard shows the notice" grep -q 'id="alert-notice"' \
    "$HTTP_BODY"
t_contains "the notice links to the section" "$HTTP_BODY" \
    'href="/admin/delivery#alerts"'
t_check "the notice gives the number (one open alert)" \
    bash -c "grep 'id=\"alert-notice\"' '$HTTP_BODY' | grep -q '[^0-9]1[^0-9]'"

acked() {
	q_sql1 "SELECT CONCAT_WS(',', acked_at IS NOT NULL, \
	    COALESCE(acked_by, 0) = (SELECT id FROM users WHERE \
	    login = '$ADM'), open_key IS NULL) FROM alert WHERE id = $ID"
}
audits() {
	q_sql1 "SELECT COUNT(*) FROM audit_log WHERE action = \
	    'delivery_alert_ack' AND target = 'alert $ID' AND actor = '$ADM'"
}

# --- acknowledging: refused without the token --------------------------------
web_page /admin/delivery
http_req POST "/admin/delivery/alert/$ID/ack" --data-urlencode "x=1"
t_eq "acknowledging without the csrf token is refused" "$HTTP_STATUS" 403
http_req POST "/admin/delivery/alert/$ID/ack" \
    --data-urlencode "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
t_eq "acknowledging with a wrong token is refused" "$HTTP_STATUS" 403
t_eq "the alert stays open" "$(acked)" "0,0,0"
t_eq "nothing audited" "$(audits)" 0

# --- an editor gets no access -----------------------------------------------
EPW='Alert editor 22'
epw=$(t_user_add "aed$$" editor)
HTTP_JAR=$T_DIR/ed; rm -f "$HTTP_JAR"
web_login "aed$$" "$epw"
web_page /account/password
http_post /account/password "current=$epw" "new=$EPW" "repeat=$EPW"
web_page /
t_eq "the editor's dashboard answers" "$HTTP_STATUS" 200
t_check "the editor sees no alert notice" \
    bash -c "! grep -q 'id=\"alert-notice\"' '$HTTP_BODY'"
http_get /admin/delivery
t_eq "the editor cannot see the delivery screen" "$HTTP_STATUS" 403
web_page /
http_post "/admin/delivery/alert/$ID/ack"
t_eq "the editor cannot acknowledge (with a valid token)" "$HTTP_STATUS" 403
t_eq "the alert stays open" "$(acked)" "0,0,0"

# --- acknowledging with the token --------------------------------------------
HTTP_JAR=$T_DIR/adm
web_page /admin/delivery
http_post "/admin/delivery/alert/$ID/ack"
t_eq "acknowledged: 303" "$HTTP_STATUS" 303
t_eq "back to the alerts section" "$(http_header Location)" \
    "/admin/delivery#alerts"
t_eq "acknowledged by the administrator, closed" "$(acked)" "1,1,1"
t_eq "audited once" "$(audits)" 1
web_page /admin/delivery
t_check "a flash message confirms it" grep -q 'class="flash flash-ok"' \
    "$HTTP_BODY"
t_check "the alert is no longer listed" \
    bash -c "! grep -q 'id=\"alert-$ID\"' '$HTTP_BODY'"
t_check "the section says there are none" grep -q 'id="alerts-empty"' \
    "$HTTP_BODY"
http_post "/admin/delivery/alert/$ID/ack"
t_eq "acknowledging again: 303, nothing more" "$HTTP_STATUS $(audits)" \
    "303 1"
web_page /admin/delivery
http_post "/admin/delivery/alert/999999/ack"
t_eq "an unknown alert: 404" "$HTTP_STATUS" 404
web_page /
t_check "the dashboard notice is gone" \
    bash -c "! grep -q 'id=\"alert-notice\"' '$HTTP_BODY'"

# --- a refusal after the acknowledgement opens a new alert ------------------
peer_stop
peer "*"
q_tegami enqueue-test --count 6 --first 200 --domain example.test \
    >/dev/null
run_sender "third run"
peer_stop
t_eq "third run: all six refused" "$(q_state bounced)" 11
t_eq "a new open alert counts the six" "$(alert_row example.test)" \
    "policy,example.test,550,5.7.1,6,1,policy|example.test|5.7.1"
t_eq "two rows for the destination, one of them acknowledged" \
    "$(q_sql1 "SELECT CONCAT(COUNT(*), ',', SUM(acked_at IS NULL)) \
    FROM alert WHERE domain = 'example.test'")" "2,1"
t_eq "never suppressed" "$(q_sql1 "SELECT COUNT(*) FROM suppression")" 0
t_done
