#!/usr/bin/env bash
# catalog_keys.sh - every message key the C code of tegami-web shows
# (flash messages, field errors, error pages) exists in both catalogs, so no
# user ever sees a bare key. Needs no services.
. "$(dirname "$0")/lib.sh"
T_NAME=catalog_keys
cat_ja=$T_ROOT/templates/i18n/ja.txt
cat_en=$T_ROOT/templates/i18n/en.txt
keys=$(grep -ohE '"[a-z_]+\.[a-z_]+"' "$T_ROOT"/app/web/*.c | tr -d '"' |
    grep -vE '\.(h|c|tpl|txt|sh)$' | sort -u)
n=0
for k in $keys; do
	n=$((n + 1))
	grep -q "^$k *=" "$cat_en" && grep -q "^$k *=" "$cat_ja" ||
		t_fail "key $k" "missing from a catalog (ja or en)"
done
t_check "found the keys the web code uses ($n)" [ "$n" -gt 20 ]
[ "$T_FAILED" = 0 ] && t_ok "every key is in both catalogs"
t_done
