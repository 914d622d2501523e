#!/usr/bin/env bash
# check-layering.sh - the layering rules of STYLE.md as greps, one
# "ok - layering: ..." or "not ok - layering: ...: FILE" line per rule or
# violation; exits 1 on any violation.
#
#	- only app/web/ includes web/ headers, only app/sender/ sender/ ones,
#	  only app/cli/ cli/ ones; app/core/ includes no other layer
#	- mysql_query / mysql_real_query only in app/db/migrate.c (everything
#	  else uses prepared statements through app/db/)
#	- every .c file starts with a comment saying what it is for
set -u
cd "$(dirname "$0")/.." || exit 2

failed=0
pass() { printf 'ok - layering: %s\n' "$1"; }
fail() { printf 'not ok - layering: %s\n' "$*"; failed=1; }

# Source files of the project (never build output or node_modules).
sources() {
	find app tests bench tools -type f \( -name "$1" -o -name "$2" \
	    -o -name "$3" \) -not -path '*/node_modules/*' \
	    -not -path 'tests/fuzz/out/*' 2>/dev/null | sort
}

INC='^[[:space:]]*#[[:space:]]*include[[:space:]]*'

# app_sources - C sources and headers under app/.
app_sources() {
	find app -type f \( -name '*.c' -o -name '*.h' -o -name '*.cc' \) |
	    sort
}

# include_rule LAYER - files outside app/LAYER/ must not include LAYER/*.h.
include_rule() {
	local layer=$1 f bad=0 hits
	while IFS= read -r f; do
		case $f in app/"$layer"/*) continue ;; esac
		hits=$(grep -nE "${INC}[\"<]([.][.]/)*(app/)?$layer/" "$f" |
		    head -n 3)
		if [ -n "$hits" ]; then
			fail "$layer/ header outside app/$layer/: $f:" \
			    "${hits//$'\n'/; }"
			bad=1
		fi
	done < <(app_sources)
	[ "$bad" = 0 ] && pass "no $layer/ header included outside app/$layer/"
}

include_rule web
include_rule sender
include_rule cli

# app/core knows nothing of Tegami's other layers.
bad=0
while IFS= read -r f; do
	hits=$(grep -nE "$INC\"[.][.]/" "$f" | grep -v '"\.\./core/' |
	    head -n 3)
	if [ -n "$hits" ]; then
		fail "app/core includes another layer: $f: ${hits//$'\n'/; }"
		bad=1
	fi
done < <(find app/core -type f \( -name '*.c' -o -name '*.h' \) | sort)
[ "$bad" = 0 ] && pass "app/core includes no other layer"

# Literal SQL execution only in the migration runner.
bad=0
while IFS= read -r f; do
	[ "$f" = app/db/migrate.c ] && continue
	hits=$(grep -nwE 'mysql_(real_)?query' "$f" | head -n 3)
	if [ -n "$hits" ]; then
		fail "mysql_query outside app/db/migrate.c: $f: ${hits//$'\n'/; }"
		bad=1
	fi
done < <(sources '*.c' '*.h' '*.cc')
[ "$bad" = 0 ] && pass "mysql_query/mysql_real_query only in app/db/migrate.c"

# A leading comment atop every .c file.
bad=0
while IFS= read -r f; do
	first=$(grep -m 1 -v '^[[:space:]]*$' "$f")
	case $first in
	/\**|//*) ;;
	*)
		fail "no leading comment: $f"
		bad=1
		;;
	esac
done < <(sources '*.c' '*.cc' '*.no-such-suffix')
[ "$bad" = 0 ] && pass "every .c file starts with a comment"

exit "$failed"
