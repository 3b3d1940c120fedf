#!/usr/bin/env python3
"""Fake Jupyter server for fast lifecycle tests (stdlib only).

GET {JUPYTER_BASE_URL}api/status  -> 200 {"started", "last_activity", "connections": 0, "kernels": 0}
GET {JUPYTER_BASE_URL}api/kernels -> 200 []
Both need `Authorization: token $JUPYTER_TOKEN` (or ?token=), else 403; anything else 404.
TESTNB_START_DELAY seconds are slept before listening; SIGTERM/SIGINT exit 0 at once.
"""
import json, os, signal, sys, time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

def _stop(signum, frame):
    raise SystemExit(0)

signal.signal(signal.SIGTERM, _stop)
signal.signal(signal.SIGINT, _stop)

TOKEN = os.environ.get("JUPYTER_TOKEN", "")
BASE = "/" + (os.environ.get("JUPYTER_BASE_URL") or "/").strip("/") + "/"
BASE = BASE.replace("//", "/")
STARTED = ""  # set when the server starts listening

class Handler(BaseHTTPRequestHandler):
    server_version = "testnb/1"

    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlsplit(self.path)
        routes = {BASE + "api/status": "status", BASE + "api/kernels": "kernels"}
        route = routes.get(url.path)
        if route is None:
            return self._send(404, {"message": "Not Found"})
        given = self.headers.get("Authorization", "")
        query_token = parse_qs(url.query).get("token", [""])[0]
        if not (given == f"token {TOKEN}" or query_token == TOKEN):
            return self._send(403, {"message": "Forbidden"})
        if route == "kernels":
            return self._send(200, [])
        return self._send(200, {"started": STARTED, "connections": 0, "kernels": 0,
                                "last_activity": STARTED})

    def log_message(self, fmt, *args):  # keep health-check polling quiet
        pass

if __name__ == "__main__":
    if not TOKEN:
        sys.exit("testnb: JUPYTER_TOKEN must be set to a non-empty value")
    time.sleep(float(os.environ.get("TESTNB_START_DELAY") or 0))
    STARTED = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    httpd = ThreadingHTTPServer(("0.0.0.0", 8888), Handler)
    httpd.daemon_threads = True
    print(f"testnb listening on 0.0.0.0:8888{BASE}", flush=True)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()
