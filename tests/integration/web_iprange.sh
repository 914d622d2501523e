#!/usr/bin/env bash
# web_iprange.sh - the IP allow-list against the real nginx + tegami-web:
# refusal from another loopback address, forged X-Forwarded-For, public
# paths, screen changes taking effect at once, CLI changes within seconds,
# strict parsing with messages, the lock-out confirmation, the audit trail.
. "$(dirname "$0")/lib.sh"
t_init web_iprange
t_need TEGAMI_URL TEGAMI_CONFIG TEGAMI_DB_SOCKET

sql() {
	mariadb --no-defaults -S "$TEGAMI_DB_SOCKET" -u "$TEGAMI_DB_USER" \
	    -p"$TEGAMI_DB_PASSWORD" -N -B "$TEGAMI_DB_NAME" -e "$1"
}
# from2 PATH [curl args] - a request from 127.0.0.2; prints the status.
from2() {
	local p=$1
	shift
	curl -s -o "$T_DIR/from2" -w '%{http_code}' --interface 127.0.0.2 \
	    "$@" "$TEGAMI_URL$p"
}
# wait_status WANT PATH - polls from 127.0.0.2 for up to 20 s.
wait_status() {
	local i got
	for i in $(seq 1 40); do
		got=$(from2 "$2")
		[ "$got" = "$1" ] && { echo "$got"; return 0; }
		sleep 0.5
	done
	echo "$got"
}

PW='Another long passphrase 7'
pw=$(t_user_add "ipadm$$" admin)
HTTP_JAR=$T_DIR/adm; rm -f "$HTTP_JAR"
web_login "ipadm$$" "$pw"
web_page /account/password
http_post /account/password "current=$pw" "new=$PW" "repeat=$PW"
t_eq "administrator ready" "$HTTP_STATUS" 303

# --- refusal from an address not on the list
sql "DELETE FROM ip_ranges WHERE cidr LIKE '127.0.0.2%' OR cidr = '127.0.0.0/8'"
tegami ip deny 127.0.0.2/32 >/dev/null 2>&1
sleep 3
t_eq "127.0.0.2 is refused the sign-in page" "$(from2 /login)" 403
t_check "the refusal page reveals nothing" bash -c "! grep -qiE 'login|csrf|tegami_|allow|127\\.0\\.0' '$T_DIR/from2'"
t_eq "127.0.0.2 is refused an admin page" "$(from2 /admin/users)" 403
t_eq "127.0.0.2 is refused unknown paths too" "$(from2 /no/such)" 403
t_eq "127.0.0.2 is refused a POST" "$(from2 /login -d login=a -d password=b)" 403
t_eq "a forged X-Forwarded-For does not get in" "$(from2 /login -H 'X-Forwarded-For: 127.0.0.1')" 403
t_eq "nor a forged X-Real-IP" "$(from2 /login -H 'X-Real-IP: 127.0.0.1')" 403
t_eq "nor a forged Forwarded" "$(from2 /login -H 'Forwarded: for=127.0.0.1')" 403
t_eq "the public health path is exempt" "$(from2 /healthz)" 200
t_eq "static files are served to anyone" "$(from2 /static/tegami.css)" 200

# --- strict parsing with messages naming the problem
web_page /admin/ip
for bad in 10.0.0.0/33 1.2.3 10.0.0.1/8 garbage ::/129 01.2.3.4 '127.0.0.1/'; do
	http_post /admin/ip "cidr=$bad" "label=bad"
	t_eq "refused: $bad" "$HTTP_STATUS" 422
	t_check "the message for $bad is beside the field" grep -q 'id="error-cidr"' "$HTTP_BODY"
	t_check "the typed value $bad is kept" grep -qF "value=\"$bad\"" "$HTTP_BODY"
done
t_check "the host-bits message says so" bash -c "grep -A1 'error-cidr' '$HTTP_BODY' >/dev/null"
t_eq "nothing stored by refusals" "$(sql "SELECT COUNT(*) FROM ip_ranges WHERE label='bad'")" 0

# --- a change on the screen takes effect at once
web_page /admin/ip
http_post /admin/ip "cidr=127.0.0.2/32" "label=second loopback"
t_eq "range added" "$HTTP_STATUS" 303
t_eq "127.0.0.2 gets in at once" "$(from2 /login)" 200
web_page /admin/ip
http_post /admin/ip "cidr=127.0.0.2" "label=again"
t_eq "a duplicate is refused" "$HTTP_STATUS" 409
t_check "the duplicate message is beside the field" grep -q 'id="error-cidr"' "$HTTP_BODY"
id=$(sql "SELECT id FROM ip_ranges WHERE cidr='127.0.0.2/32'")
web_page "/admin/ip/$id"
http_post "/admin/ip/$id" "cidr=2001:db8::/32" "label=docs range"
t_eq "range edited" "$HTTP_STATUS" 303
t_eq "the edit shuts 127.0.0.2 out at once" "$(from2 /login)" 403
t_eq "IPv6 stored canonically" "$(sql "SELECT cidr FROM ip_ranges WHERE id=$id")" "2001:db8::/32"
web_page "/admin/ip/$id"
http_post "/admin/ip/$id/delete"
t_eq "range removed" "$HTTP_STATUS" 303

# --- the lock-out guard: removing the range that admits me
me=$(sql "SELECT id FROM ip_ranges WHERE cidr='127.0.0.1/32'")
web_page "/admin/ip/$me"
http_post "/admin/ip/$me/delete"
t_eq "removing my own range asks first" "$HTTP_STATUS" 409
t_check "the confirmation says what happens" grep -q 'id="lockout"' "$HTTP_BODY"
t_eq "nothing removed without confirmation" "$(sql "SELECT COUNT(*) FROM ip_ranges WHERE id=$me")" 1
web_page "/admin/ip/$me"
http_post "/admin/ip/$me" "cidr=10.9.0.0/16" "label=moved"
t_eq "editing my own range away asks first" "$HTTP_STATUS" 409
t_eq "nothing changed without confirmation" "$(sql "SELECT cidr FROM ip_ranges WHERE id=$me")" "127.0.0.1/32"
http_get /admin/ip
t_eq "still in" "$HTTP_STATUS" 200

# --- the CLI: lock-out recovery from the machine itself
tegami ip allow 127.0.0.2/32 --label "from the cli" >/dev/null
t_eq "a CLI change reaches the running server within seconds" "$(wait_status 200 /login)" 200
tegami ip deny 127.0.0.2/32 >/dev/null
t_eq "and so does a CLI removal" "$(wait_status 403 /login)" 403
out=$(tegami ip allow 10.0.0.0/33 2>&1)
t_check "the CLI refuses a bad range with the reason" grep -q '33' <<< "$out"

# --- the audit trail
http_get '/admin/audit?action=ip_added'
t_eq "audit screen" "$HTTP_STATUS" 200
t_contains "additions are audited" "$HTTP_BODY" "127.0.0.2/32"
http_get "/admin/audit?actor=ipadm$$"
t_contains "filter by actor" "$HTTP_BODY" "ip_removed"
t_eq "failed sign-ins are audited" "$(sql "SELECT COUNT(*) FROM audit_log WHERE action='login'  AND actor='ipadm$$'")" 1
http_get '/admin/audit?date=2026-13-45'
t_check "a bad date is refused beside the field" grep -q 'id="error-date"' "$HTTP_BODY"
t_done
