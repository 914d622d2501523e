#!/usr/bin/env bash
# web_auth.sh - issue 2 through the real nginx + tegami-web + MariaDB:
# sign-in, forced password change, sign-out, wrong passwords, throttling,
# session expiry, CSRF, roles, security headers, body limits.
. "$(dirname "$0")/lib.sh"
t_init web_auth
t_need TEGAMI_URL TEGAMI_CONFIG TEGAMI_DB_SOCKET

sql() {
	mariadb --no-defaults -S "$TEGAMI_DB_SOCKET" -u "$TEGAMI_DB_USER" \
	    -p"$TEGAMI_DB_PASSWORD" -N -B "$TEGAMI_DB_NAME" -e "$1"
}

NEWPW='A long passphrase 42'
ed_pw=$(t_user_add "ed$$" editor) || t_fail "create editor" "cli failed"
ad_pw=$(t_user_add "ad$$" admin) || t_fail "create admin" "cli failed"

# --- the sign-in page and its headers
HTTP_JAR=$T_DIR/anon; rm -f "$HTTP_JAR"
http_get /login
t_eq "login page answers" "$HTTP_STATUS" 200
t_check "CSP header" grep -qi "^content-security-policy: default-src 'none'" "$HTTP_HEADERS"
t_check "frame-ancestors none" grep -qi "frame-ancestors 'none'" "$HTTP_HEADERS"
t_check "nosniff" grep -qi '^x-content-type-options: nosniff' "$HTTP_HEADERS"
t_check "referrer policy" grep -qi '^referrer-policy:' "$HTTP_HEADERS"
t_check "no HSTS without TLS" bash -c "! grep -qi '^strict-transport-security' '$HTTP_HEADERS'"
t_check "login form has a csrf field" grep -q 'name="csrf"' "$HTTP_BODY"
t_check "HttpOnly pre-session cookie" grep -qi '^set-cookie: tegami_pre=.*HttpOnly' "$HTTP_HEADERS"
http_get '/login?lang=en'
t_contains "English on ?lang=en" "$HTTP_BODY" 'lang="en"'
http_get /login -H 'Accept-Language: en-US,en;q=0.9'
t_contains "Accept-Language picks the language" "$HTTP_BODY" 'lang="en"'

# --- wrong password and missing account say the same thing
HTTP_JAR=$T_DIR/wrong; rm -f "$HTTP_JAR"
web_login "ed$$" "not the password"
t_eq "wrong password refused" "$HTTP_STATUS" 422
sed 's/value="[^"]*"//g' "$HTTP_BODY" > "$T_DIR/wrong1.html"
web_login "nobody$$" "not the password"
t_eq "unknown account refused the same way" "$HTTP_STATUS" 422
sed 's/value="[^"]*"//g' "$HTTP_BODY" > "$T_DIR/wrong2.html"
t_check "same page for unknown account and wrong password" \
    cmp -s "$T_DIR/wrong1.html" "$T_DIR/wrong2.html"
t_eq "no session after a failure" "$(grep -c tegami_session "$HTTP_JAR")" 0

# --- sign in with the one-time password: change forced
HTTP_JAR=$T_DIR/ed; rm -f "$HTTP_JAR"
web_login "ed$$" "$ed_pw"
t_eq "sign-in answers 303" "$HTTP_STATUS" 303
t_eq "a password change is forced" "$(http_header Location)" /account/password
t_check "session cookie is HttpOnly" grep -qi '^set-cookie: tegami_session=.*HttpOnly; SameSite=Lax' "$HTTP_HEADERS"
http_get /
t_eq "other pages send to the change first" "$(http_header Location)" /account/password
web_page /account/password
http_post /account/password "current=$ed_pw" "new=short" "repeat=short"
t_eq "a short password is refused" "$HTTP_STATUS" 422
t_contains "the error is beside the field" "$HTTP_BODY" 'id="error-new"'
http_post /account/password "current=$ed_pw" "new=$NEWPW" "repeat=$NEWPW x"
t_contains "mismatch is refused beside the repeat field" "$HTTP_BODY" 'id="error-repeat"'
old_cookie=$(awk '$6 == "tegami_session" { print $7 }' "$HTTP_JAR")
http_post /account/password "current=$ed_pw" "new=$NEWPW" "repeat=$NEWPW"
t_eq "password changed" "$HTTP_STATUS" 303
new_cookie=$(awk '$6 == "tegami_session" { print $7 }' "$HTTP_JAR")
t_check "password change renews the session token" [ -n "$new_cookie" -a "$new_cookie" != "$old_cookie" ]
curl -s -o /dev/null -w '%{http_code} %{redirect_url}' \
    -b "tegami_session=$old_cookie" "$TEGAMI_URL/" > "$T_DIR/old"
t_contains "the old session is dead on the server" "$T_DIR/old" "/login"
http_get /
t_eq "dashboard after the change" "$HTTP_STATUS" 200
t_contains "signed-in user shown" "$HTTP_BODY" "id=\"current-user\">ed$$<"

# --- roles
for p in /admin/users /admin/ip /admin/audit /admin/security /admin/users/new; do
	http_get "$p"
	t_eq "editor refused on $p" "$HTTP_STATUS" 403
done
web_page /account
http_post /admin/ip "cidr=192.0.2.0/24" "label=by editor"
t_eq "editor cannot post to an admin screen" "$HTTP_STATUS" 403
t_eq "nothing stored by the refused post" "$(sql "SELECT COUNT(*) FROM ip_ranges WHERE cidr='192.0.2.0/24'")" 0

# --- CSRF
web_page /account
http_req POST /account --data-urlencode lang=en --data-urlencode tz=UTC
t_eq "post without a csrf token is refused" "$HTTP_STATUS" 403
http_req POST /account --data-urlencode lang=en --data-urlencode tz=UTC --data-urlencode csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
t_eq "post with a wrong csrf token is refused" "$HTTP_STATUS" 403
t_eq "the refused post changed nothing" "$(sql "SELECT COALESCE(lang,'-') FROM users WHERE login='ed$$'")" "-"
HTTP_JAR=$T_DIR/anon2; rm -f "$HTTP_JAR"
http_req POST /login --data-urlencode "login=ed$$" --data-urlencode "password=$NEWPW"
t_eq "sign-in without the form token is refused" "$HTTP_STATUS" 403

# --- sign-out ends the session on the server
HTTP_JAR=$T_DIR/ed
cookie=$(awk '$6 == "tegami_session" { print $7 }' "$HTTP_JAR")
web_page /
http_post /logout
t_eq "sign-out answers 303" "$HTTP_STATUS" 303
t_eq "sign-out goes to the sign-in page" "$(http_header Location)" /login
code=$(curl -s -o /dev/null -w '%{http_code}' -b "tegami_session=$cookie" "$TEGAMI_URL/account")
t_eq "the signed-out token is useless" "$code" 303
t_eq "the session row is gone" "$(sql "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id=s.user_id WHERE u.login='ed$$'")" 0

# --- session expiry (idle and absolute)
HTTP_JAR=$T_DIR/exp; rm -f "$HTTP_JAR"
web_login "ed$$" "$NEWPW"
http_get /
t_eq "signed in again" "$HTTP_STATUS" 200
sql "UPDATE sessions s JOIN users u ON u.id=s.user_id SET s.last_seen = s.last_seen - 100000 WHERE u.login='ed$$'"
# The web process trusts a session lookup for SESSCACHE_TTL (5 s); the
# database was aged behind its back, so let the cached entry lapse.
sleep 6
http_get /
t_eq "an idle session expires" "$(http_header Location)" /login
web_login "ed$$" "$NEWPW"
sql "UPDATE sessions s JOIN users u ON u.id=s.user_id SET s.created_at = s.created_at - 10000000 WHERE u.login='ed$$'"
sleep 6
http_get /account
t_eq "a session past its absolute lifetime expires" "$(http_header Location)" /login

# --- throttling: a growing delay, then a lock; the same for unknown accounts
HTTP_JAR=$T_DIR/thr; rm -f "$HTTP_JAR"
sql "DELETE FROM login_throttle"
for i in 1 2 3; do web_login "ed$$" "wrong $i"; done
t_check "three failures start a delay" [ "$(sql "SELECT next_allowed - last_failure FROM login_throttle WHERE kind='account' AND k='ed$$'")" -ge 2 ]
for i in 4 5 6 7 8 9 10; do
	sql "UPDATE login_throttle SET next_allowed = 0"
	web_login "ed$$" "wrong $i"
done
t_check "the delay grows to a lock" [ "$(sql "SELECT next_allowed - last_failure FROM login_throttle WHERE kind='account' AND k='ed$$'")" -ge 900 ]
web_login "ed$$" "$NEWPW"
t_eq "a locked account refuses even the right password" "$HTTP_STATUS" 429
t_check "the wait is said in words" grep -q 'flash-error' "$HTTP_BODY"
for i in 1 2 3 4 5 6 7 8 9 10; do
	sql "UPDATE login_throttle SET next_allowed = 0 WHERE kind='address' OR k='ghost$$'"
	web_login "ghost$$" "wrong $i"
done
sql "UPDATE login_throttle SET next_allowed = 0 WHERE kind='address'"
web_login "ghost$$" "anything"
t_eq "an unknown account is locked alike" "$HTTP_STATUS" 429
t_check "same words for an unknown account" grep -q 'flash-error' "$HTTP_BODY"
t_check "address failures are counted too" [ "$(sql "SELECT failures FROM login_throttle WHERE kind='address' AND k='127.0.0.1'")" -ge 20 ]
sql "UPDATE login_throttle SET next_allowed = 0"
web_login "ed$$" "$NEWPW"
t_eq "after the lock the right password works" "$HTTP_STATUS" 303
t_eq "success clears the account's counter" "$(sql "SELECT COUNT(*) FROM login_throttle WHERE kind='account' AND k='ed$$'")" 0
sql "DELETE FROM login_throttle"

# --- bodies: over the limit and malformed
HTTP_JAR=$T_DIR/bodyjar; rm -f "$HTTP_JAR"
head -c 20000 /dev/zero | tr '\0' a > "$T_DIR/big"
http_req POST /login -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$T_DIR/big"
t_eq "an oversize anonymous body gets 413" "$HTTP_STATUS" 413
t_check "the 413 page names the limit" grep -q '8192' "$HTTP_BODY"
http_req POST /login -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'login=a%zz&password=b'
t_eq "a malformed body gets 400" "$HTTP_STATUS" 400
t_check "the 400 page names the problem" grep -qi '%' "$HTTP_BODY"
http_get '/login?a=%G0'
t_eq "a malformed query gets 400" "$HTTP_STATUS" 400
HTTP_JAR=$T_DIR/exp
web_login "ed$$" "$NEWPW"
head -c 1200000 /dev/zero | tr '\0' a > "$T_DIR/huge"
web_page /account
http_req POST /account -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$T_DIR/huge"
t_eq "an oversize signed-in body gets 413" "$HTTP_STATUS" 413
http_req POST /account -F "csrf=$HTTP_CSRF" -F lang=en -F tz=UTC
t_eq "multipart where no upload is taken gets 400" "$HTTP_STATUS" 400

# --- unknown paths and methods
http_get /no/such/page
t_eq "unknown path 404" "$HTTP_STATUS" 404
http_req DELETE /account
t_eq "unknown method 405" "$HTTP_STATUS" 405

t_done
