# shellcheck shell=bash
# lib.sh - shell helpers shared by bench/sender/run.sh and the sender
# integration tests (tests/integration/sender_*.sh): a private, migrated
# MariaDB with a sender configuration, a private Postfix relay (optionally
# signing with OpenDKIM over a unix-socket milter), and counting captured
# messages by Message-ID. Source after tools/services.sh.
#
#	q_setup DIR SMARTHOST	MariaDB under DIR/db, DIR/tegami.conf, keys
#				(Q_SENDER_ID: sender.id, "" for host:pid;
#				Q_CONF_EXTRA: more configuration lines)
#	q_tegami ARGS...	the CLI with DIR/tegami.conf
#	q_sender_start [ARGS]	tegami-sender in the background (Q_SENDER_PID)
#	q_keys_file FILE	DNS TXT records of every DKIM key, for verifiers
#	q_msgids DIR		Message-ID of every captured file, one a line
#	q_sink_start DIR	capturing smtp-sink under DIR on a free port
#				(sets sinkport and SINK)
#	q_web_start DIR		tegami-web + nginx on Q_DIR's database
#	q_sql1 SQL		one value from the tegami database
#	q_smarthost HOST:PORT	points sender.smarthost there
#	q_smarthost_port FILE [S]	waits (S s, default 10) for a test
#				peer's port file, points the smarthost at it
#	q_peer_stop PID		stops a test peer and reaps it
#	pf_setup DIR PORT RELAYPORT [dkim]	a private Postfix (+ OpenDKIM)
#	pf_start / pf_stop
#
# Postfix and OpenDKIM need root (they change to their own users).

Q_DIR=
Q_SENDER_PID=

q_setup() {
	local dir=$1 smarthost=$2
	mkdir -p "$dir" || return 1
	Q_DIR=$(cd "$dir" && pwd)
	# mariadb-install-db now and then trips over another one's temporary
	# table in /tmp on a busy machine: one more try from scratch.
	if ! svc_mariadb_start "$Q_DIR/db" >"$Q_DIR/services.log" 2>&1; then
		svc_stop_all
		rm -rf "$Q_DIR/db"
		sleep 1
		svc_mariadb_start "$Q_DIR/db" >>"$Q_DIR/services.log" 2>&1 ||
		    return 1
	fi
	svc_secret_file "$Q_DIR/sender.key" || return 1
	cat > "$Q_DIR/tegami.conf" <<CONF
db.socket = $TEGAMI_DB_SOCKET
db.name = $TEGAMI_DB_NAME
db.user = $TEGAMI_DB_USER
db.password = $TEGAMI_DB_PASSWORD
sender.key_file = $Q_DIR/sender.key
sender.smarthost = $smarthost
sender.helo = sender.test
sender.id = ${Q_SENDER_ID-sender-test}
${Q_CONF_EXTRA:-}
CONF
	chmod 0600 "$Q_DIR/tegami.conf"
	"$(svc_build_dir)/tegami" -c "$Q_DIR/tegami.conf" migrate \
	    >"$Q_DIR/migrate.log" 2>&1
}

q_tegami() {
	"$(svc_build_dir)/tegami" -c "$Q_DIR/tegami.conf" "$@"
}

# q_sender_start [ARGS...] - log in $Q_DIR/sender.log (appended).
q_sender_start() {
	"$(svc_build_dir)/tegami-sender" -c "$Q_DIR/tegami.conf" "$@" \
	    </dev/null >>"$Q_DIR/sender.log" 2>&1 &
	Q_SENDER_PID=$!
	svc_track tegami-sender "$Q_SENDER_PID"
}

# q_sender_wait SECONDS - waits for the sender to exit; 0 when it did.
q_sender_wait() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		kill -0 "$Q_SENDER_PID" 2>/dev/null || {
			wait "$Q_SENDER_PID" 2>/dev/null
			return 0
		}
		sleep 0.1
	done
	return 1
}

# q_sink_start DIR - smtp-sink capturing every message under DIR/sink, on
# a free port (sinkport); SINK is that folder. Its start log: DIR-start.log.
q_sink_start() {
	sinkport=$(svc_free_port)
	SINK=$1/sink
	svc_sink_start "$1" "$sinkport" 2>"$1-start.log"
}

# q_web_start DIR - tegami-web and nginx (free port) under DIR/web and
# DIR/nginx on the database q_setup made; their log: DIR/services.log.
q_web_start() {
	svc_web_start "$1/web" >>"$1/services.log" 2>&1 &&
	    svc_nginx_start "$1/nginx" "$(svc_free_port)" \
	    >>"$1/services.log" 2>&1
}

# q_sql1 SQL - the value(s) SQL selects from the tegami database, bare.
q_sql1() {
	svc_sql -N tegami -e "$1"
}

# q_smarthost HOST:PORT - where the sender of $Q_DIR/tegami.conf relays.
q_smarthost() {
	sed -i "s/^sender.smarthost = .*/sender.smarthost = $1/" \
	    "$Q_DIR/tegami.conf"
}

# q_smarthost_port FILE [SECONDS] - waits for a test peer to write its
# port to FILE (default 10 s), then relays through 127.0.0.1:PORT.
q_smarthost_port() {
	local i
	for ((i = 0; i < ${2:-10} * 10; i++)); do
		[ -s "$1" ] && break
		sleep 0.1
	done
	q_smarthost "127.0.0.1:$(cat "$1" 2>/dev/null)"
}

# q_peer_stop PID - stops a test peer started in the background.
q_peer_stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# q_state STATE - rows of the queue in STATE.
q_state() {
	q_tegami queue status | awk -v s="$1" '$1 == s { print $2 }'
}

q_keys_file() {
	svc_sql -N tegami -e "SELECT CONCAT(k.selector, '._domainkey.', \
	    d.name), k.public_txt FROM dkim_key k JOIN sending_domain d \
	    ON d.id = k.domain_id" |
	    awk -F'\t' '{ printf "%s TXT \"%s\"\n", $1, $2 }' > "$1"
}

q_msgids() {
	find "$1" -type f -print0 | xargs -0 -r grep -h -i -m1 \
	    '^Message-ID:' | tr -d '\r' | awk '{ print $2 }'
}

# --- Postfix ------------------------------------------------------------------
PF_DIR=
PF_LOGS=
PF_CFG=
PF_PORT=
PF_DKIM=
PF_DKIM_PID=

# pf_setup DIR PORT RELAYPORT [dkim] - logs are copied to DIR at pf_stop.
# Postfix's own users must reach its queue, and test directories are often
# 0700: the instance lives under /var/tmp (a disk, as in production).
pf_setup() {
	local dir=$1 port=$2 relay=$3 dkim=${4:-}
	mkdir -p "$dir" || return 1
	PF_LOGS=$(cd "$dir" && pwd)
	PF_DIR=$(mktemp -d /var/tmp/tegami-postfix.XXXXXX) || return 1
	chmod 755 "$PF_DIR"
	PF_PORT=$port
	PF_CFG=$PF_DIR/etc
	rm -rf "$PF_DIR/spool" "$PF_DIR/data" "$PF_CFG"
	mkdir -p "$PF_CFG" "$PF_DIR/spool" "$PF_DIR/data" || return 1
	chown postfix:postfix "$PF_DIR/data"
	cat > "$PF_CFG/main.cf" <<CF
compatibility_level = 3.6
config_directory = $PF_CFG
queue_directory = $PF_DIR/spool
data_directory = $PF_DIR/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = relay.sender.test
mydomain = sender.test
myorigin = sender.test
mydestination =
local_recipient_maps =
local_transport = error:no local delivery here
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions =
relayhost = [127.0.0.1]:$relay
default_destination_concurrency_limit = 50
smtp_destination_concurrency_limit = 50
default_process_limit = 100
smtp_connection_cache_on_demand = yes
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtp_dns_support_level = disabled
biff = no
append_dot_mydomain = no
maillog_file = $PF_DIR/maillog
maillog_file_prefixes = /var, /dev/stdout, /tmp, /run
CF
	cat > "$PF_CFG/master.cf" <<CF
127.0.0.1:$port inet n -  n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CF
	if [ "$dkim" = dkim ]; then
		pf_dkim_setup || return 1
		# shellcheck disable=SC2016 # a Postfix $variable, not ours
		postconf -c "$PF_CFG" -e \
		    "smtpd_milters=unix:$PF_DKIM/sock/opendkim.sock" \
		    'non_smtpd_milters=$smtpd_milters' \
		    milter_default_action=tempfail milter_protocol=6
	fi
	postfix -c "$PF_CFG" check
}

# OpenDKIM refuses keys below a world-writable directory such as /tmp:
# its files live under /run.
pf_dkim_setup() {
	PF_DKIM=/run/tegami-bench-dkim.$$
	rm -rf "$PF_DKIM"
	mkdir -p "$PF_DKIM/sock" && chmod 755 "$PF_DKIM" || return 1
	opendkim-genkey -b 2048 -d bench.test -s bench -D "$PF_DKIM" \
	    >/dev/null || return 1
	chown opendkim:opendkim "$PF_DKIM/bench.private" "$PF_DKIM/sock"
	chmod 600 "$PF_DKIM/bench.private"
	cat > "$PF_DKIM/opendkim.conf" <<CF
Syslog			no
Background		no
Mode			s
Domain			bench.test
Selector		bench
KeyFile			$PF_DKIM/bench.private
Canonicalization	relaxed/relaxed
SignatureAlgorithm	rsa-sha256
Socket			local:$PF_DKIM/sock/opendkim.sock
UMask			000
InternalHosts		127.0.0.1
UserID			opendkim:opendkim
CF
}

pf_start() {
	local i
	if [ -n "${PF_DKIM:-}" ]; then
		rm -f "$PF_DKIM/sock/opendkim.sock"
		opendkim -f -x "$PF_DKIM/opendkim.conf" \
		    >"$PF_DIR/opendkim.log" 2>&1 &
		PF_DKIM_PID=$!
		svc_track opendkim "$PF_DKIM_PID"
		for i in $(seq 1 100); do
			[ -S "$PF_DKIM/sock/opendkim.sock" ] && break
			sleep 0.1
		done
	fi
	postfix -c "$PF_CFG" start >"$PF_DIR/start.log" 2>&1 || return 1
	for i in $(seq 1 100); do
		bash -c "exec 3<>/dev/tcp/127.0.0.1/$PF_PORT" 2>/dev/null &&
		    return 0
		sleep 0.1
	done
	return 1
}

pf_stop() {
	[ -n "$PF_CFG" ] || return 0
	postfix -c "$PF_CFG" stop >/dev/null 2>&1 || true
	if [ -n "${PF_DKIM_PID:-}" ]; then
		kill "$PF_DKIM_PID" 2>/dev/null
		wait "$PF_DKIM_PID" 2>/dev/null
		PF_DKIM_PID=
	fi
	[ -n "${PF_DKIM:-}" ] && rm -rf "$PF_DKIM"
	PF_DKIM=
	PF_CFG=
	cp "$PF_DIR"/*.log "$PF_DIR/maillog" "$PF_LOGS/" 2>/dev/null
	case $PF_DIR in /var/tmp/tegami-postfix.*) rm -rf "$PF_DIR" ;; esac
}

# pf_queue - messages still in the Postfix queue.
pf_queue() {
	find "$PF_DIR/spool/incoming" "$PF_DIR/spool/active" \
	    "$PF_DIR/spool/deferred" "$PF_DIR/spool/maildrop" -type f \
	    2>/dev/null | wc -l
}
