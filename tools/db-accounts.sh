#!/usr/bin/env bash
# db-accounts.sh - the production database accounts of tegami-web and
# tegami-sender: creates them (or resets their password and privileges),
# each with only what its statements use (docs/security.md, "Database
# accounts for production"), and prints the db.* lines of each process's
# configuration. The schema owner (`tegami migrate`, the CLI) keeps its own
# account. Run with a MariaDB administrator's client options:
#
#   tools/db-accounts.sh [--db NAME] [--host HOST] [-- CLIENT-OPTIONS...]
#   e.g. sudo tools/db-accounts.sh --db tegami -- -u root
#
# --host is the client host the accounts may connect from (default
# localhost, the unix socket). Passwords are fresh random ones, or
# TEGAMI_WEB_DB_PASSWORD / TEGAMI_SENDER_DB_PASSWORD when set.
set -eu

db=tegami
host=localhost
while [ $# -gt 0 ]; do
	case $1 in
	--db) db=$2; shift 2 ;;
	--host) host=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "usage: $0 [--db NAME] [--host HOST] [-- CLIENT-OPTIONS...]" >&2
	   exit 2 ;;
	esac
done
case $db$host in
*[!A-Za-z0-9_.%-]*) echo "$0: database and host: letters, digits, _ . % -" >&2
	exit 2 ;;
esac

# A password as an SQL string literal (quote and backslash doubled).
sql_str() {
	local s=${1//\\/\\\\}
	printf "'%s'" "${s//\'/\'\'}"
}
random_pw() {
	head -c 24 /dev/urandom | base64 | tr -d '/+='
}
web_pw=${TEGAMI_WEB_DB_PASSWORD:-$(random_pw)}
sender_pw=${TEGAMI_SENDER_DB_PASSWORD:-$(random_pw)}

# account TABLE-PRIVILEGES... as "table:PRIV,PRIV" words
grants() {
	local user=$1 t p
	shift
	for t in "$@"; do
		p=${t#*:}
		printf 'GRANT %s ON `%s`.`%s` TO %s;\n' "${p//,/, }" "$db" \
		    "${t%%:*}" "$user"
	done
}

web="'tegami_web'@'$host'"
sender="'tegami_sender'@'$host'"
{
	for a in "$web:$web_pw" "$sender:$sender_pw"; do
		u=${a%%:*}
		pw=${a#*:}
		echo "CREATE USER IF NOT EXISTS $u IDENTIFIED BY $(sql_str "$pw");"
		echo "ALTER USER $u IDENTIFIED BY $(sql_str "$pw");"
		echo "REVOKE ALL PRIVILEGES, GRANT OPTION FROM $u;"
	done
	grants "$web" \
	    users:SELECT,INSERT,UPDATE,DELETE \
	    recovery_codes:SELECT,INSERT,UPDATE,DELETE \
	    sessions:SELECT,INSERT,UPDATE,DELETE \
	    login_throttle:SELECT,INSERT,UPDATE,DELETE \
	    audit_log:SELECT,INSERT,UPDATE,DELETE \
	    ip_ranges:SELECT,INSERT,UPDATE,DELETE \
	    settings:SELECT,INSERT,UPDATE \
	    sending_domain:SELECT,INSERT,UPDATE,DELETE \
	    dkim_key:SELECT,INSERT,UPDATE,DELETE \
	    domain_profile:SELECT,INSERT,UPDATE,DELETE \
	    shaping_rule:SELECT,INSERT,UPDATE,DELETE \
	    shaping_state:SELECT \
	    shaping_lift:SELECT,INSERT \
	    message_payload:SELECT \
	    sending_window:SELECT \
	    sending_window_span:SELECT \
	    queue:SELECT \
	    sender_instance:SELECT \
	    delivery_event:SELECT \
	    suppression:SELECT,INSERT,DELETE \
	    alert:SELECT,UPDATE \
	    queue_message_id:SELECT
	grants "$sender" \
	    settings:SELECT \
	    sending_domain:SELECT \
	    dkim_key:SELECT \
	    domain_profile:SELECT \
	    shaping_rule:SELECT \
	    shaping_state:SELECT,INSERT,UPDATE,DELETE \
	    shaping_lift:SELECT,UPDATE,DELETE \
	    message_payload:SELECT \
	    sending_window:SELECT \
	    sending_window_span:SELECT \
	    queue:SELECT,UPDATE \
	    sender_instance:INSERT \
	    delivery_event:INSERT \
	    suppression:SELECT,INSERT,UPDATE \
	    alert:SELECT,INSERT,UPDATE
} | mariadb --no-defaults "$@" "$db"

cat <<EOF
# tegami-web (its configuration file):
db.name = $db
db.user = tegami_web
db.password = $web_pw
# tegami-sender (its configuration file):
db.name = $db
db.user = tegami_sender
db.password = $sender_pw
EOF
