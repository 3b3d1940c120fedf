"""How the api is served: the one uvicorn configuration used by `workspace serve`.

scripts/run.sh, the Dockerfile and the tests all start the api through `workspace serve`, so
the protocol class, compression and trusted-proxy settings cannot drift between them.
"""

from __future__ import annotations

import os
from typing import Any

import uvicorn

from app.core import datadir
from app.core.config import Settings

APP = "app.main:create_app"
# Our WebSocket protocol class: the live feed writes one pre-encoded frame to every tab.
FEED_PROTOCOL = "app.live.protocol:FeedWebSocketProtocol"
MAX_DEFAULT_WORKERS = 4
WORKER_STARTUP_SECONDS = 60


def default_workers() -> int:
    """One api process per core, at most four: each holds its own live-feed subscription,
    so several share the fan-out to open tabs (bench/README.md)."""
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))


def uvicorn_options(
    settings: Settings,
    *,
    host: str,
    port: int,
    workers: int,
    log_level: str = "info",
    ws: str = FEED_PROTOCOL,
) -> dict[str, Any]:
    trusted = ",".join(settings.trusted_proxies)
    return dict(
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        ws=ws,
        # Jupyter's own server sends uncompressed frames too; deflating every feed event once
        # per open tab costs more than the bytes it saves on loopback or a LAN.
        ws_per_message_deflate=False,
        # The same bound the notebook proxy puts on what Jupyter sends back.
        ws_max_size=settings.websocket_max_message_bytes,
        # How long a new api process may take to answer the supervisor's first ping. On a
        # busy host, importing the app takes longer than uvicorn's 5 s; a process killed
        # for it is replaced by one that starts just as slowly, and none ever serves.
        timeout_worker_healthcheck=WORKER_STARTUP_SECONDS,
        # Forwarded headers only from the configured proxies: anyone else could claim any
        # address and escape the sign-in throttle.
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
    )


def serve(settings: Settings, **options: Any) -> None:
    """Run the api (several processes when `workers` > 1) until interrupted."""
    datadir.owner_only_files()  # inherited by the worker processes uvicorn starts
    uvicorn.run(APP, **uvicorn_options(settings, **options))
