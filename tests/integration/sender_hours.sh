#!/usr/bin/env bash
# sender_hours.sh - sending hours (配信禁止時間帯) on real parts: a private
# MariaDB, the scripted SMTP peer (tests/integration/smtp_peer.py).
#   window add: strict parsing, unknown zone refused, list
#   a window closed now: enqueue-test --window, tegami-sender --drain →
#     nothing delivered, rows queued with next_attempt = the window's next
#     start (computed here independently with Python's zoneinfo), no
#     attempt counted, no event
#   the same for `tegami send --window`
#   a window open now: delivered
#   a 451 deferral whose back-off lands after the window closes: the next
#     attempt is moved to the window's next start
# Windows are made relative to the current time with hours of margin; no
# pass condition depends on how long anything takes.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/bench/sender/lib.sh"
t_init sender_hours
rm -rf "$T_DIR"; mkdir -p "$T_DIR"
PEER=$T_ROOT/tests/integration/smtp_peer.py
PEER_PID=
trap 'svc_stop_all' EXIT

t_queue "$T_DIR/q" "127.0.0.1:1"
t_ok "private MariaDB migrated (0006_sending_hours)"
q_tegami domain add example.test >/dev/null
q_tegami domain key example.test --selector ed --generate ed25519 >/dev/null

peer() {
	local mode=$1
	rm -f "$T_DIR/peer.port"
	python3 "$PEER" --mode "$mode" --portfile "$T_DIR/peer.port" \
	    --log "$T_DIR/peer-$mode.log" --dir "$T_DIR" \
	    >"$T_DIR/peer-$mode.out" 2>&1 &
	PEER_PID=$!
	svc_track smtp_peer "$PEER_PID"
	q_smarthost_port "$T_DIR/peer.port"
}

peer_stop() {
	q_peer_stop "$PEER_PID"
}

fresh() {
	svc_sql tegami -e "DELETE FROM queue; DELETE FROM delivery_event"
}

run_sender() {
	q_sender_start --drain
	q_sender_wait 120 ||
	    { kill "$Q_SENDER_PID"; t_fail "$1" "sender hung"; }
}


quiet() {
	q_tegami "$@" >/dev/null
}

# refused NAME TEXT ARGS... - the CLI fails and says TEXT.
refused() {
	local name=$1 text=$2
	shift 2
	if q_tegami "$@" >"$T_DIR/out" 2>&1; then
		t_fail "$name" "exit status 0"
	else
		t_contains "$name" "$T_DIR/out" "$text"
	fi
}

# accepted MODE - messages the peer accepted (0 without a log).
accepted() {
	local f=$T_DIR/peer-$1.log
	[ -f "$f" ] || { echo 0; return; }
	grep -c '^ACCEPT' "$f"
}

# hours ZONE FROM_MIN TO_MIN - "daily HH:MM-HH:MM" for local now + FROM
# .. now + TO minutes (floored to the minute), and on a second line the
# Unix time at which that window next opens after the end of today's
# span if the window is closed now, else the next start after now.
hours() {
	python3 - "$@" <<'PY'
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
tz = ZoneInfo(sys.argv[1])
a, b = int(sys.argv[2]), int(sys.argv[3])
now = datetime.now(timezone.utc).astimezone(tz).replace(second=0,
    microsecond=0)
s, e = now + timedelta(minutes=a), now + timedelta(minutes=b)
print("daily %02d:%02d-%02d:%02d" % (s.hour, s.minute, e.hour, e.minute))
# The next local wall-clock start strictly after now (or after the span
# end for a window open now): the same HH:MM on the right day.
base = e if a <= 0 else now
d = base.date()
while True:
    c = datetime(d.year, d.month, d.day, s.hour, s.minute, tzinfo=tz)
    if c > base:
        print(int(c.timestamp()))
        break
    d += timedelta(days=1)
PY
}

# --- window add / list ---------------------------------------------------
t_check "window add: weekdays and saturday, Asia/Tokyo" \
    quiet window add office --tz Asia/Tokyo \
    --hours 'mon-fri 09:00-20:00, sat 10:00-18:00'
t_eq "window list shows the canonical hours" \
    "$(q_tegami window list | grep '^office')" \
    "$(printf 'office\tAsia/Tokyo\tmon-fri 09:00-20:00, sat 10:00-18:00')"
refused "window add: a sloppy time is refused with a reason" \
    "HH:MM-HH:MM" window add bad --hours 'mon 9:00-10:00'
refused "window add: an empty schedule is refused" "never open" \
    window add bad --hours ''
refused "window add: an unknown zone is refused" "unknown time zone" \
    window add bad --tz Mars/Olympus --hours 'daily 09:00-10:00'
refused "window add: a path as zone is refused" "unknown time zone" \
    window add bad --tz ../../etc/passwd --hours 'daily 09:00-10:00'
refused "window add: a taken name is refused" "exists" \
    window add office --hours 'daily 09:00-10:00'
t_eq "refused windows stored nothing" \
    "$(q_sql1 "SELECT COUNT(*) FROM sending_window")" 1
t_eq "default zone is Asia/Tokyo" \
    "$(q_tegami window add deflt --hours 'sun 10:00-11:00' | \
    sed 's/^window [0-9]* //')" "deflt (Asia/Tokyo): sun 10:00-11:00"
refused "enqueue-test --window: an unknown window is refused" \
    "no such sending window" enqueue-test --count 1 \
    --domain example.test --window nope
refused "send --window: an unknown window is refused" \
    "no such sending window" send --to a@example.test --subject s \
    --text t --window nope

# --- closed now: held until the window opens -----------------------------
# Closed: opens in 3 hours, for one hour (America/New_York: a DST zone).
{ read -r closed_hours; read -r closed_at; } < <(hours America/New_York \
    180 240)
q_tegami window add closed --tz America/New_York --hours "$closed_hours" \
    >/dev/null
fresh
peer normal
q_tegami enqueue-test --count 5 --domain example.test --window closed \
    >/dev/null
q_tegami send --to ops@example.test --subject 'Hours' --text 'later' \
    --window closed >/dev/null
run_sender "closed window"
t_eq "closed window ($closed_hours New York): nothing delivered" \
    "$(accepted normal)" 0
t_eq "closed window: all 6 rows waiting (queued), none sent" \
    "$(q_state queued)" 6
t_eq "closed window: next_attempt and due_at = the computed start" \
    "$(q_sql1 "SELECT COUNT(*) FROM queue WHERE state = 'queued' AND \
    UNIX_TIMESTAMP(next_attempt) = $closed_at AND \
    UNIX_TIMESTAMP(due_at) = $closed_at")" 6
t_eq "closed window: no attempt counted, no lease left" \
    "$(q_sql1 "SELECT COUNT(*) FROM queue WHERE attempts = 0 AND \
    lease_id = 0 AND lease_until < NOW()")" 6
t_eq "closed window: no delivery event" \
    "$(q_sql1 "SELECT COUNT(*) FROM delivery_event")" 0
# The rows come back once due: pretend the window opened by moving due_at
# (the sender checks the window again and, still closed, holds them).
svc_sql tegami -e "UPDATE queue SET due_at = NOW() - INTERVAL 1 SECOND"
run_sender "closed window again"
t_eq "due again while still closed: held again, not sent" \
    "$(q_sql1 "SELECT COUNT(*) FROM queue WHERE state = 'queued' AND \
    UNIX_TIMESTAMP(due_at) = $closed_at")" 6
t_eq "nothing delivered on the second pass" "$(accepted normal)" 0

# --- open now: delivered -------------------------------------------------
{ read -r open_hours; read -r _; } < <(hours Asia/Tokyo -120 120)
q_tegami window add open --tz Asia/Tokyo --hours "$open_hours" >/dev/null
fresh
q_tegami enqueue-test --count 5 --domain example.test --window open \
    >/dev/null
run_sender "open window"
peer_stop
t_eq "open window ($open_hours Tokyo): 5 delivered" "$(accepted normal)" 5
t_eq "open window: 5 rows sent" "$(q_state sent)" 5

# --- 451: the retry waits for the window ---------------------------------
# Open for the next hour; a 7th attempt backs off about 4 hours (the cap),
# which falls outside: the retry moves to tomorrow's start.
{ read -r retry_hours; read -r retry_at; } < <(hours Asia/Tokyo -60 60)
q_tegami window add retry --tz Asia/Tokyo --hours "$retry_hours" >/dev/null
fresh
peer rcpt451
q_tegami enqueue-test --count 3 --domain example.test --window retry \
    >/dev/null
svc_sql tegami -e "UPDATE queue SET attempts = 6"
run_sender "451 in window"
peer_stop
t_eq "451 ($retry_hours Tokyo): 3 deferred, attempt counted" \
    "$(q_sql1 "SELECT COUNT(*) FROM queue WHERE state = 'deferred' AND \
    attempts = 7 AND last_code = 451")" 3
t_eq "451: next attempt moved to the window's next start" \
    "$(q_sql1 "SELECT COUNT(*) FROM queue WHERE \
    UNIX_TIMESTAMP(next_attempt) = $retry_at AND \
    UNIX_TIMESTAMP(due_at) = $retry_at")" 3
t_eq "451: one deferred event per row" \
    "$(q_sql1 "SELECT COUNT(*) FROM delivery_event WHERE \
    outcome = 'deferred'")" 3

# A 451 without a window keeps the plain back-off (before the window's
# next start): the move above came from the window.
fresh
peer rcpt451
q_tegami enqueue-test --count 1 --domain example.test >/dev/null
svc_sql tegami -e "UPDATE queue SET attempts = 6"
run_sender "451 no window"
peer_stop
t_eq "451 without a window: back-off of 3.2 to 4.8 hours kept" \
    "$(q_sql1 "SELECT COUNT(*) FROM queue WHERE state = 'deferred' AND \
    next_attempt BETWEEN NOW() + INTERVAL 3 HOUR AND \
    NOW() + INTERVAL 5 HOUR")" 1
t_done
