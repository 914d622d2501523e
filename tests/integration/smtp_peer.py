#!/usr/bin/env python3
"""smtp_peer.py - a scripted SMTP server for the engine's fault tests.

Standard library only (asyncio, ssl). One behaviour per run, chosen by
--mode:

  normal     accept everything (PIPELINING, SIZE, 8BITMIME advertised)
  greet421   "421 4.3.2" at greeting, then close
  rcpt451    "451 4.3.0" to every RCPT
  rcpt550    "550 5.1.1" to RCPT for the addresses in --reject, 250 else
  data552    "552 5.3.4" after the end of DATA
  stall      accept the connection and never answer
  dropdata   close the connection in the middle of DATA
  garbage    answer the greeting with bytes that are not SMTP
  policy421  "421 4.7.0 [TSS04] ..." to MAIL (Yahoo! JAPAN style block)
  stalldata  take the whole message, never answer the final dot (logs
             "AFTERDOT <verb>" when a command follows the dot unasked)
  tss04once  like policy421 for the first MAIL of the run, normal after
  longline   an EHLO reply line of more than 512 octets

--no-pipelining and --no-ehlo take those extensions away.
--tls offers STARTTLS with a self-signed certificate made at start-up
(openssl req) in --dir. Every accepted message (250 after DATA) appends a
line "ACCEPT <message-id> <rcpt,rcpt>" to --log; every connection appends
"CONN"; MAIL (with its parameters), RSET and QUIT are logged too. The listening port is written to --portfile when ready.
"""

import argparse
import asyncio
import os
import re
import ssl
import subprocess
import sys

ARGS = None
SSL_CTX = None
STATE = {"blocked": False}


def log(line):
    if not ARGS.log:
        return
    with open(ARGS.log, "a", encoding="utf-8") as f:
        f.write(line + "\n")
        f.flush()


def make_cert(d):
    os.makedirs(d, exist_ok=True)
    key = os.path.join(d, "peer.key")
    crt = os.path.join(d, "peer.crt")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
         "-keyout", key, "-out", crt, "-days", "2",
         "-subj", "/CN=localhost"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(crt, key)
    return ctx


async def handle(reader, writer):
    log("CONN")
    mode = ARGS.mode
    w = writer

    pending = []

    def send(s):
        if ARGS.dribble:
            pending.append(s.encode() + b"\r\n")
        else:
            w.write(s.encode() + b"\r\n")

    async def flush():
        # --dribble: one byte per write, so replies arrive split anywhere
        data = b"".join(pending)
        pending.clear()
        for i in range(len(data)):
            w.write(data[i:i + 1])
            await w.drain()
            await asyncio.sleep(0.0005)
        await w.drain()

    try:
        if mode == "stall":
            await asyncio.sleep(3600)
            return
        if mode == "greet421":
            send("421 4.3.2 peer.test Service not available, closing")
            await flush()
            w.close()
            return
        if mode == "garbage":
            w.write(b"\x00\x01hello? this is not SMTP\r\n")
            await flush()
            await asyncio.sleep(1)
            w.close()
            return
        if ARGS.dribble:
            send("220-peer.test ESMTP smtp_peer")
            send("220-multi-line greeting, sent one byte at a time")
            send("220 ready")
        else:
            send("220 peer.test ESMTP smtp_peer")
        await flush()
        tls_on = False
        rcpts = []
        while True:
            line = await reader.readline()
            if not line:
                return
            cmd = line.decode("latin-1").rstrip("\r\n")
            verb = cmd.split(" ", 1)[0].upper()
            if verb == "EHLO" and ARGS.no_ehlo:
                send("502 5.5.2 Error: command not recognized")
            elif verb == "EHLO":
                caps = ["peer.test", "SIZE %d" % ARGS.size, "8BITMIME"]
                if not ARGS.no_pipelining:
                    caps.insert(1, "PIPELINING")
                if ARGS.tls and not tls_on:
                    caps.append("STARTTLS")
                if mode == "longline":
                    caps.append("X-LONG " + "x" * 600)
                caps.append("HELP")
                for c in caps[:-1]:
                    send("250-" + c)
                send("250 " + caps[-1])
            elif verb == "HELO":
                send("250 peer.test")
            elif verb == "STARTTLS" and ARGS.tls and not tls_on:
                send("220 2.0.0 Ready to start TLS")
                await flush()
                if ARGS.bad_tls:
                    w.write(b"this is not a TLS record\r\n" * 4)
                    await flush()
                    w.close()
                    return
                await w.start_tls(SSL_CTX)
                tls_on = True
                log("TLS " + str(w.get_extra_info("ssl_object").version()))
                rcpts = []
                continue
            elif verb == "MAIL":
                log("MAIL " + cmd[4:].strip())
                rcpts = []
                if mode == "policy421" or (mode == "tss04once" and
                                           not STATE["blocked"]):
                    STATE["blocked"] = True
                    send("421 4.7.0 [TSS04] Messages from 127.0.0.1 "
                         "temporarily deferred due to unexpected volume")
                    await flush()
                    w.close()
                    return
                send("250 2.1.0 Ok")
            elif verb == "RCPT":
                m = re.search(r"<([^>]*)>", cmd)
                addr = m.group(1) if m else ""
                if mode == "rcpt451":
                    send("451 4.3.0 <%s>: temporary failure" % addr)
                elif mode == "rcpt550" and addr in ARGS.reject:
                    send("550 5.1.1 <%s>: Recipient address rejected: "
                         "User unknown" % addr)
                else:
                    rcpts.append(addr)
                    send("250 2.1.5 Ok")
            elif verb == "DATA":
                if not rcpts:
                    send("554 5.5.1 Error: no valid recipients")
                    await flush()
                    continue
                send("354 End data with <CR><LF>.<CR><LF>")
                await flush()
                body = []
                n = 0
                while True:
                    dl = await reader.readline()
                    if not dl:
                        return
                    n += 1
                    if mode == "dropdata" and n >= 2:
                        w.transport.abort()
                        log("DROP")
                        return
                    if dl == b".\r\n":
                        break
                    if dl.startswith(b".."):
                        dl = dl[1:]
                    body.append(dl)
                if mode == "stalldata":
                    log("HELD")
                    # A client that pipelines the next transaction behind
                    # the end of data (RFC 2920 3.1) sends it unasked.
                    try:
                        nxt = await asyncio.wait_for(reader.readline(), 1.0)
                        if nxt:
                            log("AFTERDOT " + nxt.decode("latin-1")
                                .split(" ", 1)[0].strip().upper())
                    except asyncio.TimeoutError:
                        pass
                    await asyncio.sleep(3600)
                    return
                if mode == "data552":
                    send("552 5.3.4 Message size exceeds fixed limit")
                else:
                    msgid = "-"
                    for bl in body:
                        if bl.lower().startswith(b"message-id:"):
                            msgid = bl.split(b":", 1)[1].strip().decode(
                                "latin-1")
                            break
                    log("ACCEPT %s %s" % (msgid, ",".join(rcpts)))
                    if ARGS.dump:
                        with open(ARGS.dump, "ab") as f:
                            f.write(b"".join(body) + b"\x00\n")
                    send("250 2.0.0 Ok: queued as X%d" % len(body))
                rcpts = []
            elif verb == "RSET":
                log("RSET")
                rcpts = []
                send("250 2.0.0 Ok")
            elif verb == "NOOP":
                send("250 2.0.0 Ok")
            elif verb == "QUIT":
                log("QUIT")
                send("221 2.0.0 Bye")
                await flush()
                w.close()
                return
            else:
                send("502 5.5.2 Error: command not recognized")
            await flush()
    except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
        return
    finally:
        try:
            w.close()
        except Exception:  # noqa: BLE001 - closing a broken transport
            pass


async def main():
    global SSL_CTX
    if ARGS.tls:
        SSL_CTX = make_cert(ARGS.dir)
    srv = await asyncio.start_server(handle, "127.0.0.1", ARGS.port,
                                     backlog=2048, limit=1 << 20)
    port = srv.sockets[0].getsockname()[1]
    if ARGS.portfile:
        tmp = ARGS.portfile + ".tmp"
        with open(tmp, "w", encoding="ascii") as f:
            f.write("%d\n" % port)
        os.rename(tmp, ARGS.portfile)
    else:
        print(port, flush=True)
    async with srv:
        await srv.serve_forever()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--mode", default="normal",
                   choices=["normal", "greet421", "rcpt451", "rcpt550",
                            "data552", "stall", "dropdata", "garbage",
                            "policy421", "stalldata", "tss04once",
                            "longline"])
    p.add_argument("--reject", default="",
                   type=lambda s: set(x for x in s.split(",") if x))
    p.add_argument("--tls", action="store_true")
    p.add_argument("--dir", default=".")
    p.add_argument("--log")
    p.add_argument("--dump", help="append accepted bodies here")
    p.add_argument("--portfile")
    p.add_argument("--size", type=int, default=10240000)
    p.add_argument("--dribble", action="store_true",
                   help="multi-line greeting; replies one byte per write")
    p.add_argument("--bad-tls", action="store_true",
                   help="answer STARTTLS 220, then send garbage")
    p.add_argument("--no-pipelining", action="store_true",
                   help="do not advertise PIPELINING")
    p.add_argument("--no-ehlo", action="store_true",
                   help="refuse EHLO (502) so clients fall back to HELO")
    ARGS = p.parse_args()
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
