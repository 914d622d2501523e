#!/usr/bin/env bash
# sender_claim.sh - runs the claim unit test (tests/unit/claim_test.c)
# against a private, freshly migrated MariaDB: batches, SKIP LOCKED,
# expired leases, batched results, suppression.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/bench/sender/lib.sh"
t_init sender_claim
rm -rf "$T_DIR"; mkdir -p "$T_DIR"
t_queue "$T_DIR/q" ""
t_ok "private MariaDB migrated"
TEGAMI_CLAIM_DB=$Q_DIR/tegami.conf "$BUILD/tests/claim_test"
