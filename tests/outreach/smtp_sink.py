#!/usr/bin/python3
# SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
#
# smtp_sink.py - a local SMTP sink for the tests (Debian's python3-aiosmtpd), on 127.0.0.1 only.
#
# Usage: smtp_sink.py DIR [--auth USER:PASS] [--starttls CERT KEY] [--port N]
#   Prints the port it listens on as the FIRST LINE of stdout (then nothing else) once it
#   accepts connections, and runs until SIGTERM or SIGINT. Each accepted message is written to DIR as
#     DIR/NNNN.eml   the DATA bytes exactly as received (after SMTP dot-unstuffing)
#     DIR/NNNN.env   its envelope, one line each: "MAIL FROM:<addr>" then "RCPT TO:<addr>"...
#   numbered from 0001 in the order received; the .env file is written (renamed into place)
#   after the .eml, so a test that counts *.env files sees only complete messages.
#   --auth USER:PASS   require AUTH (PLAIN or LOGIN) with these credentials before MAIL;
#                      without --starttls AUTH is allowed on the plain connection
#   --starttls CERT KEY  offer STARTTLS with this certificate and key (PEM), and require it
#   --port N           listen on N instead of a free port chosen by the kernel
# Exit status 0 after a clean stop; 77 when aiosmtpd is not installed (the tests then skip).
import logging
import os
import signal
import socket
import sys
import threading
import warnings

# aiosmtpd warns about AUTH without TLS (wanted here) and logs every failed handshake (the
# tests cause them on purpose)
warnings.filterwarnings("ignore")
logging.getLogger("mail.log").setLevel(logging.CRITICAL)

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult
except ImportError:
    print("smtp_sink.py: python3-aiosmtpd is not installed", file=sys.stderr)
    sys.exit(77)


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.outdir, "%04d" % n)
        data = envelope.original_content
        if data is None:
            data = envelope.content
        with open(base + ".eml", "wb") as f:
            f.write(data)
        with open(base + ".env.tmp", "w") as f:
            f.write("MAIL FROM:<%s>\n" % envelope.mail_from)
            for r in envelope.rcpt_tos:
                f.write("RCPT TO:<%s>\n" % r)
        os.rename(base + ".env.tmp", base + ".env")
        return "250 OK stored as %04d" % n


def main(argv):
    args = argv[1:]
    if not args or args[0].startswith("-"):
        print(__doc__ or "usage: smtp_sink.py DIR [--auth USER:PASS] [--starttls CERT KEY]",
              file=sys.stderr)
        return 2
    outdir = args.pop(0)
    auth = None
    tls = None
    port = 0
    while args:
        a = args.pop(0)
        if a == "--auth" and args:
            auth = args.pop(0).split(":", 1)
            if len(auth) != 2:
                print("smtp_sink.py: --auth USER:PASS", file=sys.stderr)
                return 2
        elif a == "--starttls" and len(args) >= 2:
            tls = (args.pop(0), args.pop(0))
        elif a == "--port" and args:
            port = int(args.pop(0))
        else:
            print("smtp_sink.py: unknown option %s" % a, file=sys.stderr)
            return 2
    os.makedirs(outdir, exist_ok=True)

    kwargs = {}
    if tls is not None:
        import ssl
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(tls[0], tls[1])
        kwargs["tls_context"] = ctx
        kwargs["require_starttls"] = True
    if auth is not None:
        user, password = auth[0].encode(), auth[1].encode()

        def authenticator(server, session, envelope, mechanism, data):
            ok = (mechanism in ("PLAIN", "LOGIN") and data is not None and
                  data.login == user and data.password == password)
            return AuthResult(success=ok, handled=False)

        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = tls is not None

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller = None
    for attempt in range(20):
        p = port or free_port()
        try:
            controller = Controller(Sink(outdir), hostname="127.0.0.1", port=p, **kwargs)
            controller.start()
            break
        except OSError:
            controller = None
            if port:
                raise
    if controller is None:
        print("smtp_sink.py: no free port", file=sys.stderr)
        return 1
    print(p, flush=True)
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
