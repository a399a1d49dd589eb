#!/usr/bin/python3
# SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
#
# fake_llm.py - a tiny OpenAI-compatible chat endpoint for the tests, on 127.0.0.1 only.
#
# Usage: fake_llm.py [--status N] [--bad-json] [--key KEY] [--log DIR] [--port N]
#   Prints the port it listens on as the FIRST LINE of stdout once it accepts connections,
#   and runs until SIGTERM or SIGINT. Base URL for clients: http://127.0.0.1:PORT/v1
#   POST .../chat/completions with {"model": M, "messages": [{"role", "content"}...]} answers
#     {"id": "fake-N", "object": "chat.completion", "model": M,
#      "choices": [{"index": 0, "message": {"role": "assistant", "content": C},
#                   "finish_reason": "stop"}]}
#   where C is derived from the request, so a test can predict it: the content of the LAST
#   user message, unchanged (an echo), unless that message holds a line "FAKE_REPLY:" after
#   which everything is returned instead. A user message containing "FAKE_STATUS=NNN" makes
#   that one request fail with HTTP NNN and {"error": {"message": "fake error NNN"}}.
#   --status N   answer every request with HTTP N and an error body
#   --bad-json   answer 200 with a body that is not JSON
#   --key KEY    require "Authorization: Bearer KEY" (else HTTP 401)
#   --log DIR    write each request body to DIR/NNNN.json and its Authorization header
#                (or nothing) to DIR/NNNN.auth, numbered from 0001
# Other paths answer 404. Python's standard library only.
import http.server
import json
import os
import re
import signal
import sys
import threading

opts = {"status": None, "bad_json": False, "key": None, "log": None}
count = [0]
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, ctype="application/json"):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, message):
        self.reply(status, json.dumps({"error": {"message": message, "type": "fake"}}))

    def do_GET(self):
        self.error(404, "not found")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        with lock:
            count[0] += 1
            n = count[0]
        auth = self.headers.get("Authorization")
        if opts["log"]:
            with open(os.path.join(opts["log"], "%04d.json" % n), "wb") as f:
                f.write(raw)
            with open(os.path.join(opts["log"], "%04d.auth" % n), "w") as f:
                f.write(auth or "")
        if not self.path.rstrip("/").endswith("/chat/completions"):
            return self.error(404, "not found")
        if opts["key"] is not None and auth != "Bearer " + opts["key"]:
            return self.error(401, "invalid api key")
        if opts["status"] is not None:
            return self.error(opts["status"], "fake error %d" % opts["status"])
        if opts["bad_json"]:
            return self.reply(200, "this is not json {", "text/plain")
        try:
            req = json.loads(raw)
            users = [m["content"] for m in req["messages"] if m.get("role") == "user"]
            model = req["model"]
        except (ValueError, KeyError, TypeError):
            return self.error(400, "bad request")
        if not users:
            return self.error(400, "no user message")
        prompt = users[-1]
        m = re.search(r"FAKE_STATUS=(\d{3})", prompt)
        if m:
            st = int(m.group(1))
            return self.error(st, "fake error %d" % st)
        content = prompt
        i = prompt.find("FAKE_REPLY:\n")
        if i >= 0:
            content = prompt[i + len("FAKE_REPLY:\n"):]
        body = {
            "id": "fake-%d" % n, "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
        }
        self.reply(200, json.dumps(body))


def main(argv):
    args = argv[1:]
    port = 0
    while args:
        a = args.pop(0)
        if a == "--status" and args:
            opts["status"] = int(args.pop(0))
        elif a == "--bad-json":
            opts["bad_json"] = True
        elif a == "--key" and args:
            opts["key"] = args.pop(0)
        elif a == "--log" and args:
            opts["log"] = args.pop(0)
            os.makedirs(opts["log"], exist_ok=True)
        elif a == "--port" and args:
            port = int(args.pop(0))
        else:
            print("usage: fake_llm.py [--status N] [--bad-json] [--key KEY] [--log DIR] "
                  "[--port N]", file=sys.stderr)
            return 2
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
