# services.sh - private service instances for `make run`, `make test`, the
# benchmarks and the integration tests. Source it from bash:
#
#	. tools/services.sh
#	trap svc_stop_all EXIT
#	svc_mariadb_start "$dir/db"
#	svc_web_start "$dir/web"
#	svc_nginx_start "$dir/nginx" "$(svc_free_port)"
#
# Every server listens on loopback (or a unix socket) only, keeps its data,
# logs and pid file under the directory it is given, and is stopped by
# svc_stop_all. System services and /etc/mysql are never touched. Works as
# root (CI) and as a normal user.
#
# Exported variables:
#	TEGAMI_DB_SOCKET TEGAMI_DB_USER TEGAMI_DB_PASSWORD TEGAMI_DB_NAME
#					svc_mariadb_start
#	TEGAMI_CONFIG			svc_web_start (config file path)
#	TEGAMI_URL			svc_nginx_start (http://127.0.0.1:PORT)
#	TEGAMI_SINK_PORT TEGAMI_SINK_DIR svc_sink_start
#	TEGAMI_SENDER_DNS		svc_dns_start (127.0.0.1:PORT)
#	SVC_ADMIN_PASSWORD		svc_first_admin
#
# Knobs (environment, read when a function runs):
#	BUILD		build directory with the binaries (default build)
#	SVC_DB_FLUSH	innodb_flush_log_at_trx_commit (default 2; production
#			uses 1, see docs/testing.md)
#	SVC_DB_POOL	innodb_buffer_pool_size (default 256M)
#	SVC_DB_REDO	innodb_log_file_size (default 64M)
#	SVC_DB_QCACHE	query_cache_size for the screens' SQL_CACHE reads
#			(query_cache_type DEMAND; default 16M, 0 turns it off)
#	SVC_WEB_THREADS	web.threads (default 4)
#	SVC_NGINX_EXTRA	nginx config text inserted in the server block
#	SVC_NGINX_ACCESS_LOG  "off" or a path (default DIR/access.log)
#	SVC_NGINX_WORKERS worker_processes (default 2)
#	SVC_WAIT	seconds to wait for a server to answer (default 60)

# shellcheck shell=bash disable=SC2120
SVC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SVC_PIDS=()
SVC_NAMES=()

# svc_log MESSAGE... - a progress line on stderr.
svc_log() {
	printf 'services: %s\n' "$*" >&2
}

# svc_build_dir - the absolute build directory.
svc_build_dir() {
	local b=${BUILD:-build}
	case $b in
	/*) printf '%s\n' "$b" ;;
	*) printf '%s\n' "$SVC_ROOT/$b" ;;
	esac
}

# svc_is_root - true when running as uid 0.
svc_is_root() {
	[ "$(id -u)" = 0 ]
}

# svc_track NAME PID - remember a process for svc_stop_all.
svc_track() {
	SVC_NAMES+=("$1")
	SVC_PIDS+=("$2")
}

# svc_free_port - prints a TCP port free on 127.0.0.1 (and unused for UDP).
svc_free_port() {
	python3 - <<'EOF'
import socket
while True:
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.bind(("127.0.0.1", 0))
    port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port))
    except OSError:
        t.close()
        continue
    u.close()
    t.close()
    print(port)
    break
EOF
}

# svc_wait_for SECONDS PID TEST... - runs TEST until it succeeds; fails when
# PID dies or the time is up.
svc_wait_for() {
	local secs=$1 pid=$2 i
	shift 2
	for ((i = 0; i < secs * 10; i++)); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			return 1
		fi
		sleep 0.1
	done
	return 1
}

# svc_stop PID NAME - TERM, then KILL after 20 s.
svc_stop() {
	local pid=$1 name=$2 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 200; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		svc_log "$name (pid $pid) did not stop, killing"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	return 0
}

# svc_stop_all - stops every server started by this shell, newest first.
svc_stop_all() {
	local i
	for ((i = ${#SVC_PIDS[@]} - 1; i >= 0; i--)); do
		svc_stop "${SVC_PIDS[$i]}" "${SVC_NAMES[$i]}"
	done
	SVC_PIDS=()
	SVC_NAMES=()
}

# svc_secret_file PATH - 32 random bytes, mode 0400, created once.
svc_secret_file() {
	[ -s "$1" ] && return 0
	(umask 077 && head -c 32 /dev/urandom > "$1") || return 1
	chmod 0400 "$1"
}

# svc_db_admin - the MariaDB account with all rights over the private server
# (unix_socket authentication: root, or the user who installed it).
svc_db_admin() {
	if svc_is_root; then
		echo root
	else
		id -un
	fi
}

# svc_sql [mariadb args...] - runs the mariadb client as the administrator
# of the private server started by svc_mariadb_start (SQL on stdin or -e).
svc_sql() {
	mariadb --no-defaults --socket="$TEGAMI_DB_SOCKET" \
	    -u "$(svc_db_admin)" "$@"
}

# svc_mariadb_start DIR - a private mariadbd on DIR/mysqld.sock, no TCP.
svc_mariadb_start() {
	local dir=$1 admin user_opt=() pid pw
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd)
	admin=$(svc_db_admin)
	svc_is_root && user_opt=(--user=root)
	if [ ! -d "$dir/mysql/mysql" ]; then
		svc_log "mariadb: creating $dir/mysql"
		rm -rf "$dir/mysql"
		if ! mariadb-install-db --no-defaults "${user_opt[@]}" \
		    --datadir="$dir/mysql" --skip-test-db \
		    --auth-root-authentication-method=socket \
		    >"$dir/install.log" 2>&1; then
			svc_log "mariadb-install-db failed, see $dir/install.log"
			tail -n 20 "$dir/install.log" >&2
			return 1
		fi
	fi
	if [ -S "$dir/mysqld.sock" ] && mariadb-admin --no-defaults \
	    --socket="$dir/mysqld.sock" -u "$admin" ping >/dev/null 2>&1; then
		svc_log "mariadb: a server already answers on $dir/mysqld.sock"
		return 1
	fi
	rm -f "$dir/mysqld.sock" "$dir/mysqld.pid"
	PATH=$PATH:/usr/sbin mariadbd --no-defaults "${user_opt[@]}" \
	    --datadir="$dir/mysql" \
	    --socket="$dir/mysqld.sock" \
	    --pid-file="$dir/mysqld.pid" \
	    --log-error="$dir/mysqld.err" \
	    --skip-networking \
	    --character-set-server=utf8mb4 \
	    --collation-server=utf8mb4_unicode_ci \
	    --innodb-buffer-pool-size="${SVC_DB_POOL:-256M}" \
	    --innodb-log-file-size="${SVC_DB_REDO:-64M}" \
	    --innodb-flush-log-at-trx-commit="${SVC_DB_FLUSH:-2}" \
	    --query-cache-type=DEMAND \
	    --query-cache-size="${SVC_DB_QCACHE:-16M}" \
	    --max-connections=300 \
	    </dev/null >/dev/null 2>&1 &
	pid=$!
	svc_track mariadbd "$pid"
	if ! svc_wait_for "${SVC_WAIT:-60}" "$pid" mariadb-admin --no-defaults \
	    --socket="$dir/mysqld.sock" -u "$admin" ping; then
		svc_log "mariadbd did not start, see $dir/mysqld.err"
		tail -n 20 "$dir/mysqld.err" >&2
		return 1
	fi
	if [ ! -s "$dir/db.password" ]; then
		(umask 077 && head -c 24 /dev/urandom | base64 |
		    tr -d '/+=\n' > "$dir/db.password") || return 1
	fi
	pw=$(cat "$dir/db.password")
	export TEGAMI_DB_SOCKET=$dir/mysqld.sock
	export TEGAMI_DB_USER=tegami
	export TEGAMI_DB_PASSWORD=$pw
	export TEGAMI_DB_NAME=tegami
	if ! svc_sql <<EOF
CREATE DATABASE IF NOT EXISTS tegami
    CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'tegami'@'localhost' IDENTIFIED BY '$pw';
ALTER USER 'tegami'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON tegami.* TO 'tegami'@'localhost';
EOF
	then
		svc_log "mariadb: could not create database and user"
		return 1
	fi
	svc_log "mariadb: ready on $dir/mysqld.sock (pid $pid)"
}

# svc_web_config DIR - writes DIR/tegami.conf from the exported variables.
svc_web_config() {
	local dir=$1
	{
		echo "# Written by tools/services.sh; edited copies are overwritten."
		echo "db.socket = $TEGAMI_DB_SOCKET"
		echo "db.name = ${TEGAMI_DB_NAME:-tegami}"
		echo "db.user = ${TEGAMI_DB_USER:-tegami}"
		echo "db.password = ${TEGAMI_DB_PASSWORD:-}"
		echo "web.socket = $dir/web.sock"
		echo "web.threads = ${SVC_WEB_THREADS:-4}"
		echo "web.templates = $SVC_ROOT/templates"
		echo "secret.key_file = $dir/secret.key"
		echo "sender.key_file = $dir/sender.key"
		if [ -n "${TEGAMI_SINK_PORT:-}" ]; then
			echo "sender.smarthost = 127.0.0.1:$TEGAMI_SINK_PORT"
		fi
		if [ -n "${TEGAMI_SENDER_DNS:-}" ]; then
			echo "sender.dns = $TEGAMI_SENDER_DNS"
		fi
		if [ -n "${SVC_WEB_EXTRA:-}" ]; then
			printf '%s\n' "$SVC_WEB_EXTRA"
		fi
	} > "$dir/tegami.conf.new" && mv "$dir/tegami.conf.new" \
	    "$dir/tegami.conf"
	chmod 0600 "$dir/tegami.conf"
}

# svc_web_account DIR - the tegami_web account (tools/db-accounts.sh, the
# password kept in DIR/web.db.password) and DIR/web.conf: tegami.conf with
# that account.
svc_web_account() {
	local dir=$1 pw
	if [ ! -s "$dir/web.db.password" ]; then
		(umask 077 && head -c 24 /dev/urandom | base64 |
		    tr -d '/+=\n' > "$dir/web.db.password") || return 1
	fi
	pw=$(cat "$dir/web.db.password")
	if ! TEGAMI_WEB_DB_PASSWORD=$pw "$SVC_ROOT/tools/db-accounts.sh" \
	    --db "${TEGAMI_DB_NAME:-tegami}" -- --socket="$TEGAMI_DB_SOCKET" \
	    -u "$(svc_db_admin)" >"$dir/accounts.log" 2>&1; then
		svc_log "tools/db-accounts.sh failed, see $dir/accounts.log"
		return 1
	fi
	sed -e "s/^db.user = .*/db.user = tegami_web/" \
	    -e "s/^db.password = .*/db.password = $pw/" \
	    "$dir/tegami.conf" > "$dir/web.conf" || return 1
	chmod 0600 "$dir/web.conf"
}

# svc_web_start DIR - configures, migrates and starts tegami-web on
# DIR/web.sock (log DIR/web.log), under its own database account unless
# SVC_WEB_OWN_ACCOUNT=0.
svc_web_start() {
	local dir=$1 build pid conf
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd)
	build=$(svc_build_dir)
	svc_secret_file "$dir/secret.key" || return 1
	svc_secret_file "$dir/sender.key" || return 1
	svc_web_config "$dir" || return 1
	export TEGAMI_CONFIG=$dir/tegami.conf
	if ! "$build/tegami" -c "$dir/tegami.conf" migrate \
	    >"$dir/migrate.log" 2>&1; then
		svc_log "tegami migrate failed, see $dir/migrate.log"
		tail -n 20 "$dir/migrate.log" >&2
		return 1
	fi
	rm -f "$dir/web.sock"
	conf=$dir/tegami.conf
	if [ "${SVC_WEB_OWN_ACCOUNT:-1}" = 1 ]; then
		# tegami-web under its production account (tools/
		# db-accounts.sh); tegami.conf stays the schema owner's, for
		# migrate, the CLI and the tests' own SQL.
		svc_web_account "$dir" || return 1
		conf=$dir/web.conf
	fi
	"$build/tegami-web" -c "$conf" </dev/null \
	    >>"$dir/web.log" 2>&1 &
	pid=$!
	svc_track tegami-web "$pid"
	echo "$pid" > "$dir/web.pid"
	if ! svc_wait_for "${SVC_WAIT:-60}" "$pid" test -S "$dir/web.sock"; then
		svc_log "tegami-web did not start, see $dir/web.log"
		tail -n 20 "$dir/web.log" >&2
		return 1
	fi
	svc_log "tegami-web: ready on $dir/web.sock (pid $pid)"
}

# svc_nginx_render DIR PORT SOCKET - writes DIR/nginx.conf from
# nginx/tegami.conf.in.
svc_nginx_render() {
	local dir=$1 port=$2 sock=$3 t user_line access
	t=$(cat "$SVC_ROOT/nginx/tegami.conf.in") || return 1
	shopt -u patsub_replacement 2>/dev/null
	if svc_is_root; then
		# The sockets and data live in root-only folders.
		user_line="user root root;"
	else
		user_line="# (not root: workers run as $(id -un))"
	fi
	access=${SVC_NGINX_ACCESS_LOG:-$dir/access.log}
	t=${t//@USER_LINE@/$user_line}
	t=${t//@WORKERS@/${SVC_NGINX_WORKERS:-2}}
	t=${t//@DIR@/$dir}
	t=${t//@LISTEN@/127.0.0.1}
	t=${t//@LISTEN2@/127.0.0.2}
	t=${t//@PORT@/$port}
	t=${t//@FCGI_SOCKET@/$sock}
	t=${t//@ROOT@/$SVC_ROOT}
	t=${t//@ACCESS_LOG@/$access}
	t=${t//@BODY_MAX@/${SVC_NGINX_BODY_MAX:-40m}}
	t=${t//@EXTRA@/${SVC_NGINX_EXTRA:-}}
	printf '%s\n' "$t" > "$dir/nginx.conf"
}

# svc_nginx_start DIR PORT [FCGI_SOCKET] - nginx on 127.0.0.1:PORT and
# 127.0.0.2:PORT in front of tegami-web (socket default: the one in
# $TEGAMI_CONFIG's folder).
svc_nginx_start() {
	local dir=$1 port=$2 sock=${3:-} pid
	mkdir -p "$dir/tmp" || return 1
	dir=$(cd "$dir" && pwd)
	if [ -z "$sock" ]; then
		sock=$(sed -n 's/^web\.socket *= *//p' "$TEGAMI_CONFIG" \
		    2>/dev/null)
	fi
	[ -n "$sock" ] || { svc_log "nginx: no FastCGI socket"; return 1; }
	svc_nginx_render "$dir" "$port" "$sock" || return 1
	if ! nginx -t -q -c "$dir/nginx.conf" -p "$dir/" \
	    -e "$dir/error.log" >"$dir/nginx-t.log" 2>&1; then
		svc_log "nginx: bad configuration $dir/nginx.conf"
		cat "$dir/nginx-t.log" >&2
		return 1
	fi
	nginx -c "$dir/nginx.conf" -p "$dir/" -e "$dir/error.log" \
	    -g 'daemon off;' </dev/null >>"$dir/nginx.out" 2>&1 &
	pid=$!
	svc_track nginx "$pid"
	if ! svc_wait_for "${SVC_WAIT:-60}" "$pid" curl -s -o /dev/null \
	    "http://127.0.0.1:$port/static/"; then
		svc_log "nginx did not start, see $dir/error.log"
		tail -n 20 "$dir/error.log" >&2
		return 1
	fi
	export TEGAMI_URL=http://127.0.0.1:$port
	svc_log "nginx: ready on $TEGAMI_URL and 127.0.0.2:$port (pid $pid)"
}

# svc_sink_start DIR PORT - smtp-sink on 127.0.0.1:PORT writing every
# message to DIR/sink/YYYYMMDDHH/MM.<random>. SVC_SINK_OPTS adds options
# (e.g. "-c" for counters on DIR/sink.out, "-w 1" to delay).
svc_sink_start() {
	local dir=$1 port=$2 pid user
	mkdir -p "$dir/sink" || return 1
	dir=$(cd "$dir" && pwd)
	user=
	# -u is required as root (the dump folder is root's); a normal user
	# may not use it (setgroups fails).
	svc_is_root && user=root
	# shellcheck disable=SC2086
	smtp-sink ${user:+-u "$user"} -d "$dir/sink/%Y%m%d%H/%M." -h sink.test \
	    ${SVC_SINK_OPTS:-} "127.0.0.1:$port" 1024 </dev/null \
	    >>"$dir/sink.out" 2>>"$dir/sink.err" &
	pid=$!
	svc_track smtp-sink "$pid"
	if ! svc_wait_for "${SVC_WAIT:-60}" "$pid" bash -c \
	    "exec 3<>/dev/tcp/127.0.0.1/$port"; then
		svc_log "smtp-sink did not start, see $dir/sink.err"
		return 1
	fi
	export TEGAMI_SINK_PORT=$port
	export TEGAMI_SINK_DIR=$dir/sink
	svc_log "smtp-sink: ready on 127.0.0.1:$port, mail in $dir/sink"
}

# svc_sink_count [SINKDIR] - prints how many messages the sink has written.
svc_sink_count() {
	find "${1:-$TEGAMI_SINK_DIR}" -type f 2>/dev/null | wc -l
}

# svc_dns_start DIR PORT FILE - dnsmasq on 127.0.0.1:PORT (UDP and TCP)
# answering only from FILE: lines like
#	--mx-host=example.test,mx.example.test,10
#	--host-record=mx.example.test,127.0.0.1
#	--txt-record=example.test,"v=spf1 ip4:127.0.0.1 -all"
# (the leading "--" is optional; '#' lines are comments).
svc_dns_start() {
	local dir=$1 port=$2 file=$3 pid user_opt=()
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd)
	sed -e 's/^[[:space:]]*--//' -e '/^[[:space:]]*#/d' \
	    -e '/^[[:space:]]*$/d' "$file" > "$dir/dnsmasq.conf" || return 1
	svc_is_root && user_opt=(--user=root --group=root)
	PATH=$PATH:/usr/sbin dnsmasq --keep-in-foreground --no-resolv \
	    --no-hosts --no-poll --conf-file="$dir/dnsmasq.conf" \
	    --listen-address=127.0.0.1 --bind-interfaces --port="$port" \
	    --pid-file="$dir/dnsmasq.pid" --log-facility="$dir/dnsmasq.log" \
	    --log-queries "${user_opt[@]}" </dev/null \
	    >>"$dir/dnsmasq.out" 2>&1 &
	pid=$!
	svc_track dnsmasq "$pid"
	if ! svc_wait_for "${SVC_WAIT:-60}" "$pid" bash -c \
	    "exec 3<>/dev/tcp/127.0.0.1/$port"; then
		svc_log "dnsmasq did not start, see $dir/dnsmasq.out"
		cat "$dir/dnsmasq.out" >&2
		return 1
	fi
	export TEGAMI_SENDER_DNS=127.0.0.1:$port
	svc_log "dnsmasq: ready on $TEGAMI_SENDER_DNS"
}

# svc_user_add LOGIN ROLE - creates a user with the CLI and prints its
# one-time password.
svc_user_add() {
	local out pw
	out=$("$(svc_build_dir)/tegami" user add "$1" --role "$2") || {
		svc_log "tegami user add $1 failed"
		return 1
	}
	pw=$(printf '%s\n' "$out" | sed -n 's/^password: *//p' | head -n 1)
	[ -n "$pw" ] || { svc_log "tegami user add printed no password"; \
	    return 1; }
	printf '%s\n' "$pw"
}

# svc_first_admin - the administrator "admin" (one-time password in
# SVC_ADMIN_PASSWORD) and the installer's ranges 127.0.0.1/32 and ::1/128.
svc_first_admin() {
	local tegami
	tegami=$(svc_build_dir)/tegami
	SVC_ADMIN_PASSWORD=$(svc_user_add admin admin) || return 1
	export SVC_ADMIN_PASSWORD
	"$tegami" ip allow 127.0.0.1/32 --label installer >/dev/null &&
	    "$tegami" ip allow ::1/128 --label installer >/dev/null || {
		svc_log "tegami ip allow failed"
		return 1
	}
}
