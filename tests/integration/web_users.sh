#!/usr/bin/env bash
# web_users.sh - the administrator's user screens and the second factor:
# create an editor (one-time password shown once), edit, disable (its
# sessions end), protect the last administrator, TOTP set-up, sign-in with
# a code and with a recovery code (once), replay refused, and the rule that
# every administrator must use a second factor.
. "$(dirname "$0")/lib.sh"
t_init web_users
t_need TEGAMI_URL TEGAMI_CONFIG TEGAMI_DB_SOCKET

sql() {
	mariadb --no-defaults -S "$TEGAMI_DB_SOCKET" -u "$TEGAMI_DB_USER" \
	    -p"$TEGAMI_DB_PASSWORD" -N -B "$TEGAMI_DB_NAME" -e "$1"
}
# totp SECRET [OFFSET_STEPS] - RFC 6238 code, computed by Python's stdlib.
totp() {
	/usr/bin/python3 - "$1" "${2:-0}" <<'PY'
import base64, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1].replace(" ", "").upper())
step = int(time.time()) // 30 + int(sys.argv[2])
mac = hmac.new(key, struct.pack(">Q", step), "sha1").digest()
o = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000))
PY
}
PW='Administrators passphrase 1'
EPW='Editors passphrase 22'

pw=$(t_user_add "uadm$$" admin)
HTTP_JAR=$T_DIR/adm; rm -f "$HTTP_JAR"
web_login "uadm$$" "$pw"
web_page /account/password
http_post /account/password "current=$pw" "new=$PW" "repeat=$PW"

# --- create an editor
web_page /admin/users/new
http_post /admin/users/new "login=bad login!" "name=X" "role=editor"
t_eq "a bad login is refused" "$HTTP_STATUS" 422
t_check "the message is beside the field" grep -q 'id="error-login"' "$HTTP_BODY"
http_post /admin/users/new "login=ued$$" "name=編集 太郎" "role=editor"
t_eq "editor created" "$HTTP_STATUS" 201
otp=$(sed -n 's/.*id="one-time-password">\([^<]*\)<.*/\1/p' "$HTTP_BODY")
t_check "the one-time password is shown once" [ -n "$otp" ]
t_eq "stored hashed, never in clear" "$(sql "SELECT COUNT(*) FROM users WHERE login='ued$$' AND password_hash LIKE '\$argon2id\$%' AND password_hash NOT LIKE '%$otp%'")" 1
http_get /admin/users
t_check "the table lists the editor" grep -q "ued$$" "$HTTP_BODY"
t_check "the name is shown escaped as text" grep -q "編集 太郎" "$HTTP_BODY"
t_check "the one-time password is not shown again" bash -c "! grep -q '$otp' '$HTTP_BODY'"
web_page /admin/users/new
http_post /admin/users/new "login=ued$$" "name=dup" "role=editor"
t_eq "a taken login is refused" "$HTTP_STATUS" 409

# --- the editor signs in, then is disabled: the session ends
HTTP_JAR=$T_DIR/ed; rm -f "$HTTP_JAR"
web_login "ued$$" "$otp"
web_page /account/password
http_post /account/password "current=$otp" "new=$EPW" "repeat=$EPW"
http_get /
t_eq "the editor is in" "$HTTP_STATUS" 200
HTTP_JAR=$T_DIR/adm
eid=$(sql "SELECT id FROM users WHERE login='ued$$'")
web_page "/admin/users/$eid"
http_post "/admin/users/$eid" "action=save" "name=Editor" "role=editor"
t_eq "editor disabled (checkbox left empty)" "$HTTP_STATUS" 303
HTTP_JAR=$T_DIR/ed
http_get /
t_eq "the disabled editor's session is over" "$(http_header Location)" /login
web_login "ued$$" "$EPW"
t_eq "a disabled account cannot sign in" "$HTTP_STATUS" 422
HTTP_JAR=$T_DIR/adm
web_page "/admin/users/$eid"
http_post "/admin/users/$eid" "action=save" "name=Editor" "role=editor" "active=1"
t_eq "editor enabled again" "$HTTP_STATUS" 303


# --- the users table comes from the server's query cache, never stale
qhits() {
	sql "SHOW GLOBAL STATUS LIKE 'Qcache_hits'" | cut -f 2
}
http_get /admin/users
h0=$(qhits)
http_get /admin/users
http_get /admin/users
t_check "repeated reads are answered from the query cache" \
    [ "$(qhits)" -ge $((h0 + 2)) ]
web_page "/admin/users/$eid"
http_post "/admin/users/$eid" "action=save" "name=Renamed $$" \
    "role=editor" "active=1"
http_get /admin/users
t_contains "a change shows at once (screen write)" "$HTTP_BODY" "Renamed $$"
sql "UPDATE users SET display_name='Outside $$' WHERE id=$eid"
http_get /admin/users
t_contains "a change shows at once (any other writer)" "$HTTP_BODY" \
    "Outside $$"
# --- the administrator cannot disable or demote the last administrator
aid=$(sql "SELECT id FROM users WHERE login='uadm$$'")
web_page "/admin/users/$aid"
http_post "/admin/users/$aid" "action=save" "name=Me" "role=admin"
t_eq "nobody disables themselves" "$HTTP_STATUS" 422
t_check "said beside the checkbox" grep -q 'id="error-active"' "$HTTP_BODY"

# --- reset password: a new one-time password, sessions end
web_page "/admin/users/$eid"
http_post "/admin/users/$eid" "action=reset_password" "confirm=1"
t_eq "password reset" "$HTTP_STATUS" 200
otp2=$(sed -n 's/.*id="one-time-password">\([^<]*\)<.*/\1/p' "$HTTP_BODY")
t_check "a new one-time password is shown" [ -n "$otp2" -a "$otp2" != "$otp" ]
t_eq "the change is forced again" "$(sql "SELECT must_change FROM users WHERE id=$eid")" 1

# --- second factor for the administrator
web_page /account/totp
t_check "two-factor is off" grep -q 'name="action" value="enable"' "$HTTP_BODY"
http_post /account/totp "action=enable" "password=wrong"
t_eq "enabling needs the password" "$HTTP_STATUS" 422
http_post /account/totp "action=enable" "password=$PW"
t_eq "set-up page" "$HTTP_STATUS" 200
secret=$(sed -n 's/.*id="totp-uri">[^<]*secret=\([A-Z2-7=]*\).*/\1/p' "$HTTP_BODY" | head -1)
t_check "the secret is shown for the app" [ -n "$secret" ]
t_eq "the secret is sealed at rest" "$(sql "SELECT INSTR(totp_secret, '$secret') FROM users WHERE id=$aid")" 0
http_csrf >/dev/null
http_post /account/totp "action=confirm" "code=000000"
t_eq "a wrong code does not enable it" "$HTTP_STATUS" 422
http_csrf >/dev/null
http_post /account/totp "action=confirm" "code=$(totp "$secret")"
t_eq "the right code enables it" "$HTTP_STATUS" 200
sed -n 's/.*<li><code>\([a-z2-7-]*\)<\/code><\/li>.*/\1/p' "$HTTP_BODY" > "$T_DIR/codes"
t_eq "ten recovery codes shown once" "$(wc -l < "$T_DIR/codes")" 10
t_eq "two-factor on" "$(sql "SELECT totp_enabled FROM users WHERE id=$aid")" 1

# sign in again: password, then a code
HTTP_JAR=$T_DIR/adm2; rm -f "$HTTP_JAR"
web_login "uadm$$" "$PW"
t_eq "after the password comes the code" "$(http_header Location)" /login/totp
http_get /admin/users
t_eq "no screen before the code" "$(http_header Location)" /login/totp
web_page /login/totp
http_post /login/totp "code=123456"
t_eq "a wrong code is refused" "$HTTP_STATUS" 422
sql "DELETE FROM login_throttle"
web_page /login/totp
code=$(totp "$secret" 1)
http_post /login/totp "code=$code"
t_eq "the right code signs in" "$HTTP_STATUS" 303
http_get /admin/users
t_eq "signed in fully" "$HTTP_STATUS" 200
HTTP_JAR=$T_DIR/adm3; rm -f "$HTTP_JAR"
web_login "uadm$$" "$PW"
web_page /login/totp
http_post /login/totp "code=$code"
t_eq "a code is accepted once (replay refused)" "$HTTP_STATUS" 422
rc=$(head -1 "$T_DIR/codes")
web_page /login/totp
http_post /login/totp "code=$rc"
t_eq "a recovery code signs in" "$HTTP_STATUS" 303
HTTP_JAR=$T_DIR/adm4; rm -f "$HTTP_JAR"
web_login "uadm$$" "$PW"
web_page /login/totp
http_post /login/totp "code=$rc"
t_eq "a recovery code works once" "$HTTP_STATUS" 422
sql "DELETE FROM login_throttle"

# --- require a second factor for every administrator
HTTP_JAR=$T_DIR/adm2
web_page /admin/security
http_post /admin/security "require_totp_admin=1"
t_eq "rule saved" "$HTTP_STATUS" 303
pw3=$(t_user_add "uadm2$$" admin)
HTTP_JAR=$T_DIR/adm5; rm -f "$HTTP_JAR"
web_login "uadm2$$" "$pw3"
web_page /account/password
http_post /account/password "current=$pw3" "new=$PW" "repeat=$PW"
http_get /admin/users
t_eq "an administrator without a second factor must set one up" "$(http_header Location)" /account/totp
HTTP_JAR=$T_DIR/adm2
web_page /admin/security
http_post /admin/security
t_eq "rule lifted" "$HTTP_STATUS" 303
t_done
