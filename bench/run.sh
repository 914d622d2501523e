#!/usr/bin/env bash
# run.sh - `make bench`: runs every bench/*/run.sh in turn (web, sender, ...)
# and reports which failed. Each benchmark prints its figures as ratios
# against references measured in the same run (docs/benchmarks.md) and
# writes a TSV under var/bench/. BENCH_ONLY="web sender" picks some.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
failed=()
for b in bench/*/run.sh; do
	[ -f "$b" ] || continue
	name=$(basename "$(dirname "$b")")
	if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]]
	then
		continue
	fi
	echo "=== bench/$name ($(date -u +%H:%M:%S) UTC)"
	bash "$b" || failed+=("$name")
	echo
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "bench: failed: ${failed[*]}"
	exit 1
fi
echo "bench: done; results under var/bench/"
