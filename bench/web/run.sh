#!/usr/bin/env bash
# run.sh - web benchmark (docs/benchmarks.md): the same nginx serves a
# 612-byte static file, a FastCGI hello world (fcgi_hello.c, the floor of
# any libfcgi program) and tegami-web; wrk measures each in turn and the
# figures are printed as ratios against the floor measured in this run.
#
#	targets	static		nginx alone, /bench/static.html
#		hello		nginx -> fcgi_hello, /hello/
#		login		nginx -> tegami-web, GET /login (no database)
#		users		nginx -> tegami-web, GET /admin/users signed in
#				(session, IP allow-list and users read from
#				MariaDB)
#
# Knobs: BUILD (default build), BENCH_WRK="-t2 -c64 -d10s", BENCH_RUNS
# (rounds over all targets, medians reported; default 5), BENCH_THREADS
# (threads of both FastCGI programs, default 4), QUIET_WAIT / QUIET_PCT
# (wait up to QUIET_WAIT s for a second with less than QUIET_PCT % of the
# CPU busy; default 10 / 15).
# Results: var/bench/web-<stamp>.tsv (metric, value, unit, note); the work
# folder in /tmp is removed unless BENCH_KEEP=1.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export BUILD
WRK_ARGS=${BENCH_WRK:-"-t2 -c64 -d10s"}
RUNS=${BENCH_RUNS:-5}
THREADS=${BENCH_THREADS:-4}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/var/bench
TSV=$OUT/web-$STAMP.tsv
W=$(mktemp -d "${TMPDIR:-/tmp}/tegami-bench-web.XXXXXX") || exit 2
mkdir -p "$OUT" "$W/html/bench"

. "$ROOT/tools/services.sh"
# The work folder goes at exit; BENCH_KEEP=1 keeps it (logs, wrk output).
trap 'svc_stop_all; if [ "${BENCH_KEEP:-0}" = 1 ]; then
	rm -rf "$W/db/mysql"; echo "bench/web: work folder $W"
else rm -rf "$W"; fi' EXIT
trap 'exit 130' INT TERM

die() {
	echo "bench/web: $*" >&2
	exit 1
}

for t in wrk nginx curl cc; do
	command -v "$t" >/dev/null || die "$t is missing (tools/deps.sh)"
done

# --- the floor: our FastCGI hello world -------------------------------------
cc -O2 -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$W/fcgi_hello" \
    bench/web/fcgi_hello.c -lfcgi -lpthread || die "cannot build fcgi_hello"
"$W/fcgi_hello" -s "$W/hello.sock" -t "$THREADS" >"$W/hello.log" 2>&1 &
svc_track fcgi_hello $!

# 612 bytes, the size of nginx's own index.html.
head_html=$'<!DOCTYPE html>\n<html><head><title>bench</title></head><body>\n<p>'
foot_html=$'</p>\n</body></html>\n'
{
	printf '%s' "$head_html"
	head -c $((612 - ${#head_html} - ${#foot_html})) /dev/zero | tr '\0' x
	printf '%s' "$foot_html"
} > "$W/html/bench/static.html"
[ "$(wc -c < "$W/html/bench/static.html")" = 612 ] ||
    die "static file is not 612 bytes"

# --- the app ----------------------------------------------------------------
app=1
SVC_WEB_THREADS=$THREADS
export SVC_WEB_THREADS
svc_mariadb_start "$W/db" || die "MariaDB did not start"
svc_web_start "$W/web" || {
	echo "bench/web: tegami-web did not start; measuring the floors only"
	app=0
}

SVC_NGINX_ACCESS_LOG=off
SVC_NGINX_EXTRA="
		location = /bench/static.html {
			root $W/html;
		}
		location /hello/ {
			fastcgi_pass unix:$W/hello.sock;
$(sed -n '/fastcgi_param/p' nginx/tegami.conf.in)
		}"
export SVC_NGINX_ACCESS_LOG SVC_NGINX_EXTRA
PORT=$(svc_free_port)
svc_nginx_start "$W/nginx" "$PORT" "$W/web/web.sock" ||
    die "nginx did not start"
URL=$TEGAMI_URL

# --- a signed-in session for the database page ------------------------------
jar=$W/cookies
csrf_of() {
	sed -n 's/.*name="csrf"[^>]*value="\([^"]*\)".*/\1/p' "$1" | head -n 1
}
cookie=
if [ "$app" = 1 ]; then
	if svc_first_admin >"$W/admin.log" 2>&1; then
		newpw=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
		curl -s -c "$jar" -b "$jar" -o "$W/login.html" "$URL/login"
		st=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' \
		    --data-urlencode login=admin \
		    --data-urlencode "password=$SVC_ADMIN_PASSWORD" \
		    --data-urlencode "csrf=$(csrf_of "$W/login.html")" \
		    "$URL/login")
		curl -s -c "$jar" -b "$jar" -o "$W/pw.html" \
		    "$URL/account/password"
		curl -s -c "$jar" -b "$jar" -o /dev/null \
		    --data-urlencode "current=$SVC_ADMIN_PASSWORD" \
		    --data-urlencode "new=$newpw" \
		    --data-urlencode "repeat=$newpw" \
		    --data-urlencode "csrf=$(csrf_of "$W/pw.html")" \
		    "$URL/account/password"
		cookie=$(awk -F '\t' 'NF == 7 && $1 !~ /^# / {
		    printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
		code=$(curl -s -o /dev/null -w '%{http_code}' \
		    -H "Cookie: $cookie" "$URL/admin/users")
		if [ "$st" != 303 ] || [ "$code" != 200 ]; then
			echo "bench/web: sign-in failed (POST /login $st," \
			    "/admin/users $code); no database page figure"
			cookie=
		fi
	else
		echo "bench/web: could not create the administrator"
		cat "$W/admin.log"
	fi
fi
printf 'wrk.headers["Cookie"] = "%s"\n' "$cookie" > "$W/cookie.lua"

# --- measuring --------------------------------------------------------------
. "$ROOT/bench/quiet.sh"
# ms TOKEN: wrk's "812.00us" / "1.23ms" / "1.01s" in milliseconds.
ms() {
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000;
	    else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000;
	    printf "%.2f", n }'
}
median() {
	printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
	    if (NR == 0) { print 0; exit }
	    printf "%.2f", NR % 2 ? a[(NR + 1) / 2] :
	    (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

declare -A RPS P99 ERRS PATHS SCRIPTS RS PS
TARGETS=()
: > "$TSV"

# target NAME PATH [LUA] - adds a target when it answers 200.
target() {
	local code
	code=$(curl -s -o /dev/null -w '%{http_code}' \
	    ${3:+-H "Cookie: $cookie"} "$URL$2")
	if [ "$code" != 200 ]; then
		echo "# $1: $2 answers $code, not measured"
		return
	fi
	TARGETS+=("$1")
	PATHS[$1]=$2
	SCRIPTS[$1]=${3:-}
	ERRS[$1]=0
}

# procs_ticks - user+system ticks of each server process of this run, as
# "nginx N web N db N hello N" (where a request's CPU time goes).
procs_ticks() {
	local name pat pid pids t
	for name in nginx web db hello; do
		case $name in
		nginx) pat="nginx.*$W" ;;
		web) pat="tegami-web" ;;
		db) pat="mariadbd.*$W" ;;
		hello) pat="$W/fcgi_hello" ;;
		esac
		t=0
		pids=$(pgrep -f "$pat")
		# nginx workers carry no path: the master's children.
		[ "$name" = nginx ] && [ -n "$pids" ] &&
		    pids="$pids $(pgrep -P "$(echo "$pids" | head -n 1)")"
		for pid in $pids; do
			t=$((t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" \
			    2>/dev/null || echo 0)))
		done
		printf '%s %s ' "$name" "$t"
	done
}
# cpu_per_req A B REQS - microseconds of CPU per request, per process.
cpu_per_req() {
	awk -v a="$1" -v b="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN {
	    split(a, x, " "); split(b, y, " "); out = "";
	    for (i = 1; i < length(x); i += 2)
		if (n > 0 && y[i + 1] > x[i + 1])
			out = out sprintf("%s %.0f ", x[i],
			    (y[i + 1] - x[i + 1]) / hz / n * 1e6);
	    print out }'
}

# run_once NAME ROUND - one wrk run of a target.
run_once() {
	local name=$1 r=$2 out pre a b rps p99 path=${PATHS[$1]}
	local script=${SCRIPTS[$1]} pa pb reqs
	pre=$(quiet)
	out=$W/wrk-$name-$r.txt
	pa=$(procs_ticks)
	a=$(cpu_snap)
	# shellcheck disable=SC2086
	timeout 120 wrk $WRK_ARGS --latency ${script:+-s "$script"} \
	    "$URL$path" > "$out" 2>&1
	b=$(cpu_snap)
	pb=$(procs_ticks)
	reqs=$(awk '/requests in/ { print $1 }' "$out")
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	p99=$(ms "$(awk '$1 == "99%" { print $2 }' "$out")")
	RS[$name]="${RS[$name]:-} ${rps:-0}"
	PS[$name]="${PS[$name]:-} $p99"
	ERRS[$name]=$((ERRS[$name] + $(awk '/Non-2xx/ { print $NF }' "$out" |
	    head -n 1) + 0))
	echo "# $name run $r: ${rps:-?} req/s, p99 $p99 ms," \
	    "pre-busy $pre%, busy during run $(cpu_busy "$a" "$b")%;" \
	    "CPU us/request: $(cpu_per_req "$pa" "$pb" "${reqs:-0}")"
}

echo "# bench/web: $(nginx -v 2>&1 | cut -d/ -f2), wrk $WRK_ARGS," \
    "$THREADS FastCGI threads, $(nproc) cores, rounds $RUNS," \
    "loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
target static /bench/static.html
target hello /hello/
if [ "$app" = 1 ]; then
	target login /login
	[ -n "$cookie" ] && target users /admin/users "$W/cookie.lua"
fi
# Rounds over all targets, so that a change in the machine's load hits
# every target alike; the median of the rounds is reported.
for ((r = 1; r <= RUNS; r++)); do
	for t in "${TARGETS[@]}"; do
		run_once "$t" "$r"
	done
done
for t in "${TARGETS[@]}"; do
	# shellcheck disable=SC2086
	RPS[$t]=$(median ${RS[$t]})
	# shellcheck disable=SC2086
	P99[$t]=$(median ${PS[$t]})
	printf 'web_%s_rps\t%s\treq/s\twrk %s %s, median of %d\n' "$t" \
	    "${RPS[$t]}" "$WRK_ARGS" "${PATHS[$t]}" "$RUNS" >> "$TSV"
	printf 'web_%s_p99\t%s\tms\twrk %s %s, median of %d\n' "$t" \
	    "${P99[$t]}" "$WRK_ARGS" "${PATHS[$t]}" "$RUNS" >> "$TSV"
done

# ratio A B: the median over the rounds of A's req/s over B's in the same
# round. Targets of one round run a minute apart at most, so a machine
# that slows down for a while (these cores are shared) hits both.
ratio() {
	local a=${RS[$1]:-} b=${RS[$2]:-}
	if [ -z "$a" ] || [ -z "$b" ]; then
		echo "n/a"
		return
	fi
	# shellcheck disable=SC2046
	median $(awk -v a="$a" -v b="$b" 'BEGIN { n = split(a, x, " ");
	    split(b, y, " "); for (i = 1; i <= n; i++)
		printf "%.4f ", (y[i] > 0 ? x[i] / y[i] : 0) }') |
	    awk '{ printf "%.2f", $1 }'
}

echo
printf '%-8s %12s %10s %8s\n' target 'req/s' 'p99 ms' non-2xx
for t in static hello login users; do
	[ -n "${RPS[$t]:-}" ] || continue
	printf '%-8s %12s %10s %8s\n' "$t" "${RPS[$t]}" "${P99[$t]}" \
	    "${ERRS[$t]}"
done
echo
printf '%-14s %6s  %s\n' ratio value goal
printf '%-14s %6s  %s\n' login/hello "$(ratio login hello)" ">= 0.8"
printf '%-14s %6s  %s\n' users/hello "$(ratio users hello)" ">= 0.4"
printf '%-14s %6s  %s\n' hello/static "$(ratio hello static)" "(context)"
for p in "login hello" "users hello" "hello static"; do
	set -- $p
	printf 'ratio_%s_%s\t%s\tratio\t\n' "$1" "$2" "$(ratio "$1" "$2")" \
	    >> "$TSV"
done
echo
echo "results: $TSV"
