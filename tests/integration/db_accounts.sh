#!/usr/bin/env bash
# db_accounts.sh - tools/db-accounts.sh: the production accounts exist with
# the documented privileges, tegami-sender delivers under its own account
# with no statement refused, and each account is refused what belongs to
# the other (the sender: users; the web: writing the queue).
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/bench/sender/lib.sh"
t_init db_accounts
rm -rf "$T_DIR"; mkdir -p "$T_DIR"
t_queue "$T_DIR/q" ""
if "$T_ROOT/tools/db-accounts.sh" --db tegami -- \
    --socket="$TEGAMI_DB_SOCKET" -u "$(svc_db_admin)" > "$T_DIR/accounts" \
    2> "$T_DIR/accounts.err"; then
	t_ok "db-accounts.sh creates the two accounts"
else
	t_fail "db-accounts.sh" "$(tail -3 "$T_DIR/accounts.err")"; t_done
fi
web_pw=$(sed -n '/^db.user = tegami_web/{n;s/^db.password = //p}' \
    "$T_DIR/accounts")
sender_pw=$(sed -n '/^db.user = tegami_sender/{n;s/^db.password = //p}' \
    "$T_DIR/accounts")
if [ "${#web_pw}" -ge 24 ] && [ "${#sender_pw}" -ge 24 ]; then
	t_ok "a random password printed for each"
else
	t_fail "a random password printed for each" "${#web_pw} ${#sender_pw}"
fi
sql_as() {	# sql_as USER PASSWORD SQL
	mariadb --no-defaults --socket="$TEGAMI_DB_SOCKET" -u "$1" -p"$2" \
	    -N tegami -e "$3" 2>&1
}
case $(sql_as tegami_sender "$sender_pw" "SELECT COUNT(*) FROM users") in
*denied*) t_ok "the sender account may not read users" ;;
*) t_fail "the sender account may not read users" ;;
esac
case $(sql_as tegami_web "$web_pw" "SELECT COUNT(*) FROM users") in
[0-9]*) t_ok "the web account reads users" ;;
*) t_fail "the web account reads users" ;;
esac
case $(sql_as tegami_web "$web_pw" "UPDATE queue SET attempts = 0") in
*denied*) t_ok "the web account may not write the queue" ;;
*) t_fail "the web account may not write the queue" ;;
esac
# Running it again resets the passwords and privileges, nothing more.
TEGAMI_SENDER_DB_PASSWORD=$sender_pw TEGAMI_WEB_DB_PASSWORD=$web_pw \
    "$T_ROOT/tools/db-accounts.sh" --db tegami -- \
    --socket="$TEGAMI_DB_SOCKET" -u "$(svc_db_admin)" > /dev/null 2>&1 &&
    t_ok "a second run keeps the given passwords" ||
    t_fail "a second run keeps the given passwords"

# tegami-sender under its own account: 200 messages, every statement
# allowed (the claim, leases, results, shaping state, alerts, settings).
sink_port=$(svc_free_port)
smtp-sink -u nobody "127.0.0.1:$sink_port" 100 > "$T_DIR/sink.log" 2>&1 &
svc_track smtp-sink $!
q_smarthost "127.0.0.1:$sink_port"
q_tegami domain add accounts.test >/dev/null
q_tegami domain key accounts.test --selector a --generate ed25519 \
    >/dev/null
q_tegami enqueue-test --count 200 --domain example.test \
    --from news@accounts.test >/dev/null
sed -e "s/^db.user = .*/db.user = tegami_sender/" \
    -e "s/^db.password = .*/db.password = $sender_pw/" \
    "$Q_DIR/tegami.conf" > "$T_DIR/sender.conf"
chmod 0600 "$T_DIR/sender.conf"
"$BUILD/tegami-sender" -c "$T_DIR/sender.conf" --drain \
    > "$T_DIR/sender.log" 2>&1 &
pid=$!
svc_track tegami-sender $pid
for ((i = 0; i < 600; i++)); do
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
if wait $pid; then
	t_ok "the sender drains the queue under its own account"
else
	t_fail "the sender drains the queue" "$(tail -3 "$T_DIR/sender.log")"
fi
t_eq "200 sent" "$(q_state sent)" 200
t_eq "no statement refused (sender log)" \
    "$(grep -ci 'denied' "$T_DIR/sender.log")" 0
t_done
