#!/usr/bin/env bash
# web_tls.sh - tegami-web behind TLS (web.tls = true): HSTS and __Host-
# cookies with Secure; and bad configuration values refused at start with
# the key and the reason. A second tegami-web on the same database, with
# the environment overriding the configuration file.
. "$(dirname "$0")/lib.sh"
t_init web_tls
t_need TEGAMI_URL TEGAMI_CONFIG

# --- bad values are refused at start, naming the key
out=$(TEGAMI_WEB_THREADS=0 "$BUILD/tegami-web" -c "$TEGAMI_CONFIG" 2>&1)
t_eq "web.threads=0 stops the start" "$?" 1
t_check "the message names the key and the bounds" grep -q 'web.threads.*1 to 256' <<< "$out"
out=$(TEGAMI_UI_LANG=fr "$BUILD/tegami-web" -c "$TEGAMI_CONFIG" 2>&1)
t_check "a bad language is refused with the reason" grep -q 'ui.lang.*not a supported language' <<< "$out"
printf 'db.name = tegami\nweb.colour = blue\n' > "$T_DIR/bad.conf"
out=$("$BUILD/tegami-web" -c "$T_DIR/bad.conf" 2>&1)
t_check "an unknown key is refused with file and line" grep -q 'bad.conf line 2: unknown key "web.colour"' <<< "$out"
printf 'web.threads = 4\nweb.threads = 5\n' > "$T_DIR/twice.conf"
out=$("$BUILD/tegami-web" -c "$T_DIR/twice.conf" 2>&1)
t_check "a key set twice is refused" grep -q 'web.threads is set twice' <<< "$out"

# --- a TLS-fronted instance
sock=$T_DIR/tls.sock
TEGAMI_WEB_TLS=true TEGAMI_WEB_SOCKET=$sock \
    "$BUILD/tegami-web" -c "$TEGAMI_CONFIG" </dev/null >"$T_DIR/web.log" 2>&1 &
svc_track tegami-web-tls $!
svc_wait_for 30 $! test -S "$sock" || t_fail "tls instance" "did not start"
port=$(svc_free_port)
svc_nginx_start "$T_DIR/nginx" "$port" "$sock" >/dev/null 2>&1 ||
    t_fail "nginx" "did not start"
HTTP_JAR=$T_DIR/jar; rm -f "$HTTP_JAR"
http_get "http://127.0.0.1:$port/login"
t_eq "the TLS instance answers" "$HTTP_STATUS" 200
t_check "HSTS is sent" grep -qi '^strict-transport-security: max-age=' "$HTTP_HEADERS"
t_check "the pre-session cookie is __Host- and Secure" grep -qi '^set-cookie: __Host-tegami_pre=[^;]*; Path=/; HttpOnly; SameSite=Lax; Secure' "$HTTP_HEADERS"
t_check "no cookie without the prefix" bash -c "! grep -qi '^set-cookie: tegami_pre=' '$HTTP_HEADERS'"
t_done
