#!/usr/bin/env bash
# run.sh - `make test`: builds Tegami (normal and ASan/UBSan), runs every unit
# test from both builds, starts private services on free loopback ports,
# runs the integration tests, the fuzz replay, the browser tests and the
# source checks, and ends with exactly one line "N passed, N failed"
# counting every "ok - " and "not ok - " line (docs/testing.md).
#
# Knobs: BUILD (default build), TEGAMI_TEST_SKIP="asan fuzz browser ..."
# (parts to skip: asan unit integration fuzz browser checks),
# TEGAMI_TEST_ONLY=REGEX (integration tests whose file name matches),
# TEGAMI_FUZZ_SECONDS (per target, default 10), TEGAMI_TEST_TIMEOUT (per
# program, default 900 s).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2

BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export BUILD
export TEGAMI_ROOT=$ROOT
TEGAMI_TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tegami-test.XXXXXX") || exit 2
export TEGAMI_TEST_TMP
T=$TEGAMI_TEST_TMP
LOGS=$T/logs
RESULTS=$T/results.log
mkdir -p "$LOGS" "$T/screenshots"
: > "$RESULTS"
SKIP=" ${TEGAMI_TEST_SKIP:-} "
TIMEOUT=${TEGAMI_TEST_TIMEOUT:-900}
# Executable files in tests/integration that are helpers, not tests (until
# they carry the "tegami-test: helper" mark themselves).
HELPERS=${TEGAMI_TEST_HELPERS:-smtp_peer.py}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export SVC_DB_FLUSH=${SVC_DB_FLUSH:-2}

. "$ROOT/tools/services.sh"
trap 'svc_stop_all' EXIT
trap 'exit 130' INT TERM

skipped() {
	case $SKIP in *" $1 "*) return 0 ;; esac
	return 1
}

# result LINE - a line that counts (console and results log).
result() {
	printf '%s\n' "$*" | tee -a "$RESULTS"
}

# slug NAME - a file name for a log.
slug() {
	printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_'
}

# run_test NAME CMD... - runs a test program, shows and records its output;
# a non-zero exit without any "not ok" line counts as one failure.
run_test() {
	local name=$1 log rc
	shift
	log=$LOGS/$(slug "$name").log
	printf '# %s\n' "$name"
	timeout -k 10 "$TIMEOUT" "$@" </dev/null 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	cat "$log" >> "$RESULTS"
	if [ "$rc" != 0 ] && ! grep -q '^not ok - ' "$log"; then
		if [ "$rc" = 124 ]; then
			result "not ok - $name: timed out after ${TIMEOUT}s"
		else
			result "not ok - $name: exited with status $rc" \
			    "and no \"not ok\" line (log $log)"
		fi
	fi
	return "$rc"
}

# run_quiet NAME CMD... - a step whose output only goes to its log; one
# "ok"/"not ok" line (with the log's tail on failure).
run_quiet() {
	local name=$1 log rc
	shift
	log=$LOGS/$(slug "$name").log
	printf '# %s\n' "$name"
	"$@" </dev/null >"$log" 2>&1
	rc=$?
	if [ "$rc" = 0 ]; then
		result "ok - $name"
	else
		tail -n 30 "$log"
		result "not ok - $name: status $rc (log $log)"
	fi
	return "$rc"
}

# services_alive TEST - one failure per shared server that died during
# TEST (the tests after it would fail for no fault of their own).
declare -A SVC_DEAD
services_alive() {
	local i pid name
	for i in "${!SVC_PIDS[@]}"; do
		pid=${SVC_PIDS[$i]}
		name=${SVC_NAMES[$i]}
		[ -n "${SVC_DEAD[$pid]:-}" ] && continue
		if ! kill -0 "$pid" 2>/dev/null; then
			SVC_DEAD[$pid]=1
			result "not ok - services: $name (pid $pid) stopped" \
			    "during $1"
		fi
	done
}

echo "tests/run.sh: artefacts in $T"
start=$(date +%s)

# --- builds -----------------------------------------------------------------
run_quiet "build: make all" make -k -j2 BUILD="$BUILD" all
if ! skipped asan; then
	run_quiet "build: make all (ASan/UBSan)" \
	    make -k -j2 BUILD="$BUILD/asan" SAN=1 all
fi

# --- unit tests -------------------------------------------------------------
if ! skipped unit; then
	for src in tests/unit/*_test.c; do
		[ -e "$src" ] || continue
		name=$(basename "$src" .c)
		for b in "$BUILD" "$BUILD/asan"; do
			tag=unit
			if [ "$b" = "$BUILD/asan" ]; then
				skipped asan && continue
				tag=unit-asan
			fi
			if [ ! -x "$b/tests/$name" ]; then
				result "not ok - $tag: $name: not built"
				continue
			fi
			run_test "$tag: $name" "$b/tests/$name"
		done
	done
fi

# --- services ---------------------------------------------------------------
services_ok=0
if ! skipped integration || ! skipped browser; then
	services_ok=1
	run_quiet "services: mariadb" svc_mariadb_start "$T/db" || services_ok=0
	if [ "$services_ok" = 1 ]; then
		run_quiet "services: smtp-sink" svc_sink_start "$T/sink" \
		    "$(svc_free_port)" || services_ok=0
		mkdir -p "$T/dns"
		cat > "$T/dns/records" <<'EOF'
# Base records of the shared test DNS server; tests needing their own
# records start another one with svc_dns_start.
--mx-host=sink.test,mx.sink.test,10
--host-record=mx.sink.test,127.0.0.1
--txt-record=sink.test,"v=spf1 ip4:127.0.0.0/8 -all"
EOF
		run_quiet "services: dnsmasq" svc_dns_start "$T/dns" \
		    "$(svc_free_port)" "$T/dns/records" || services_ok=0
		web_port=$(svc_free_port)
		SVC_WEB_EXTRA="web.base_url = http://127.0.0.1:$web_port"
		run_quiet "services: tegami-web" svc_web_start "$T/web" ||
		    services_ok=0
	fi
	if [ "$services_ok" = 1 ]; then
		run_quiet "services: nginx" svc_nginx_start "$T/nginx" \
		    "$web_port" || services_ok=0
	fi
	if [ "$services_ok" = 1 ]; then
		# Integration tests may sign in as this administrator;
		# the browser tests make their own.
		if svc_first_admin >"$LOGS/first_admin.log" 2>&1; then
			result "ok - services: first administrator"
			export TEGAMI_ADMIN_LOGIN=admin
			export TEGAMI_ADMIN_PASSWORD=$SVC_ADMIN_PASSWORD
		else
			cat "$LOGS/first_admin.log"
			result "not ok - services: first administrator (log" \
			    "$LOGS/first_admin.log)"
		fi
	fi
fi

# --- integration tests ------------------------------------------------------
if ! skipped integration; then
	for t in tests/integration/*.sh tests/integration/*.py; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		[ "$(basename "$t")" = lib.sh ] && continue
		# Servers and tools used by tests are not tests: they carry
		# "tegami-test: helper" near the top (or are listed below).
		case " $HELPERS " in *" $(basename "$t") "*) continue ;; esac
		head -n 15 "$t" | grep -q 'tegami-test: helper' && continue
		if [ -n "${TEGAMI_TEST_ONLY:-}" ] &&
		    ! [[ $(basename "$t") =~ $TEGAMI_TEST_ONLY ]]; then
			continue
		fi
		printf '%s\n' "$t"
	done | sort > "$T/integration.list"
	while IFS= read -r t; do
		if [ "$services_ok" != 1 ]; then
			result "not ok - integration: $(basename "$t"):" \
			    "services did not start"
			continue
		fi
		run_test "integration: $(basename "$t")" "./$t"
		services_alive "$(basename "$t")"
	done < "$T/integration.list"
	# tegami-web runs under its production account (svc_web_start):
	# a statement outside its privileges shows in its log.
	if [ "$services_ok" = 1 ] && [ "${SVC_WEB_OWN_ACCOUNT:-1}" = 1 ]; then
		if grep -qi "denied" "$T/web/web.log" 2>/dev/null; then
			result "not ok - integration: a statement of tegami-web" \
			    "was refused its database account ($T/web/web.log)"
		else
			result "ok - integration: tegami-web served the screen" \
			    "tests under its own database account, nothing refused"
		fi
	fi
fi

# --- fuzz replay ------------------------------------------------------------
if ! skipped fuzz; then
	if [ -f tests/fuzz/run.sh ]; then
		run_test "fuzz" bash tests/fuzz/run.sh \
		    "${TEGAMI_FUZZ_SECONDS:-10}"
	else
		echo "# fuzz: tests/fuzz/run.sh is not there yet, skipped"
	fi
fi

# --- browser tests ----------------------------------------------------------
if ! skipped browser; then
	if [ ! -d tests/browser/node_modules/playwright-core ]; then
		run_quiet "browser: npm ci" sh -c \
		    'cd tests/browser && npm ci --no-audit --no-fund'
	fi
	i=0
	for t in tests/browser/*.test.mjs; do
		[ -f "$t" ] || continue
		i=$((i + 1))
		name="browser: $(basename "$t")"
		if [ "$services_ok" != 1 ]; then
			result "not ok - $name: services did not start"
			continue
		fi
		# A fresh administrator per browser test, with its own
		# one-time password.
		if ! pw=$(svc_user_add "browser$i" admin 2>>"$LOGS/users.log")
		then
			result "not ok - $name: tegami user add failed (log" \
			    "$LOGS/users.log)"
			continue
		fi
		TEGAMI_BROWSER_LOGIN=browser$i TEGAMI_BROWSER_PASSWORD=$pw \
		    run_test "$name" node "$t"
	done
fi

# --- source checks ----------------------------------------------------------
if ! skipped checks; then
	run_test "check-layering" bash tools/check-layering.sh
	run_quiet "cppcheck" make --no-print-directory cppcheck
fi

svc_stop_all
passed=$(grep -c '^ok - ' "$RESULTS")
failed=$(grep -c '^not ok - ' "$RESULTS")
if [ "$failed" = 0 ]; then
	# The datadir is large and only useful to look into failures.
	rm -rf "$T/db/mysql"
else
	echo "failures:"
	grep '^not ok - ' "$RESULTS" | sed 's/^/  /'
fi
echo "tests/run.sh: $(( $(date +%s) - start )) s; artefacts in $T"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
