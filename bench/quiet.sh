# shellcheck shell=bash
# quiet.sh - shared by the benchmarks: CPU snapshots and a wait for a calm
# second before each measured run (these cores are shared with other work;
# ../shared/reference-bench does the same). Knobs: QUIET_WAIT (seconds,
# default 10), QUIET_PCT (busy % that counts as calm, default 15).

# cpu_snap: busy and total jiffies of all cores.
cpu_snap() {
	awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i;
	    print t - $5 - $6, t }' /proc/stat
}
# cpu_busy A B: busy % between two snapshots.
cpu_busy() {
	awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ");
	    d = y[2] - x[2]; printf "%d", (d > 0 ? 100 * (y[1] - x[1]) / d : 0) }'
}
# quiet: waits for a calm second (other work shares these cores).
quiet() {
	local end=$(($(date +%s) + ${QUIET_WAIT:-10})) a b p
	while :; do
		a=$(cpu_snap)
		sleep 1
		b=$(cpu_snap)
		p=$(cpu_busy "$a" "$b")
		if [ "$p" -lt "${QUIET_PCT:-15}" ] ||
		    [ "$(date +%s)" -ge "$end" ]; then
			echo "$p"
			return
		fi
	done
}
