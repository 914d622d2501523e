#!/usr/bin/env bash
# web_delivery.sh - the Delivery profiles screens (administrators): the
# shipped profiles and rules are listed; profiles and rules are created,
# edited and removed with strict checks (inline messages, values kept,
# duplicates refused with a sentence); every change is audited and bumps
# settings.delivery_version in its transaction; the suspensions in force
# (shaping_state) are shown with a "lift now" button that files a
# shaping_lift request; editors are refused (403).
. "$(dirname "$0")/lib.sh"
t_init web_delivery
t_need TEGAMI_URL TEGAMI_CONFIG TEGAMI_DB_SOCKET

sql() {
	mariadb --no-defaults -S "$TEGAMI_DB_SOCKET" -u "$TEGAMI_DB_USER" \
	    -p"$TEGAMI_DB_PASSWORD" -N -B "$TEGAMI_DB_NAME" -e "$1"
}
version() {
	sql "SELECT v FROM settings WHERE k = 'delivery_version'"
}
audits() {
	sql "SELECT COUNT(*) FROM audit_log WHERE action = '$1' AND \
	    target = '$2' AND actor = 'dadm$$'"
}
PW='Delivery administrator 1'
D=p$$.example
trap 'sql "DELETE FROM domain_profile WHERE domain LIKE \"p$$%\"; \
    DELETE FROM shaping_rule WHERE domain LIKE \"r$$%\"; \
    DELETE FROM shaping_state WHERE destination LIKE \"s$$%\"; \
    DELETE FROM shaping_lift WHERE destination LIKE \"s$$%\"" \
    >/dev/null 2>&1; svc_stop_all' EXIT

pw=$(t_user_add "dadm$$" admin)
HTTP_JAR=$T_DIR/adm; rm -f "$HTTP_JAR"
web_login "dadm$$" "$pw"
web_page /account/password
http_post /account/password "current=$pw" "new=$PW" "repeat=$PW"

# --- the list ---------------------------------------------------------------
web_page /admin/delivery
t_eq "the screen answers" "$HTTP_STATUS" 200
t_check "it is the delivery page" grep -q 'id="page-delivery"' "$HTTP_BODY"
for d in docomo.ne.jp ezweb.ne.jp au.com softbank.ne.jp yahoo.co.jp; do
	t_check "shipped profile $d listed" grep -q "<code>$d</code>" "$HTTP_BODY"
done
t_check "shipped rule [TSS04] listed" grep -q '\[TSS04\]' "$HTTP_BODY"
t_check "the navigation marks the entry" \
    grep -q 'href="/admin/delivery" aria-current="page"' "$HTTP_BODY"
t_check "every form carries the csrf field" [ "$(grep -c '<form' "$HTTP_BODY")" -le \
    "$(grep -c 'name="csrf"' "$HTTP_BODY")" ]

# --- profiles ---------------------------------------------------------------
v0=$(version)
http_post /admin/delivery/profile "domain=bad domain!" "max_conns=100001" \
    "msgs_per_conn=-1" "msgs_per_min=12x" "slow_start=3" \
    "tls_policy=opportunistic" "enabled=1" "note=kept note"
t_eq "a bad profile is refused" "$HTTP_STATUS" 422
t_check "the domain's message is beside it" grep -q 'id="error-domain"' "$HTTP_BODY"
t_check "the limit's message names the bounds" \
    grep -A1 -q 'id="error-max_conns"' "$HTTP_BODY"
t_contains "the message says what is wrong" "$HTTP_BODY" "100000"
t_check "each bad limit is named" \
    bash -c "grep -q 'id=\"error-msgs_per_conn\"' '$HTTP_BODY' && grep -q 'id=\"error-msgs_per_min\"' '$HTTP_BODY'"
t_check "a good field is not marked" bash -c "! grep -q 'id=\"error-slow_start\"' '$HTTP_BODY'"
t_contains "the values are kept" "$HTTP_BODY" 'value="bad domain!"'
t_contains "the note is kept" "$HTTP_BODY" 'value="kept note"'
t_eq "nothing stored, no version bump" \
    "$(sql "SELECT COUNT(*) FROM domain_profile WHERE note = 'kept note'") $(version)" "0 $v0"

http_csrf >/dev/null
http_post /admin/delivery/profile "domain=P$$.Example" "max_conns=2" \
    "msgs_per_conn=10" "msgs_per_min=60" "slow_start=1" \
    "tls_policy=required" "enabled=1" "note=test carrier"
t_eq "a profile is created" "$HTTP_STATUS" 303
t_eq "stored in lower case with its values" \
    "$(sql "SELECT CONCAT_WS(',', max_conns, msgs_per_conn, msgs_per_min, slow_start, tls_policy, enabled) FROM domain_profile WHERE domain = '$D'")" \
    "2,10,60,1,required,1"
t_eq "the version moved by one" "$(version)" "$((v0 + 1))"
t_eq "the creation is audited" "$(audits delivery_profile_added "$D")" 1
web_page /admin/delivery
t_check "the new profile is listed" grep -q "<code>$D</code>" "$HTTP_BODY"
t_check "the flash says so" grep -q 'flash-ok' "$HTTP_BODY"
http_post /admin/delivery/profile "domain=$D" "max_conns=1" \
    "msgs_per_conn=1" "msgs_per_min=1" "slow_start=1" "tls_policy=none"
t_eq "a second profile for the domain is refused" "$HTTP_STATUS" 409
t_contains "with a sentence" "$HTTP_BODY" "プロファイルはすでにあります"
t_eq "no version bump on a refusal" "$(version)" "$((v0 + 1))"

pid=$(sql "SELECT id FROM domain_profile WHERE domain = '$D'")
web_page "/admin/delivery/profile/$pid"
t_eq "the edit page answers" "$HTTP_STATUS" 200
t_check "it is the profile page" grep -q 'id="page-delivery_profile"' "$HTTP_BODY"
t_contains "it shows the stored value" "$HTTP_BODY" 'value="60"'
t_check "the stored TLS policy is selected" \
    grep -q '<option value="required" selected>' "$HTTP_BODY"
http_post "/admin/delivery/profile/$pid" "domain=$D" "max_conns=7" \
    "msgs_per_conn=10" "msgs_per_min=60" "slow_start=1" \
    "tls_policy=bogus" "enabled=1" "note=x"
t_eq "an unknown TLS policy is refused" "$HTTP_STATUS" 422
t_check "beside the TLS field" grep -q 'id="error-tls_policy"' "$HTTP_BODY"
http_csrf >/dev/null
http_post "/admin/delivery/profile/$pid" "domain=$D" "max_conns=7" \
    "msgs_per_conn=10" "msgs_per_min=60" "slow_start=1" \
    "tls_policy=verify" "note=edited"
t_eq "the profile is saved" "$HTTP_STATUS" 303
t_eq "new values, disabled (box left empty)" \
    "$(sql "SELECT CONCAT_WS(',', max_conns, tls_policy, enabled, note) FROM domain_profile WHERE id = $pid")" \
    "7,verify,0,edited"
t_eq "the version moved again" "$(version)" "$((v0 + 2))"
t_eq "the change is audited" "$(audits delivery_profile_changed "$D")" 1
t_check "the audit keeps the old and new values" \
    bash -c "[ \"\$(mariadb --no-defaults -S '$TEGAMI_DB_SOCKET' -u '$TEGAMI_DB_USER' -p'$TEGAMI_DB_PASSWORD' -N -B '$TEGAMI_DB_NAME' -e \"SELECT COUNT(*) FROM audit_log WHERE action = 'delivery_profile_changed' AND target = '$D' AND detail LIKE '%max_conns 2%' AND detail LIKE '%max_conns 7%'\")\" = 1 ]"
web_page "/admin/delivery/profile/999999999"
t_eq "an unknown profile is 404" "$HTTP_STATUS" 404
web_page "/admin/delivery/profile/$pid"
http_post "/admin/delivery/profile/$pid/delete"
t_eq "the profile is removed" "$HTTP_STATUS" 303
t_eq "gone from the table" "$(sql "SELECT COUNT(*) FROM domain_profile WHERE id = $pid")" 0
t_eq "the removal is audited, version bumped" \
    "$(audits delivery_profile_deleted "$D") $(version)" "1 $((v0 + 3))"

# --- shaping rules ------------------------------------------------------------
R=r$$.example
web_page /admin/delivery
long=$(printf 'x%.0s' $(seq 1 129))
http_post /admin/delivery/rule "position=10" "rule_domain=$R" "code=42" \
    "enhanced=4.7" "text=$long" "action=suspend" "scope=destination" \
    "seconds=0" "rule_enabled=1"
t_eq "a bad rule is refused" "$HTTP_STATUS" 422
for f in code enhanced text seconds; do
	t_check "the $f message is beside the field" \
	    grep -q "id=\"error-$f\"" "$HTTP_BODY"
done
t_contains "the code message names the choices" "$HTTP_BODY" "200〜599"
t_contains "the seconds message names the bounds" "$HTTP_BODY" "1〜604800 の秒数"
t_contains "the rule's values are kept" "$HTTP_BODY" 'value="4.7"'
t_check "the chosen action stays selected" \
    grep -q '<option value="suspend" selected>' "$HTTP_BODY"
http_csrf >/dev/null
v1=$(version)
http_post /admin/delivery/rule "position=5" "rule_domain=$R" "code=421" \
    "enhanced=4.7.0" "text=[TSS99]" "action=suspend" "scope=campaign" \
    "seconds=300" "rule_enabled=1" "rule_note=test rule"
t_eq "a rule is created" "$HTTP_STATUS" 303
rid=$(sql "SELECT id FROM shaping_rule WHERE domain = '$R'")
t_eq "stored with its values" \
    "$(sql "SELECT CONCAT_WS(',', position, code, enhanced, text_match, action, scope, seconds, enabled) FROM shaping_rule WHERE id = '$rid'")" \
    "5,421,4.7.0,[TSS99],suspend,campaign,300,1"
t_eq "the version moved" "$(version)" "$((v1 + 1))"
t_eq "the creation is audited" "$(audits delivery_rule_added "rule $rid")" 1
web_page /admin/delivery
http_post /admin/delivery/rule "position=6" "rule_domain=$R" "code=421" \
    "enhanced=4.7.0" "text=[TSS99]" "action=suspend" "scope=campaign" \
    "seconds=60"
t_eq "the same rule twice is refused" "$HTTP_STATUS" 409
t_contains "with a sentence" "$HTTP_BODY" "同じルールがすでにあります"
web_page "/admin/delivery/rule/$rid"
t_eq "the rule's page answers" "$HTTP_STATUS" 200
t_contains "it shows the stored text" "$HTTP_BODY" 'value="[TSS99]"'
http_post "/admin/delivery/rule/$rid" "position=5" "rule_domain=$R" \
    "code=4" "enhanced=4.7." "text=[TSS99]" "action=slow" \
    "scope=destination" "seconds=604800" "rule_enabled=1"
t_eq "the rule is saved" "$HTTP_STATUS" 303
t_eq "new values" \
    "$(sql "SELECT CONCAT_WS(',', code, enhanced, action, scope, seconds) FROM shaping_rule WHERE id = '$rid'")" \
    "4,4.7.,slow,destination,604800"
t_eq "audited, version bumped" \
    "$(audits delivery_rule_changed "rule $rid") $(version)" "1 $((v1 + 2))"
web_page "/admin/delivery/rule/$rid"
http_post "/admin/delivery/rule/$rid" "position=5" "rule_domain=-bad-" \
    "code=700" "enhanced=" "text=" "action=slow" "scope=everything" \
    "seconds=604801"
t_eq "a bad edit is refused" "$HTTP_STATUS" 422
for f in rule_domain code scope seconds; do
	t_check "edit: the $f message is beside the field" \
	    grep -q "id=\"error-$f\"" "$HTTP_BODY"
done
http_csrf >/dev/null
http_post "/admin/delivery/rule/$rid/delete"
t_eq "the rule is removed" "$HTTP_STATUS" 303
t_eq "gone, audited, version bumped" \
    "$(sql "SELECT COUNT(*) FROM shaping_rule WHERE id = '$rid'") $(audits delivery_rule_deleted "rule $rid") $(version)" \
    "0 1 $((v1 + 3))"

# --- suspensions in force and lifting -------------------------------------
S=s$$.example
sql "INSERT INTO shaping_state (destination, campaign, action, until_at, \
    reason, sender, updated_at) VALUES ('$S', '', 'suspend', \
    UNIX_TIMESTAMP() + 600, '421 4.7.0 [TSS04] <b>volume</b>', 'test', \
    UNIX_TIMESTAMP()), ('$S', 'camp$$', 'suspend', UNIX_TIMESTAMP() + 600, \
    '550 5.7.1 unsolicited', 'test', UNIX_TIMESTAMP()), ('old$S', '', \
    'slow', UNIX_TIMESTAMP() - 5, 'ended', 'test', UNIX_TIMESTAMP() - 60), \
    ('gone$S', '', 'suspend', UNIX_TIMESTAMP() + 600, 'stale', 'gone', \
    UNIX_TIMESTAMP() - 120)"
web_page /admin/delivery
t_check "the suspension is listed" grep -q "<code>$S</code>" "$HTTP_BODY"
t_contains "the reply is shown, escaped" "$HTTP_BODY" '[TSS04] &lt;b&gt;volume&lt;/b&gt;'
t_contains "a campaign suspension names the campaign" "$HTTP_BODY" "camp$$"
t_check "an ended one is not listed" bash -c "! grep -q 'old$S' '$HTTP_BODY'"
t_check "one its sender stopped refreshing is not listed" \
    bash -c "! grep -q 'gone$S' '$HTTP_BODY'"
t_check "each row has a lift button" \
    [ "$(grep -c "name=\"destination\" value=\"$S\"" "$HTTP_BODY")" = 2 ]
http_post /admin/delivery/lift "destination=$S" "campaign="
t_eq "a lift is requested" "$HTTP_STATUS" 303
t_eq "a pending lift request is stored" \
    "$(sql "SELECT COUNT(*) FROM shaping_lift WHERE destination = '$S' AND campaign = '' AND requested_by = 'dadm$$' AND done_at IS NULL")" 1
t_eq "the lift is audited" "$(audits delivery_lift "$S")" 1
web_page /admin/delivery
http_post /admin/delivery/lift "destination=<script>" "campaign="
t_eq "a bad destination is refused" "$HTTP_STATUS" 422
t_eq "and not stored" "$(sql "SELECT COUNT(*) FROM shaping_lift WHERE destination = '<script>'")" 0

# --- editors are refused ----------------------------------------------------
epw=$(t_user_add "ded$$" editor)
HTTP_JAR=$T_DIR/ed; rm -f "$HTTP_JAR"
web_login "ded$$" "$epw"
web_page /account/password
http_post /account/password "current=$epw" "new=Delivery editor 22" \
    "repeat=Delivery editor 22"
http_get /admin/delivery
t_eq "an editor cannot see the screen" "$HTTP_STATUS" 403
web_page /
http_post /admin/delivery/profile "domain=p$$e.example" "max_conns=1" \
    "msgs_per_conn=1" "msgs_per_min=1" "slow_start=1" "tls_policy=none"
t_eq "an editor cannot create a profile" "$HTTP_STATUS" 403
http_post /admin/delivery/lift "destination=$S"
t_eq "an editor cannot lift" "$HTTP_STATUS" 403
t_eq "nothing stored by the editor" \
    "$(sql "SELECT COUNT(*) FROM domain_profile WHERE domain = 'p$$e.example'")" 0
t_done
