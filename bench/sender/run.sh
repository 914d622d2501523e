#!/usr/bin/env bash
# run.sh - tegami-sender benchmark (issue 3 "Speed"; docs/queue.md). In one
# run, on this machine, against the same counting smtp-sink, each
# reference measured right before the run it is compared with (this
# machine's speed drifts within minutes):
#   1. Postfix + OpenDKIM (unix-socket milter, RSA-2048, relaxed/relaxed)
#      relaying BENCH_PF_N (default N) messages from smtp-source to the sink
#   2. openssl speed -seconds 5 -multi 2 rsa2048 and ed25519 (signs/s)
#   3. tegami-sender delivering N personalized ~3 KB messages from the
#      queue to the sink, signed rsa-sha256 (2048-bit key)
#   4. smtp-source -d -s 20 -l 2000 -m N into smtp-sink (msgs/s)
#   5. tegami-sender, the same signed ed25519-sha256 only
# and prints msgs/s, CPU seconds per 1,000 messages (whole machine, and
# tegami-sender's own), peak RSS of tegami-sender, and the ratios against
# the goals: rsa run ≥ 8x Postfix+OpenDKIM and ≥ 0.5x openssl rsa2048
# signs/s; ed25519 run ≥ 0.5x smtp-source.
#
# Knobs: BUILD (default build), BENCH_N (default 50000), BENCH_PF_N
# (Postfix messages, default BENCH_N), BENCH_SIZE (body bytes, 3000),
# BENCH_ROUNDS (default 3: the five runs again, each ratio taken within
# its round and the median of the rounds reported).
# Needs root (Postfix, OpenDKIM). Results: var/bench/sender-<stamp>.tsv.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export BUILD
N=${BENCH_N:-50000}
PF_N=${BENCH_PF_N:-$N}
SIZE=${BENCH_SIZE:-3000}
ROUNDS=${BENCH_ROUNDS:-3}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/var/bench
TSV=$OUT/sender-$STAMP.tsv
W=$(mktemp -d "${TMPDIR:-/tmp}/tegami-bench-sender.XXXXXX") || exit 2
mkdir -p "$OUT"
: > "$TSV"

. "$ROOT/tools/services.sh"
. "$ROOT/bench/sender/lib.sh"
. "$ROOT/bench/quiet.sh"
trap 'pf_stop; svc_stop_all; rm -rf "$W/q/db/mysql"' EXIT
trap 'exit 130' INT TERM

die() {
	echo "bench/sender: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (Postfix and OpenDKIM)"
for t in openssl smtp-source smtp-sink postfix opendkim opendkim-genkey; do
	command -v "$t" >/dev/null || PATH=$PATH:/usr/sbin
	command -v "$t" >/dev/null || die "$t is missing"
done
[ -x "$BUILD/tegami-sender" ] || die "build first: make all"

# tsv METRIC VALUE UNIT NOTE
tsv() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$TSV"
}

# busy CPU ticks (all cores) and the tick rate
ticks() {
	awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i;
	    print t - $5 - $6 }' /proc/stat
}
HZ=$(getconf CLK_TCK)
# steal_ticks - time the hypervisor gave this machine's CPUs to others
steal_ticks() {
	awk '/^cpu / { print $9 }' /proc/stat
}
now() {
	date +%s.%N
}

# --- sink ---------------------------------------------------------------------
SINK_PORT=$(svc_free_port)
smtp-sink -c -u nobody "127.0.0.1:$SINK_PORT" 1000 >"$W/sink.log" 2>&1 &
svc_track smtp-sink $!
svc_wait_for 30 $! bash -c "exec 3<>/dev/tcp/127.0.0.1/$SINK_PORT" ||
    die "smtp-sink did not start"
# sink_now - SINK_N = messages smtp-sink has counted (its last "mesg=N").
# One process per look: the 20 looks a second of wait_sink share the two
# cores with what is measured, so they must stay cheap.
sink_now() {
	local c
	c=$(tail -c 80 "$W/sink.log" 2>/dev/null)
	c=${c##*mesg=}
	c=${c%%[!0-9]*}
	SINK_N=${c:-0}
}
sink_count() {
	sink_now
	echo "$SINK_N"
}
# nap - 50 ms without a process: a read that times out on a pipe that
# never delivers.
exec {NAP_FD}<> <(:)
nap() {
	read -r -t 0.05 -u "$NAP_FD" _ || :
}
# wait_sink TARGET TIMEOUT - until the sink counted TARGET messages
wait_sink() {
	local end=$((SECONDS + $2))

	sink_now
	while [ "$SINK_N" -lt "$1" ]; do
		[ "$SECONDS" -ge "$end" ] && return 1
		nap
		sink_now
	done
}

echo "# bench/sender: $(nproc) cores, N=$N, body ${SIZE} B, loadavg" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "# (machine) CPU counts every process on the machine, other work too"

# run_timed NAME COUNT CMD... - runs CMD until the sink counted COUNT more;
# sets RATE (msgs/s) and CPU1K (busy CPU-s per 1,000 messages).
run_timed() {
	local name=$1 count=$2 base c0 t0 t1 c1 s0 s1 pre
	shift 2
	# A calm second first: the run before (Postfix's many processes
	# winding down, the enqueue) must not be billed to this one.
	pre=$(quiet)
	echo "# quiet before $name: ${pre}% busy"
	base=$(sink_count)
	s0=$(steal_ticks); c0=$(ticks); t0=$(now)
	"$@" >"$W/$name.out" 2>&1 &
	local pid=$!
	if ! wait_sink $((base + count)) 1800; then
		kill "$pid" 2>/dev/null
		echo "bench/sender: $name: sink counted" \
		    "$(($(sink_count) - base)) of $count" >&2
		RATE=0; CPU1K=0
		return 1
	fi
	t1=$(now); c1=$(ticks); s1=$(steal_ticks)
	# Stolen time shows as busy CPU and slows the run: say how much.
	echo "# $name: $(awk -v a="$s0" -v b="$s1" -v t0="$t0" -v t1="$t1" \
	    -v hz="$HZ" -v n="$(nproc)" 'BEGIN {
	    printf "%.1f", (b - a) / hz / (t1 - t0) / n * 100 }')% of the" \
	    "CPUs' time stolen by the host during the run"
	wait "$pid" 2>/dev/null
	RATE=$(awk -v n="$count" -v a="$t0" -v b="$t1" \
	    'BEGIN { printf "%.0f", n / (b - a) }')
	CPU1K=$(awk -v n="$count" -v a="$c0" -v b="$c1" -v hz="$HZ" \
	    'BEGIN { printf "%.3f", (b - a) / hz / n * 1000 }')
}

# --- 1. Postfix + OpenDKIM ----------------------------------------------------
# --- tegami-sender's queue ------------------------------------------------
Q_SENDER_ID=bench q_setup "$W/q" "127.0.0.1:$SINK_PORT" ||
    die "MariaDB setup failed ($W/q)"
q_tegami domain add rsa.bench.test >/dev/null || die "domain add"
q_tegami domain add ed.bench.test >/dev/null || die "domain add"
q_tegami domain key rsa.bench.test --selector r --generate rsa >/dev/null ||
    die "rsa key"
q_tegami domain key ed.bench.test --selector e --generate ed25519 \
    >/dev/null || die "ed25519 key"

# proc_ticks PID - user + system ticks of one process (0 if gone)
proc_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# sender_run NAME FROM - enqueue N, then time tegami-sender --drain
sender_run() {
	local name=$1 from=$2
	q_tegami enqueue-test --count "$N" --domain bench.test --from "$from" \
	    --size "$SIZE" --first 1 > "$W/$name-enqueue.out" ||
	    die "enqueue-test failed"
	local dbpid db0 db1
	quiet >/dev/null	# the enqueue's purge is not the run's
	dbpid=$(cat "$Q_DIR/db/mysqld.pid" 2>/dev/null)
	db0=$(proc_ticks "$dbpid")
	run_timed "$name" "$N" /usr/bin/time -f '%U %S %M' -o "$W/$name.time" \
	    "$BUILD/tegami-sender" -c "$Q_DIR/tegami.conf" --drain
	db1=$(proc_ticks "$dbpid")
	DBCPU=$(awk -v a="$db0" -v b="$db1" -v n="$N" -v hz="$HZ" \
	    'BEGIN { printf "%.3f", (b - a) / hz / n * 1000 }')
	read -r u s m < "$W/$name.time"
	OWN=$(awk -v u="$u" -v s="$s" -v n="$N" \
	    'BEGIN { printf "%.3f", (u + s) / n * 1000 }')
	RSS=$(awk -v m="$m" 'BEGIN { printf "%.1f", m / 1024 }')
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b;
	    else printf "n/a" }'
}
verdict() {
	awk -v r="$1" -v g="$2" 'BEGIN { print (r != "n/a" && r >= g) ?
	    "goal met" : "below goal" }'
}
median() {
	printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
	    if (NR == 0) { print "n/a"; exit }
	    printf "%.2f", NR % 2 ? a[(NR + 1) / 2] :
	    (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# sender_report KEY ALG - prints the sender_run just done and writes its
# figures (KEY, KEY_cpu, KEY_cpu_own, KEY_cpu_db, KEY_rss; round suffix)
sender_report() {
	printf '%-34s%7s msgs/s  %s CPU-s/1000 (machine), %s (sender), %s %s%s\n' \
	    "tegami-sender $2" "$RATE" "$CPU1K" "$OWN" "$DBCPU" \
	    "(MariaDB), peak RSS " "$RSS MiB"
	tsv "$1$sfx" "$RATE" msgs/s \
	    "queue -> smtp-sink, $N personalized ~${SIZE} B, $2"
	tsv "$1_cpu$sfx" "$CPU1K" cpu-s/1000 \
	    "whole machine (sender, MariaDB, sink)"
	tsv "$1_cpu_own$sfx" "$OWN" cpu-s/1000 "tegami-sender process"
	tsv "$1_cpu_db$sfx" "$DBCPU" cpu-s/1000 "mariadbd process"
	tsv "$1_rss$sfx" "$RSS" MiB "peak RSS of tegami-sender"
}

R1=(); R2=(); R3=()
note=""
[ "$PF_N" != "$N" ] && note=" ($PF_N messages, not $N: BENCH_PF_N)"
for ((round = 1; round <= ROUNDS; round++)); do
	echo "# --- round $round of $ROUNDS"
	sfx=""
	[ "$ROUNDS" -gt 1 ] && sfx="_r$round"

	# 1. Postfix + OpenDKIM (a fresh instance: pf_stop removes it)
	PF_PORT=$(svc_free_port)
	pf_setup "$W/postfix$round" "$PF_PORT" "$SINK_PORT" dkim \
	    >"$W/pf-setup$round.log" 2>&1 ||
	    die "Postfix setup failed ($W/pf-setup$round.log)"
	pf_start || die "Postfix did not start"
	run_timed postfix "$PF_N" smtp-source -d -s 20 -l 2000 -m "$PF_N" \
	    -M bench.test -f sender@bench.test -t rcpt@bench.test \
	    "127.0.0.1:$PF_PORT"
	PF_RATE=$RATE
	PF_CPU=$CPU1K
	pf_stop
	printf '%-34s%7s msgs/s  %s CPU-s/1000 (machine)%s\n' \
	    "Postfix + OpenDKIM rsa-sha256" "$PF_RATE" "$PF_CPU" "$note"
	tsv "postfix_opendkim$sfx" "$PF_RATE" msgs/s "smtp-source ->" \
	    "postfix (opendkim milter, unix socket) -> smtp-sink, $PF_N msgs"
	tsv "postfix_opendkim_cpu$sfx" "$PF_CPU" cpu-s/1000 "whole machine"

	# 2. openssl, right before the RSA run it is compared with
	PRE=$(quiet)
	echo "# quiet before openssl: ${PRE}% busy"
	RSA_SIGNS=$(openssl speed -seconds 5 -multi 2 rsa2048 2>/dev/null |
	    awk '/^rsa 2048 bits/ { print $(NF - 1) }')
	quiet >/dev/null
	ED_SIGNS=$(openssl speed -seconds 5 -multi 2 ed25519 2>/dev/null |
	    awk '/EdDSA \(Ed25519\)/ { print $(NF - 1) }')
	echo "openssl speed -multi 2 rsa2048    ${RSA_SIGNS:-?} signs/s"
	echo "openssl speed -multi 2 ed25519    ${ED_SIGNS:-?} signs/s"
	tsv "openssl_rsa2048_sign$sfx" "${RSA_SIGNS:-0}" signs/s \
	    "-seconds 5 -multi 2"
	tsv "openssl_ed25519_sign$sfx" "${ED_SIGNS:-0}" signs/s \
	    "-seconds 5 -multi 2"

	# 3. tegami-sender, rsa-sha256
	sender_run tegami-rsa tegami@rsa.bench.test
	RSA_RATE=$RATE
	sender_report tegami_rsa "rsa-sha256 2048"

	# 4. smtp-source, right before the Ed25519 run it is compared with
	run_timed smtp-source "$N" smtp-source -d -s 20 -l 2000 -m "$N" \
	    -f sender@bench.test -t rcpt@bench.test "127.0.0.1:$SINK_PORT"
	SRC_RATE=$RATE
	printf '%-34s%7s msgs/s  %s CPU-s/1000 (machine)\n' \
	    "smtp-source -d -s 20 -l 2000" "$SRC_RATE" "$CPU1K"
	tsv "smtp_source$sfx" "$SRC_RATE" msgs/s \
	    "-d -s 20 -l 2000 -m $N into smtp-sink"

	# 5. tegami-sender, ed25519-sha256
	sender_run tegami-ed tegami@ed.bench.test
	ED_RATE=$RATE
	sender_report tegami_ed25519 "ed25519-sha256"

	# this round's ratios, each against the reference measured just
	# before it
	R1+=("$(ratio "$RSA_RATE" "$PF_RATE")")
	R2+=("$(ratio "$RSA_RATE" "$RSA_SIGNS")")
	R3+=("$(ratio "$ED_RATE" "$SRC_RATE")")
	echo "# round $round ratios: rsa/Postfix ${R1[-1]}," \
	    "rsa/openssl ${R2[-1]}, ed25519/smtp-source ${R3[-1]}"
done
sent=$(q_state sent)
[ "$sent" = $((2 * N * ROUNDS)) ] ||
    echo "bench/sender: warning: $sent of $((2 * N * ROUNDS)) recorded sent" >&2

# --- ratios: the median over the rounds -------------------------------------
r1=$(median "${R1[@]}")
r2=$(median "${R2[@]}")
r3=$(median "${R3[@]}")
of="median of $ROUNDS rounds"
printf '%-42s%sx  (goal >= %s: %s; %s: %s)\n' \
    "ratio rsa run / Postfix+OpenDKIM" "$r1" 8 "$(verdict "$r1" 8)" \
    "$of" "${R1[*]}" \
    "ratio rsa run / openssl rsa2048 signs/s" "$r2" 0.5 \
    "$(verdict "$r2" 0.5)" "$of" "${R2[*]}" \
    "ratio ed25519 run / smtp-source" "$r3" 0.5 "$(verdict "$r3" 0.5)" \
    "$of" "${R3[*]}"
tsv ratio_rsa_vs_postfix_opendkim "$r1" x "goal >= 8; $of: ${R1[*]}"
tsv ratio_rsa_vs_openssl_rsa2048 "$r2" x "goal >= 0.5; $of: ${R2[*]}"
tsv ratio_ed25519_vs_smtp_source "$r3" x "goal >= 0.5; $of: ${R3[*]}"
echo "# loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg); results: $TSV"
