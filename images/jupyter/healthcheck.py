#!/usr/bin/env python3
"""Docker HEALTHCHECK: GET http://127.0.0.1:8888{JUPYTER_BASE_URL}api/status.

Sends `Authorization: token $JUPYTER_TOKEN`; exit 0 on HTTP 200, else 1.
Stdlib only; ignores any *_proxy variables set in the container.
"""
import os
import sys
import urllib.request

base = os.environ.get("JUPYTER_BASE_URL") or "/"
if not base.startswith("/"):
    base = "/" + base
if not base.endswith("/"):
    base += "/"

req = urllib.request.Request(
    f"http://127.0.0.1:8888{base}api/status",
    headers={"Authorization": f"token {os.environ.get('JUPYTER_TOKEN', '')}"},
)
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    with opener.open(req, timeout=2.5) as resp:
        sys.exit(0 if resp.status == 200 else 1)
except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
    print(f"unhealthy: {exc}", file=sys.stderr)
    sys.exit(1)
