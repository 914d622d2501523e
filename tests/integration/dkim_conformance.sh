#!/usr/bin/env bash
# dkim_conformance.sh - `tegami dkim sign` judged by independent verifiers:
# dkimpy and OpenDKIM (and Mail::DKIM for RSA), through the scripts in
# ../shared/conformance/verify/ (read from there, never copied).
#
# Fresh RSA-2048 and Ed25519 keys from openssl; messages: ASCII, Japanese
# UTF-8 (8-bit and encoded), ISO-2022-JP, long folded headers, empty body,
# headers only, trailing blank lines, dot-leading lines, and messages made
# by mime_build() (the hidden --demo-message flag). Each is signed with
# both keys and verified; one is signed twice and both signatures are
# checked; our bh= is compared with dkimpy's for the same message and
# canonicalization. Prints "ok - ..." / "not ok - ...: why"; exits 1 on
# any failure.
#
# Environment: BUILD (default build), TEGAMI_TEST_TMP, TEGAMI_CONFORMANCE.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
TEGAMI=$BUILD/tegami
TOP=$(git -C "$ROOT" rev-parse --show-toplevel 2>/dev/null || echo "$ROOT")
CONF=${TEGAMI_CONFORMANCE:-$TOP/../shared/conformance}
V=$CONF/verify
PY=${PYTHON:-/usr/bin/python3}
BASE=${TEGAMI_TEST_TMP:-$(mktemp -d)}
T=$BASE/dkim_conformance
rm -rf "$T"
mkdir -p "$T"
fails=0

ok() { echo "ok - dkim_conformance: $1"; }
notok() { echo "not ok - dkim_conformance: $1: $2"; fails=$((fails + 1)); }
# check NAME CMD... - ok when CMD exits 0; its output goes to the log
check() {
	local name=$1 log
	shift
	log=$T/log.$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_')
	if "$@" >"$log" 2>&1; then
		ok "$name"
	else
		notok "$name" "$(tr '\n' ' ' <"$log" | cut -c1-300)"
	fi
}
# refuse NAME CMD... - ok when CMD fails
refuse() {
	local name=$1
	shift
	if "$@" >"$T/refuse.out" 2>&1; then
		notok "$name" "accepted"
	else
		ok "$name"
	fi
}

for need in "$TEGAMI" "$V/dkim-verify.sh" "$V/dkim-sign.sh"; do
	if [ ! -x "$need" ]; then
		notok "setup" "missing $need"
		exit 1
	fi
done

# --- keys -------------------------------------------------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out "$T/rsa.pem" 2>/dev/null
openssl genpkey -algorithm ed25519 -out "$T/ed.pem" 2>/dev/null
rsa_p=$(openssl pkey -in "$T/rsa.pem" -pubout -outform DER | base64 -w0)
ed_p=$(openssl pkey -in "$T/ed.pem" -pubout -outform DER | tail -c 32 |
    base64 -w0)
{
	printf 'rsa._domainkey.example.org TXT "v=DKIM1; k=rsa; p=%s"\n' "$rsa_p"
	printf 'ed._domainkey.example.org TXT "v=DKIM1; k=ed25519; p=%s"\n' "$ed_p"
} >"$T/keys.txt"
[ "$("$TEGAMI" dkim record --key "$T/rsa.pem")" = "v=DKIM1; k=rsa; p=$rsa_p" ] &&
    ok "dkim record (RSA) matches openssl" ||
    notok "dkim record (RSA) matches openssl" "differs"
[ "$("$TEGAMI" dkim record --key "$T/ed.pem")" = "v=DKIM1; k=ed25519; p=$ed_p" ] &&
    ok "dkim record (Ed25519) matches openssl" ||
    notok "dkim record (Ed25519) matches openssl" "differs"

# --- messages (CRLF) --------------------------------------------------------
crlf() { sed 's/\r$//; s/$/\r/'; }
hdrs() {
	printf 'From: Tegami <news@example.org>\nTo: taro@example.jp\n'
	printf 'Date: Mon, 30 Nov 2026 00:53:20 +0000\n'
	printf 'Message-ID: <%s@example.org>\n' "$1"
}
M=$T/msg
mkdir -p "$M"
{ hdrs ascii; printf 'Subject: Plain ASCII\n\nHello,\n\nplain text.\n'; } |
    crlf >"$M/ascii.eml"
{ hdrs utf8; printf 'Subject: =?UTF-8?B?44GT44KT44Gr44Gh44Gv?=\n'
  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n'
  printf 'Content-Transfer-Encoding: 8bit\n\n'
  printf '山田様\n\n  全角　スペースと  半角スペース  \nこんにちは、世界。\n'; } |
    crlf >"$M/japanese-utf8.eml"
{ hdrs jis; printf 'Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\n'
  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\n'
  printf 'Content-Transfer-Encoding: 7bit\n\n'
  printf '「こんにちは、世界」\n日本語の本文です。\n' |
      iconv -f UTF-8 -t ISO-2022-JP; } | crlf >"$M/iso2022jp.eml"
{ hdrs long
  printf 'Subject:'
  for i in $(seq 1 60); do printf ' word%02d' "$i"; done
  printf '\nX-Folded: first\n\tsecond\n   third\n\t \tfourth\n'
  printf 'X-Long: %s\n' "$(head -c 900 /dev/zero | tr '\0' 'x')"
  printf '\nbody\n'; } | crlf >"$M/long-headers.eml"
{ hdrs empty; printf 'Subject: empty body\n\n'; } | crlf >"$M/empty-body.eml"
{ hdrs onlyhdr; printf 'Subject: no body at all\n'; } | crlf >"$M/headers-only.eml"
{ hdrs trailing; printf 'Subject: trailing\n\ntext\n\n\n\n  \n\n'; } |
    crlf >"$M/trailing-blank.eml"
{ hdrs dots; printf 'Subject: dots\n\n.\n..two\n.leading dot\n. \nend\n'; } |
    crlf >"$M/dot-leading.eml"
{ hdrs ws; printf 'Subject:   spaced    out  \nX-Tab:\tvalue\t\n\n'
  printf ' a  b \t c \n\t\tindented\ntrailing   \n'; } | crlf >"$M/whitespace.eml"
# messages built by mime_build(), signature stripped to get them unsigned
strip_sig() { awk 'NR == 1 && /^DKIM-Signature:/ { s = 1; next }
    s && /^[ \t]/ { next } { s = 0; print }'; }
for kind in utf8 iso2022jp text ascii; do
	if "$TEGAMI" dkim sign --key "$T/ed.pem" --domain example.org \
	    --selector ed --demo-message "$kind" >"$T/demo.out" 2>"$T/demo.err"
	then
		strip_sig <"$T/demo.out" >"$M/mime-$kind.eml"
		ok "mime_build message ($kind) built"
	else
		notok "mime_build message ($kind) built" "$(cat "$T/demo.err")"
	fi
done
check "mime_build output: CRLF only, lines <= 998, headers <= 78" \
    "$PY" - "$M"/mime-*.eml <<'PYEOF'
import sys
for f in sys.argv[1:]:
    data = open(f, "rb").read()
    assert data.count(b"\n") == data.count(b"\r\n"), f + ": bare LF"
    assert data.count(b"\r") == data.count(b"\r\n"), f + ": bare CR"
    head, _, body = data.partition(b"\r\n\r\n")
    for l in head.split(b"\r\n"):
        assert len(l) <= 78, f + ": header line over 78"
    for l in body.split(b"\r\n"):
        assert len(l) <= 998, f + ": line over 998"
PYEOF

check "mime_build output re-parsed by Python's email package: no defects" \
    "$PY" - "$M" <<'PYEOF'
import email, email.policy, sys
want_subject = {
    "utf8": "【重要】ご登録内容の確認のお願い — Tegami からのお知らせ"
            "（2026年11月号）長い件名の折り返しを確認します",
    "iso2022jp": "【重要】ご登録内容の確認のお願い Tegami からのお知らせ"
                 "（2026年11月号）長い件名の折り返しを確認",
    "text": None, "ascii": "Monthly news",
}
for kind, subj in want_subject.items():
    raw = open("%s/mime-%s.eml" % (sys.argv[1], kind), "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    assert not m.defects, (kind, m.defects)
    if subj is not None:
        assert str(m["Subject"]) == subj, (kind, str(m["Subject"]))
    texts = [p for p in m.walk() if p.get_content_maintype() == "text"]
    assert texts, kind
    for p in texts:
        assert not p.defects, (kind, p.defects)
        body = p.get_content()
        assert isinstance(body, str) and body, kind
    if kind in ("utf8", "iso2022jp"):
        assert m.get_content_type() == "multipart/alternative", kind
        assert [p.get_content_type() for p in texts] == \
            ["text/plain", "text/html"], kind
        assert "山田様" in texts[0].get_content(), kind
        assert str(m["To"]) == "山田 太郎 <taro@example.net>", kind
PYEOF

# --- sign and verify ----------------------------------------------------------
S=$T/signed
mkdir -p "$S"
for msg in "$M"/*.eml; do
	name=$(basename "$msg" .eml)
	for key in rsa ed; do
		for canon in relaxed/relaxed simple/simple; do
			c=${canon%/*}-${canon#*/}
			out=$S/$name.$key.$c.eml
			if ! "$TEGAMI" dkim sign --key "$T/$key.pem" \
			    --domain example.org --selector "$key" \
			    --canon "$canon" --time 1700000000 "$msg" \
			    >"$out" 2>"$out.err"; then
				notok "sign $name $key $canon" "$(cat "$out.err")"
				continue
			fi
			check "$name $key $canon: dkimpy" \
			    "$V/dkim-verify.sh" "$out" "$T/keys.txt"
			if [ "$canon" = relaxed/relaxed ]; then
				check "$name $key $canon: opendkim" \
				    "$V/dkim-verify.sh" --verifier opendkim \
				    "$out" "$T/keys.txt"
			fi
		done
	done
done
# relaxed/simple too
"$TEGAMI" dkim sign --key "$T/ed.pem" --domain example.org --selector ed \
    --canon relaxed/simple "$M/whitespace.eml" >"$S/ws-rs.eml" 2>/dev/null
check "whitespace ed relaxed/simple: dkimpy" "$V/dkim-verify.sh" \
    "$S/ws-rs.eml" "$T/keys.txt"

# --- tampering is caught (the verifiers are not trivially passing) -----------
sed 's/Hello,/Jello,/' "$S/ascii.rsa.relaxed-relaxed.eml" >"$T/bad-body.eml"
refuse "tampered body fails (dkimpy)" "$V/dkim-verify.sh" "$T/bad-body.eml" \
    "$T/keys.txt"
refuse "tampered body fails (opendkim)" "$V/dkim-verify.sh" --verifier opendkim \
    "$T/bad-body.eml" "$T/keys.txt"
sed 's/^Subject: Plain ASCII/Subject: Plain ASCII!/' \
    "$S/ascii.ed.relaxed-relaxed.eml" >"$T/bad-hdr.eml"
refuse "tampered subject fails (dkimpy)" "$V/dkim-verify.sh" "$T/bad-hdr.eml" \
    "$T/keys.txt"
# an added second Subject breaks the oversigned signature
awk '{ print } /^Subject: Plain ASCII/ { print "Subject: injected\r" }' \
    "$S/ascii.ed.relaxed-relaxed.eml" >"$T/bad-dup.eml"
refuse "added Subject fails (oversigning, dkimpy)" "$V/dkim-verify.sh" \
    "$T/bad-dup.eml" "$T/keys.txt"

# --- two signatures -------------------------------------------------------------
for msg in ascii mime-utf8 mime-iso2022jp; do
	"$TEGAMI" dkim sign --key "$T/rsa.pem" --domain example.org \
	    --selector rsa "$M/$msg.eml" >"$T/one.eml" 2>/dev/null &&
	"$TEGAMI" dkim sign --key "$T/ed.pem" --domain example.org \
	    --selector ed "$T/one.eml" >"$T/two-$msg.eml" 2>/dev/null
	check "$msg double-signed: signature 0 (Ed25519), dkimpy" \
	    "$V/dkim-verify.sh" --index 0 "$T/two-$msg.eml" "$T/keys.txt"
	check "$msg double-signed: signature 1 (RSA), dkimpy" \
	    "$V/dkim-verify.sh" --index 1 "$T/two-$msg.eml" "$T/keys.txt"
	check "$msg double-signed: first signature, opendkim" \
	    "$V/dkim-verify.sh" --verifier opendkim "$T/two-$msg.eml" \
	    "$T/keys.txt"
	# opendkim checks the topmost only: swap the order for the other
	"$TEGAMI" dkim sign --key "$T/ed.pem" --domain example.org \
	    --selector ed "$M/$msg.eml" >"$T/one.eml" 2>/dev/null &&
	"$TEGAMI" dkim sign --key "$T/rsa.pem" --domain example.org \
	    --selector rsa "$T/one.eml" >"$T/swap-$msg.eml" 2>/dev/null
	check "$msg double-signed (RSA on top): opendkim" \
	    "$V/dkim-verify.sh" --verifier opendkim "$T/swap-$msg.eml" \
	    "$T/keys.txt"
done

# --- bh= against dkimpy ---------------------------------------------------------
tagval() {
	"$PY" - "$1" "$2" <<'PYEOF'
import re, sys
data = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
m = re.match(r"DKIM-Signature:(.*?)\r?\n(?=[^ \t])", data, re.S | re.I)
tags = {}
for t in re.sub(r"\s+", "", m.group(1)).split(";"):
    if "=" in t:
        k, v = t.split("=", 1)
        tags[k] = v
print(tags.get(sys.argv[2], ""))
PYEOF
}
for msg in "$M"/*.eml; do
	name=$(basename "$msg" .eml)
	for canon in relaxed/relaxed simple/simple; do
		c=${canon%/*}-${canon#*/}
		"$V/dkim-sign.sh" --canon "$canon" "$T/ed.pem" example.org ed \
		    "$msg" >"$T/ref.eml" 2>"$T/ref.err" || {
			notok "$name $canon: dkimpy signs" "$(cat "$T/ref.err")"
			continue
		}
		ours=$(tagval "$S/$name.ed.$c.eml" bh)
		theirs=$(tagval "$T/ref.eml" bh)
		if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
			ok "$name $canon: bh= equals dkimpy's"
		else
			notok "$name $canon: bh= equals dkimpy's" \
			    "ours $ours, dkimpy $theirs"
		fi
	done
done

# --- the CLI ----------------------------------------------------------------------
check "t= as given" [ "$(tagval "$S/ascii.ed.relaxed-relaxed.eml" t)" = \
    1700000000 ]
check "no l= tag, no rsa-sha1" sh -c "! grep -E '(^|[ ;])l=|rsa-sha1' \
    '$S/ascii.rsa.relaxed-relaxed.eml'"
"$TEGAMI" dkim sign --key "$T/ed.pem" --domain example.org --selector ed \
    --headers '' "$M/ascii.eml" >"$T/empty-h.eml" 2>/dev/null
check "--headers '' means the default set" [ "$(tagval "$T/empty-h.eml" h)" \
    = From:From:To:To:Subject:Subject:Date:Date:Message-ID:Message-ID ]
"$TEGAMI" dkim sign --key "$T/rsa.pem" --domain example.org --selector rsa \
    --headers 'from:to:subject' "$M/ascii.eml" >"$T/custom-h.eml" 2>/dev/null
check "--headers list verifies (dkimpy)" "$V/dkim-verify.sh" \
    "$T/custom-h.eml" "$T/keys.txt"
printf 'To: a@example.net\r\nSubject: x\r\n\r\nhi\r\n' >"$T/nofrom.eml"
refuse "message without From refused" "$TEGAMI" dkim sign --key "$T/ed.pem" \
    --domain example.org --selector ed "$T/nofrom.eml"
check "refusal names From" grep -q From "$T/refuse.out"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$T/ec.pem" 2>/dev/null
refuse "EC key refused" "$TEGAMI" dkim sign --key "$T/ec.pem" \
    --domain example.org --selector ed "$M/ascii.eml"
refuse "missing key file refused" "$TEGAMI" dkim sign --key "$T/nope.pem" \
    --domain example.org --selector ed "$M/ascii.eml"
refuse "unreadable message refused" "$TEGAMI" dkim sign --key "$T/ed.pem" \
    --domain example.org --selector ed "$T/nope.eml"
"$TEGAMI" dkim sign --key "$T/ed.pem" --domain example.org --selector ed \
    "$T/nope.eml" >/dev/null 2>&1
check "exit status 1 on errors" [ $? -eq 1 ]
# LF input is signed as the CRLF message it becomes
sed 's/\r$//' "$M/ascii.eml" >"$T/lf.eml"
"$TEGAMI" dkim sign --key "$T/ed.pem" --domain example.org --selector ed \
    "$T/lf.eml" >"$T/lf-signed.eml" 2>/dev/null
check "LF input comes out CRLF and verifies" "$V/dkim-verify.sh" \
    "$T/lf-signed.eml" "$T/keys.txt"

if [ "$fails" -gt 0 ]; then
	exit 1
fi
exit 0
