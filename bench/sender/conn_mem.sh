#!/usr/bin/env bash
# conn_mem.sh - 1,000 concurrent SMTP connections held open by the engine
# (each in the middle of a transaction, waiting for the reply to the final
# dot from a peer that never answers); prints the engine process's peak
# RSS (VmHWM) and its ratio to the 64 MiB budget. Builds the tiny driver
# conn_mem.c against $BUILD's libraries.
#
#	bash bench/sender/conn_mem.sh [CONNECTIONS] [tls]
#
# With "tls" every session is upgraded with STARTTLS first (TLS 1.3 to the
# peer's self-signed certificate, opportunistic policy).
#
# Environment: BUILD (default build), BENCH_TMP (default a fresh mktemp -d).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BUILD=${BUILD:-build}
N=${1:-1000}
MODE=${2:-plain}
PEER_TLS=
[ "$MODE" = tls ] && PEER_TLS=--tls
OWN_TMP=
if [ -z "${BENCH_TMP:-}" ]; then
	OWN_TMP=$(mktemp -d /tmp/conn_mem.XXXXXX) || exit 2
fi
TMP=${BENCH_TMP:-$OWN_TMP}
mkdir -p "$TMP"
PEER_PID=

cleanup() {
	if [ -n "$PEER_PID" ]; then
		kill "$PEER_PID" 2>/dev/null
		wait "$PEER_PID" 2>/dev/null
	fi
	[ -n "$OWN_TMP" ] && rm -rf "$OWN_TMP"
}
trap cleanup EXIT

ulimit -n 8192 2>/dev/null || ulimit -n 4096 2>/dev/null || true
if [ "$(ulimit -n)" -lt $((N + 100)) ]; then
	echo "conn_mem: open-file limit $(ulimit -n) too low for $N" \
	    "connections" >&2
	exit 1
fi

make --no-print-directory BUILD="$BUILD" -j2 \
    "$BUILD/libsender.a" "$BUILD/libdb.a" "$BUILD/libcore.a" \
    "$BUILD/libconf.a" "$BUILD/libmail.a" >"$TMP/make.log" 2>&1 || {
	echo "conn_mem: build failed, see $TMP/make.log" >&2; exit 1; }
PKGS="libsodium openssl libcares libmariadb"
# shellcheck disable=SC2046
c++ -O2 -o "$TMP/conn_mem" -x c -std=c17 -D_GNU_SOURCE \
    $(pkg-config --cflags $PKGS) bench/sender/conn_mem.c -x none \
    -Wl,--start-group "$BUILD"/lib*.a -Wl,--end-group \
    $(pkg-config --libs $PKGS) -lfcgi -lctemplate -lpthread -lm \
    2>"$TMP/cc.log" || { echo "conn_mem: driver build failed:" >&2;
	cat "$TMP/cc.log" >&2; exit 1; }

python3 tests/integration/smtp_peer.py --mode stalldata $PEER_TLS \
    --portfile "$TMP/port" --log "$TMP/peer.log" --dir "$TMP" \
    2>"$TMP/peer.err" &
PEER_PID=$!
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
PORT=$(cat "$TMP/port" 2>/dev/null)
[ -n "$PORT" ] || { echo "conn_mem: peer did not start" >&2; exit 1; }

"$TMP/conn_mem" "127.0.0.1:$PORT" "$N" "$TMP/peer.log" \
    >"$TMP/result.tsv"
rc=$?
held=$(grep -c '^HELD' "$TMP/peer.log" 2>/dev/null || echo 0)
awk -F'\t' -v held="$held" -v mode="$MODE" '
	{ v[$1] = $2 }
	END {
		printf "conn_mem: %d connections open (%s), %d holding a " \
		    "whole message at the peer\n", v["connections_open"],
		    mode, held
		printf "conn_mem: peak RSS (VmHWM) of the whole process " \
		    "%.1f MiB = %.3f of the 64 MiB budget\n",
		    v["vmhwm_mib"], v["ratio_to_64mib"]
		printf "conn_mem: %.1f MiB before any connection (libraries, " \
		    "engine, the messages); %.1f KiB per connection above " \
		    "it\n", v["baseline_kib"] / 1024, v["kib_per_connection"]
	}' "$TMP/result.tsv"
mkdir -p var/bench
cp "$TMP/result.tsv" "var/bench/conn_mem_$MODE.tsv" 2>/dev/null || true
exit $rc
