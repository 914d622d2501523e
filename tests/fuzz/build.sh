#!/usr/bin/env bash
# build.sh [OUTDIR] - builds every tests/fuzz/*_fuzz.c as a libFuzzer
# binary OUTDIR/<name>_fuzz (default build/fuzz) with ASan and UBSan.
#
# All of app/**/*.c except the program mains is compiled once with fuzzer
# coverage into OUTDIR/obj and archived into OUTDIR/libtegami-fuzz.a; each
# target links against the archive, so it pulls in only what it uses (and
# never needs the C++ view bridge, app/view/*.cc, which is left out). A
# source that does not compile is reported and left out; a target that
# needs it then fails to link and is reported. Exit status: 0 when every
# target was built.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
OUT=${1:-build/fuzz}
case $OUT in /*) ;; *) OUT=$ROOT/$OUT ;; esac
CC=${FUZZ_CC:-clang}
PKGS="libsodium openssl libcares libmariadb"
MAINS=" app/web/main.c app/sender/main.c app/cli/tegami.c "
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer $SAN \
    $(pkg-config --cflags $PKGS 2>/dev/null)"
LIBS="$(pkg-config --libs $PKGS 2>/dev/null) -lfcgi -lctemplate -lstdc++ \
    -lpthread -lm"

if ! command -v "$CC" >/dev/null; then
	echo "build.sh: $CC not found (apt-get install clang)" >&2
	exit 2
fi
mkdir -p "$OUT/obj"

# The newest header decides whether an up-to-date object is still good.
newest_h=$(find app -name '*.h' -printf '%T@\n' 2>/dev/null | sort -n |
    tail -1)
newest_h=${newest_h%.*}
objs=()
while IFS= read -r src; do
	case $MAINS in *" $src "*) continue ;; esac
	obj=$OUT/obj/${src%.c}.o
	mkdir -p "$(dirname "$obj")"
	if [ -f "$obj" ] && [ "$obj" -nt "$src" ] &&
	    [ "$(stat -c %Y "$obj")" -gt "${newest_h:-0}" ]; then
		objs+=("$obj")
		continue
	fi
	if $CC $CFLAGS -fsanitize=fuzzer-no-link -c -o "$obj" "$src" \
	    2>"$obj.log"; then
		objs+=("$obj")
	else
		rm -f "$obj"
		echo "build.sh: $src does not compile, left out" \
		    "(see $obj.log)" >&2
	fi
done < <(find app -name '*.c' | sort)

lib=$OUT/libtegami-fuzz.a
rm -f "$lib"
ar rcs "$lib" "${objs[@]}" || exit 2

rc=0
for t in tests/fuzz/*_fuzz.c; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .c)
	if $CC $CFLAGS -fsanitize=fuzzer -o "$OUT/$name" "$t" "$lib" \
	    $LIBS 2>"$OUT/$name.log"; then
		echo "build.sh: built $OUT/$name"
	else
		rm -f "$OUT/$name"
		echo "build.sh: $t does not build (see $OUT/$name.log):" >&2
		tail -5 "$OUT/$name.log" >&2
		rc=1
	fi
done
exit $rc
