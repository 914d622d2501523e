# lib.sh - helpers for integration tests written in bash. Source it:
#
#	#!/usr/bin/env bash
#	. "$(dirname "$0")/lib.sh"
#	t_init mytest			# $T_DIR = $TEGAMI_TEST_TMP/mytest
#	http_get /healthz
#	t_check "healthz answers" [ "$HTTP_STATUS" = 200 ]
#	t_done				# exit status: 1 when a check failed
#
# Every check prints "ok - <test>: <name>" or "not ok - <test>: <name>: why".
# Services come from tests/run.sh (see tools/services.sh): TEGAMI_URL,
# TEGAMI_CONFIG, TEGAMI_DB_*, TEGAMI_SINK_PORT, TEGAMI_SINK_DIR,
# TEGAMI_SENDER_DNS, TEGAMI_ADMIN_LOGIN/TEGAMI_ADMIN_PASSWORD (the first
# administrator's one-time password: a test that signs in with it must
# change it; prefer `t_user_add` for a user of your own).

# shellcheck shell=bash disable=SC2034
T_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$T_ROOT/$BUILD ;; esac
T_NAME=${T_NAME:-$(basename "$0" | sed 's/\.[a-z]*$//')}
T_FAILED=0
T_PASSED=0
T_DIR=

. "$T_ROOT/tools/services.sh"

# t_init NAME - names the test, makes $T_DIR and stops any service the test
# starts (svc_*) when it exits.
t_init() {
	T_NAME=$1
	T_DIR=${TEGAMI_TEST_TMP:-/tmp/tegami-it}/$T_NAME
	mkdir -p "$T_DIR"
	trap svc_stop_all EXIT
}

t_ok() {
	T_PASSED=$((T_PASSED + 1))
	printf 'ok - %s: %s\n' "$T_NAME" "$1"
}

# t_fail NAME WHY
t_fail() {
	T_FAILED=$((T_FAILED + 1))
	printf 'not ok - %s: %s: %s\n' "$T_NAME" "$1" "${2:-failed}"
}

# t_check NAME CMD... - ok when CMD succeeds.
t_check() {
	local name=$1
	shift
	if "$@"; then
		t_ok "$name"
	else
		t_fail "$name" "command failed: $*"
	fi
}

# t_eq NAME GOT WANT
t_eq() {
	if [ "$2" = "$3" ]; then
		t_ok "$1"
	else
		t_fail "$1" "got \"$2\", want \"$3\""
	fi
}

# t_contains NAME FILE TEXT - FILE holds TEXT (fixed string).
t_contains() {
	if grep -qF -- "$3" "$2"; then
		t_ok "$1"
	else
		t_fail "$1" "\"$3\" not in $2"
	fi
}

# t_need VAR... - fails the test at once when a variable is unset.
t_need() {
	local v
	for v in "$@"; do
		if [ -z "${!v:-}" ]; then
			t_fail "environment" "$v is not set (run from tests/run.sh)"
			t_done
		fi
	done
}

# t_done - exits 1 when any check failed.
t_done() {
	[ "$T_FAILED" = 0 ] && exit 0
	exit 1
}

# t_queue DIR SMARTHOST - a private, migrated MariaDB and a sender
# configuration in DIR (q_setup of bench/sender/lib.sh, which the test
# sources; Q_* settings pass through), or the test stops with the reason.
t_queue() {
	q_setup "$@" && return 0
	t_fail "setup" "MariaDB or migrate failed (see $1)"
	t_done
}

# tegami ARGS... - the CLI of the build under test.
tegami() {
	"$BUILD/tegami" "$@"
}

# t_user_add LOGIN ROLE - creates a user; prints the one-time password.
t_user_add() {
	svc_user_add "$1" "$2"
}

# --- HTTP through nginx -------------------------------------------------------
# Each call sets HTTP_STATUS, HTTP_BODY (file) and HTTP_HEADERS (file).
# HTTP_JAR is the cookie jar (default $T_DIR/cookies); HTTP_CURL_OPTS adds
# curl options (e.g. "--interface 127.0.0.2").

HTTP_STATUS=
HTTP_BODY=
HTTP_HEADERS=

http_jar() {
	printf '%s\n' "${HTTP_JAR:-${T_DIR:-/tmp}/cookies}"
}

# http_req METHOD PATH [curl args...]
http_req() {
	local method=$1 path=$2 url
	shift 2
	HTTP_BODY=${T_DIR:-/tmp}/body
	HTTP_HEADERS=${T_DIR:-/tmp}/headers
	case $path in
	http://*|https://*) url=$path ;;
	*) url=$TEGAMI_URL$path ;;
	esac
	# shellcheck disable=SC2086
	HTTP_STATUS=$(curl -s -X "$method" -b "$(http_jar)" -c "$(http_jar)" \
	    -D "$HTTP_HEADERS" -o "$HTTP_BODY" -w '%{http_code}' \
	    --max-time 60 ${HTTP_CURL_OPTS:-} "$@" "$url")
}

http_get() {
	http_req GET "$@"
}

# http_post PATH FIELD=VALUE... - a form post (urlencoded); the csrf field
# is added from the last page fetched unless given.
http_post() {
	local path=$1 args=() f have_csrf=0
	shift
	for f in "$@"; do
		case $f in csrf=*) have_csrf=1 ;; esac
		args+=(--data-urlencode "$f")
	done
	if [ "$have_csrf" = 0 ] && [ -n "${HTTP_CSRF:-}" ]; then
		args+=(--data-urlencode "csrf=$HTTP_CSRF")
	fi
	http_req POST "$path" "${args[@]}"
}

# http_csrf - the csrf field of the last page (also kept in HTTP_CSRF).
http_csrf() {
	HTTP_CSRF=$(sed -n 's/.*name="csrf"[^>]*value="\([^"]*\)".*/\1/p' \
	    "$HTTP_BODY" | head -n 1)
	if [ -z "$HTTP_CSRF" ]; then
		HTTP_CSRF=$(sed -n \
		    's/.*value="\([^"]*\)"[^>]*name="csrf".*/\1/p' \
		    "$HTTP_BODY" | head -n 1)
	fi
	printf '%s\n' "$HTTP_CSRF"
}

# http_header NAME - a header of the last response (first match).
http_header() {
	grep -i "^$1:" "$HTTP_HEADERS" | head -n 1 |
	    sed 's/^[^:]*: *//' | tr -d '\r'
}

# web_login LOGIN PASSWORD - signs in (GET /login for the pre-session token,
# then POST); HTTP_STATUS is the POST's (303 on success).
web_login() {
	http_get /login
	http_csrf >/dev/null
	http_post /login "login=$1" "password=$2"
}

# web_page PATH - GET PATH and keep its csrf token for the next post.
web_page() {
	http_get "$1"
	http_csrf >/dev/null
}
