#!/usr/bin/env bash
# Installs what Tegami needs to build, run and test on Debian 12, only what is
# missing. Idempotent; must run as root on a machine that lacks packages.
# Services installed here (mariadb, nginx, postfix, dnsmasq) are never started
# as system services: Tegami runs private instances under var/ or a temp dir.
set -euo pipefail

PKGS=(
	build-essential g++ pkg-config make
	libfcgi-dev libctemplate-dev libmariadb-dev libsodium-dev libssl-dev
	libc-ares-dev
	mariadb-server mariadb-client nginx-light postfix
	curl wrk openssl ca-certificates
	clang libclang-rt-14-dev cppcheck
	python3-dkim python3-nacl python3-dnspython python3-yaml python3-spf
	opendkim opendkim-tools gpgsm
	chromium fonts-ipafont-gothic
	procps iproute2 psmisc dnsmasq-base swaks
)

# Node.js may come from elsewhere (nodesource); only ask Debian when absent.
command -v npm >/dev/null 2>&1 || PKGS+=(nodejs npm)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "tools/deps.sh: missing packages: ${missing[*]}" >&2
		echo "tools/deps.sh: run as root (or: sudo apt-get install ${missing[*]})" >&2
		exit 1
	fi
	echo "tools/deps.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# Keep package scripts from starting system services during install.
	policy=/usr/sbin/policy-rc.d
	created_policy=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' > "$policy"
		chmod 755 "$policy"
		created_policy=1
	fi
	echo "postfix postfix/main_mailer_type select No configuration" |
		debconf-set-selections
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}" || {
		[ "$created_policy" = 1 ] && rm -f "$policy"; exit 1; }
	[ "$created_policy" = 1 ] && rm -f "$policy"
fi

# Browser tests drive Debian's chromium through playwright-core (no download).
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -d "$here/tests/browser/node_modules/playwright-core" ]; then
	(cd "$here/tests/browser" && npm install --no-audit --no-fund --silent) ||
		echo "tools/deps.sh: npm install of playwright-core failed" >&2
fi
exit 0
