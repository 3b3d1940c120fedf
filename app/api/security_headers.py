"""Security headers on every response, added where the response has not set its own.

The dashboard is a Vite build: scripts, styles and fonts are files of our own origin, with
no inline script or style element, so its policy allows `'self'` only (images also from
`data:` and `blob:`, which the favicon and previews use; `connect-src 'self'` covers the
live feed's WebSocket). The API docs (Swagger UI, ReDoc) start with an inline script, so
those pages alone may run inline code. The public blog sets a stricter policy of its own,
which is kept. A notebook's responses (on its own origin, told by the Host) keep Jupyter's
own policy: JupyterLab needs inline code, and its pages belong to the notebook, not to us.
Strict-Transport-Security is sent when WorkSpace is served over https (WORKSPACE_PUBLIC_URL).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core import notebook_origin
from app.core.config import Settings

_COMMON = "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
DASHBOARD_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    f"font-src 'self'; connect-src 'self'; worker-src 'self'; {_COMMON}"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; "
    f"{_COMMON}"
)
DOCS_PATHS = ("/docs", "/redoc")
NOTEBOOK_PREFIX = "/notebooks/"
HSTS = "max-age=63072000"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.hsts = settings.secure_cookies  # served over https

    def headers_for(self, path: str, host: str = "") -> dict[str, str]:
        headers = {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
        }
        if self.hsts:
            headers["Strict-Transport-Security"] = HSTS
        # A notebook's origin (its own host), or an old link on the dashboard's.
        notebook = notebook_origin.locate(self.settings, host, path) is not None
        if not notebook and not path.startswith(NOTEBOOK_PREFIX):
            docs = path.startswith(DOCS_PATHS)
            headers["Content-Security-Policy"] = DOCS_CSP if docs else DASHBOARD_CSP
            headers["X-Frame-Options"] = "DENY"
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"host"), "")
        extra = self.headers_for(scope.get("path", ""), host)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
