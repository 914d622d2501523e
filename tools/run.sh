#!/usr/bin/env bash
# run.sh - `make run`: Tegami on this machine for a first look. Everything
# lives under var/ of the checkout and is reused by the next `make run`:
#
#	var/db/		private MariaDB (unix socket only)
#	var/web/	tegami.conf, secret keys, FastCGI socket, web.log
#	var/nginx/	nginx on 127.0.0.1:8080 (TEGAMI_PORT), logs
#	var/mail/	smtp-sink: every message tegami-sender delivers
#	var/sender/	tegami-sender's log (once the sender is built)
#
# The first run creates the administrator "admin" and prints its one-time
# password; TEGAMI_ALLOW=CIDR adds an installer range besides 127.0.0.1/32
# and ::1/128. Ctrl-C stops everything this script started.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export BUILD
VAR=$ROOT/var
PORT=${TEGAMI_PORT:-8080}
export SVC_DB_FLUSH=${SVC_DB_FLUSH:-2}

. "$ROOT/tools/services.sh"
trap 'echo; echo "make run: stopping"; svc_stop_all' EXIT
trap 'exit 0' INT TERM

die() {
	echo "make run: $*" >&2
	exit 1
}

for b in tegami tegami-web; do
	[ -x "$BUILD/$b" ] || die "$BUILD/$b is missing: run make all"
done
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
	die "127.0.0.1:$PORT is taken (another make run?); set TEGAMI_PORT"
fi
mkdir -p "$VAR" || die "cannot create $VAR"

svc_mariadb_start "$VAR/db" || die "MariaDB did not start"
svc_sink_start "$VAR/mail" "$(svc_free_port)" || die "smtp-sink did not start"
SVC_WEB_EXTRA="web.base_url = http://127.0.0.1:$PORT"
svc_web_start "$VAR/web" || die "tegami-web did not start"
svc_nginx_start "$VAR/nginx" "$PORT" || die "nginx did not start"

if "$BUILD/tegami-sender" --version >/dev/null 2>&1; then
	mkdir -p "$VAR/sender"
	"$BUILD/tegami-sender" -c "$TEGAMI_CONFIG" </dev/null \
	    >>"$VAR/sender/sender.log" 2>&1 &
	svc_track tegami-sender $!
	echo "make run: tegami-sender started (log var/sender/sender.log)," \
	    "delivering to smtp-sink 127.0.0.1:$TEGAMI_SINK_PORT"
else
	echo "make run: tegami-sender is not built yet; mail stays queued"
fi

echo
echo "URL: http://127.0.0.1:$PORT/"
if [ ! -e "$VAR/web/admin.created" ]; then
	if svc_first_admin; then
		if [ -n "${TEGAMI_ALLOW:-}" ]; then
			"$BUILD/tegami" ip allow "$TEGAMI_ALLOW" \
			    --label installer >/dev/null ||
			    echo "make run: could not allow $TEGAMI_ALLOW" >&2
		fi
		date -u +%FT%TZ > "$VAR/web/admin.created"
		echo "login: admin"
		echo "one-time password: $SVC_ADMIN_PASSWORD"
		echo "(you will choose a new password at the first sign-in)"
	else
		echo "make run: could not create the administrator;" \
		    "see the message above" >&2
	fi
else
	echo "The administrator \"admin\" exists (created" \
	    "$(cat "$VAR/web/admin.created"))."
	echo "Forgot the password? $BUILD/tegami -c var/web/tegami.conf" \
	    "user passwd admin"
fi
echo "Allowed ranges: $BUILD/tegami -c var/web/tegami.conf ip list"
echo "Mail sent lands in var/mail/sink/. Ctrl-C stops everything."

# Stay until Ctrl-C or until one of the servers stops by itself.
wait -n "${SVC_PIDS[@]}"
echo "make run: a server stopped by itself; see the logs under var/" >&2
exit 1
