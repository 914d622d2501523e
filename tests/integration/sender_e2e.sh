#!/usr/bin/env bash
# sender_e2e.sh - tegami-sender end to end on real parts: a private MariaDB,
# smtp-sink capturing every message to a file, a private Postfix hop.
#   domain add, domain key --generate rsa and ed25519, enqueue-test 500,
#   tegami-sender --drain until the queue is empty, then: every message
#   captured exactly once (by Message-ID), both signatures verified by
#   dkimpy on a sample and by OpenDKIM on a sample; then 20 more through
#   Postfix to the sink, signatures still verify after the hop.
# Conformance scripts: ${TEGAMI_CONFORMANCE:-<repo>/../shared/conformance}.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/bench/sender/lib.sh"
t_init sender_e2e
rm -rf "$T_DIR"; mkdir -p "$T_DIR"
CONF=${TEGAMI_CONFORMANCE:-$(git -C "$T_ROOT" rev-parse --show-toplevel)/..}
[ -n "${TEGAMI_CONFORMANCE:-}" ] || CONF=$CONF/shared/conformance
VERIFY=$CONF/verify/dkim-verify.sh
if [ ! -x "$VERIFY" ]; then
	t_fail "conformance" "no $VERIFY (set TEGAMI_CONFORMANCE)"
	t_done
fi
N=${SENDER_E2E_N:-500}
trap 'pf_stop; svc_stop_all' EXIT

if ! q_sink_start "$T_DIR/sink"; then
	t_fail "smtp-sink" "did not start"; t_done
fi
t_queue "$T_DIR/q" "127.0.0.1:$sinkport"
t_ok "private MariaDB migrated"

t_check "domain add" q_tegami domain add example.test
q_tegami domain key example.test --selector r2048 --generate rsa \
    > "$T_DIR/rsa.txt" 2>&1
t_check "domain key --generate rsa prints the TXT record" \
    grep -q '^r2048._domainkey.example.test TXT "v=DKIM1; k=rsa; p=' \
    "$T_DIR/rsa.txt"
q_tegami domain key example.test --selector ed --generate ed25519 \
    > "$T_DIR/ed.txt" 2>&1
t_check "domain key --generate ed25519 prints the TXT record" \
    grep -q '^ed._domainkey.example.test TXT "v=DKIM1; k=ed25519; p=' \
    "$T_DIR/ed.txt"
t_check "sealed keys stored, no plaintext PEM in the database" \
    test "$(svc_sql -N tegami -e "SELECT COUNT(*) FROM dkim_key WHERE \
    private_sealed NOT LIKE '%PRIVATE KEY%'")" = 2
q_keys_file "$T_DIR/keys.txt"

t_check "enqueue-test --count $N" q_tegami enqueue-test --count "$N" \
    --domain example.test --size 2500 --html
t_eq "queue status shows $N queued" "$(q_state queued)" "$N"

q_sender_start --drain
if q_sender_wait 300; then
	t_ok "tegami-sender drained the queue and exited"
else
	t_fail "tegami-sender drained the queue" "still running after 300 s"
	kill "$Q_SENDER_PID"
fi
t_eq "all $N rows sent" "$(q_state sent)" "$N"
t_eq "nothing left leased" "$(q_state leased)" 0
sleep 1
q_msgids "$SINK" > "$T_DIR/msgids"
t_eq "sink captured $N messages" "$(wc -l < "$T_DIR/msgids")" "$N"
t_eq "each Message-ID exactly once" "$(sort -u "$T_DIR/msgids" | wc -l)" "$N"
t_eq "queue Message-IDs match the sink's" \
    "$(svc_sql -N tegami -e "SELECT message_id FROM queue_message_id WHERE \
    state = 'sent'" | sort | md5sum)" "$(sort "$T_DIR/msgids" | md5sum)"

# A sample: dkimpy checks both signatures, OpenDKIM the first (RSA).
bad=0; n=0
for f in $(find "$SINK" -type f | sort | head -n 20); do
	n=$((n + 1))
	"$VERIFY" "$f" "$T_DIR/keys.txt" > "$T_DIR/verify.out" 2>&1 ||
	    { bad=$((bad + 1)); cp "$f" "$T_DIR/failed.$n"; }
	grep -q 'signature 1 (a=ed25519-sha256' "$T_DIR/verify.out" ||
	    bad=$((bad + 1))
done
t_eq "dkimpy verifies rsa-sha256 and ed25519-sha256 on 20 messages" \
    "$bad" 0
bad=0
for f in $(find "$SINK" -type f | sort | tail -n 5); do
	"$VERIFY" --verifier opendkim "$f" "$T_DIR/keys.txt" \
	    >> "$T_DIR/opendkim.out" 2>&1 || bad=$((bad + 1))
done
t_eq "OpenDKIM verifies 5 messages" "$bad" 0
f=$(find "$SINK" -type f | head -n 1)
t_check "personalized: subject carries the merge fields" \
    grep -q '^Subject: Test message [0-9]* for Test User [0-9]*' "$f"

# A transactional send: text as written (no template), signed, and the
# Message-ID `tegami send` printed is the one that arrives.
out=$(q_tegami send --to someone@example.test --from Ops@Example.TEST \
    --subject 'Receipt {{not_a_field}}' --text 'Total: {{literal}} 100 JPY')
mid=$(printf '%s\n' "$out" | sed -n 's/^queued [0-9]*: //p')
q_sender_start --drain
q_sender_wait 120 || kill "$Q_SENDER_PID"
sleep 0.5
f=$(grep -l -F "Message-ID: $mid" -r "$SINK" | head -n 1)
t_check "tegami send: delivered with the Message-ID it printed ($mid)" \
    test -n "$f"
t_check "tegami send: text sent as written" grep -q -F \
    'Total: {{literal}} 100 JPY' "${f:-/dev/null}"
t_check "tegami send: signed and verified" "$VERIFY" "${f:-/dev/null}" \
    "$T_DIR/keys.txt"
t_eq "tegami send: queue row sent with that Message-ID" \
    "$(svc_sql -N tegami -e "SELECT COUNT(*) FROM queue_message_id WHERE \
    state = 'sent' AND message_id = '$mid'")" 1

# Through a real SMTP hop: Postfix relays to the same sink.
if command -v postfix >/dev/null && [ "$(id -u)" = 0 ]; then
	pfport=$(svc_free_port)
	if pf_setup "$T_DIR/postfix" "$pfport" "$sinkport" \
	    >"$T_DIR/pf-setup.log" 2>&1 && pf_start; then
		q_smarthost "127.0.0.1:$pfport"
		rm -rf "$SINK"; mkdir -p "$SINK"
		q_tegami enqueue-test --count 20 --domain example.test \
		    --first 100000 --size 1500 >/dev/null
		q_sender_start --drain
		q_sender_wait 120 || kill "$Q_SENDER_PID"
		for i in $(seq 1 300); do
			[ "$(find "$SINK" -type f | wc -l)" -ge 20 ] && break
			sleep 0.2
		done
		sleep 0.5
		t_eq "Postfix relayed 20 messages to the sink" \
		    "$(find "$SINK" -type f | wc -l)" 20
		t_check "the hop is visible (Postfix Received line)" \
		    grep -q 'relay.sender.test' "$(find "$SINK" -type f | head -n 1)"
		bad=0
		while IFS= read -r f; do
			"$VERIFY" "$f" "$T_DIR/keys.txt" >/dev/null 2>&1 ||
			    bad=$((bad + 1))
		done < <(find "$SINK" -type f)
		t_eq "dkimpy: signatures still pass after the Postfix hop" \
		    "$bad" 0
		f=$(find "$SINK" -type f | head -n 1)
		t_check "OpenDKIM: still passes after the Postfix hop" \
		    "$VERIFY" --verifier opendkim "$f" "$T_DIR/keys.txt"
	else
		t_fail "Postfix hop" "private Postfix did not start ($T_DIR/pf-setup.log)"
	fi
else
	t_ok "Postfix hop skipped: needs root and postfix"
fi
t_done
