#!/usr/bin/env bash
# sender_claim.sh - runs the claim unit test (tests/unit/claim_test.c)
# against a private, freshly migrated MariaDB: batches, SKIP LOCKED,
# expired leases, batched results, suppression.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export BUILD
W=${TEGAMI_TEST_TMP:-$(mktemp -d)}/sender_claim
rm -rf "$W"; mkdir -p "$W"
. "$ROOT/tools/services.sh"
trap svc_stop_all EXIT

if ! svc_mariadb_start "$W/db" >"$W/services.log" 2>&1; then
	echo "not ok - sender_claim: private MariaDB did not start ($W/services.log)"
	exit 1
fi
cat > "$W/tegami.conf" <<CONF
db.socket = $TEGAMI_DB_SOCKET
db.name = $TEGAMI_DB_NAME
db.user = $TEGAMI_DB_USER
db.password = $TEGAMI_DB_PASSWORD
CONF
if ! "$BUILD/tegami" -c "$W/tegami.conf" migrate >"$W/migrate.log" 2>&1; then
	echo "not ok - sender_claim: migrate failed ($W/migrate.log)"
	exit 1
fi
echo "ok - sender_claim: private MariaDB migrated"
TEGAMI_CLAIM_DB=$W/tegami.conf "$BUILD/tests/claim_test"
