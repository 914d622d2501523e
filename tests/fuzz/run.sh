#!/usr/bin/env bash
# run.sh [SECONDS] - builds the libFuzzer targets (build.sh), replays each
# seed corpus tests/fuzz/corpus/<target>/, then fuzzes each target for
# SECONDS (default 20) and prints one line per target:
#   ok - fuzz: <target>
#   not ok - fuzz: <target>: <crash file>
# New inputs and crashers go under $TEGAMI_TEST_TMP/fuzz (or
# /tmp/tegami-fuzz), never into the checkout: copy a crasher into
# tests/fuzz/corpus/<target>/ once it is fixed, so the replay keeps it.
# Knobs: TEGAMI_FUZZ_BUILD (build directory, default build/fuzz).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
SECS=${1:-20}
OUT=${TEGAMI_FUZZ_BUILD:-build/fuzz}
case $OUT in /*) ;; *) OUT=$ROOT/$OUT ;; esac
if [ -n "${TEGAMI_TEST_TMP:-}" ]; then
	TMP=$TEGAMI_TEST_TMP/fuzz
else
	TMP=/tmp/tegami-fuzz
fi
mkdir -p "$TMP"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The targets as they are now (one may appear while the build runs).
targets=(tests/fuzz/*_fuzz.c)
bash tests/fuzz/build.sh "$OUT" >"$TMP/build.log" 2>&1
fail=0
for t in "${targets[@]}"; do
	[ -e "$t" ] || continue
	bin=$OUT/$(basename "$t" .c)
	name=$(basename "$t" _fuzz.c)
	work=$TMP/$name
	seeds=tests/fuzz/corpus/$name
	mkdir -p "$work/corpus" "$work/crash" "$seeds"
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz: $name: does not build" \
		    "(see $TMP/build.log)"
		fail=1
		continue
	fi
	touch "$work/start"
	opts=(-artifact_prefix="$work/crash/" -timeout=10 -rss_limit_mb=1024
	    -print_final_stats=0)
	# Replay: every seed and every kept crasher runs once.
	if ! "$bin" "${opts[@]}" -runs=0 "$seeds" >"$work/replay.log" 2>&1
	then
		crash=$(find "$work/crash" -type f -newer "$work/start" \
		    -printf '%f\n' | head -1)
		echo "not ok - fuzz: $name:" \
		    "${crash:+$work/crash/}${crash:-no crash file}" \
		    "(replay of $seeds, log $work/replay.log)"
		fail=1
		continue
	fi
	# New inputs land in $work/corpus; the seeds are only read.
	if ! "$bin" "${opts[@]}" -max_total_time="$SECS" "$work/corpus" \
	    "$seeds" >"$work/fuzz.log" 2>&1; then
		crash=$(find "$work/crash" -type f -newer "$work/start" \
		    -printf '%f\n' | head -1)
		echo "not ok - fuzz: $name:" \
		    "${crash:+$work/crash/}${crash:-no crash file}" \
		    "(log $work/fuzz.log)"
		fail=1
		continue
	fi
	echo "ok - fuzz: $name"
done
exit $fail
