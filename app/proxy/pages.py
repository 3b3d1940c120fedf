"""What the proxy answers itself: sign-in redirects, refusals as JSON or as small pages.

A browser navigating to a notebook (GET/HEAD with `Accept: text/html`) gets a redirect to
be handed over again from the dashboard (which asks for a sign-in when needed), or a
page; scripts and JupyterLab's own requests get JSON. Pages shown on a notebook's origin
link back to the dashboard by its full URL.
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.proxy.access import NotebookNotRunning, Refusal, SignInRequired
from app.proxy.http import upstream_path
from app.services.notebooks.status import COMING_UP, RUNNING

# The dashboard's sign-in page (it sends the person back to `next`) and its notebook list.
SIGN_IN_PATH = "/signin"
DASHBOARD_NOTEBOOKS_PATH = "/notebook-servers"
# Nothing of a notebook's origin may be framed by another origin.
FRAME_ANCESTORS = "frame-ancestors 'self'"
_HEADERS = {"Cache-Control": "no-store", "Content-Security-Policy": FRAME_ANCESTORS}
# Statuses on the way to running: the page reloads itself until the notebook answers.
# (healthy or unhealthy but refused: its port is not known yet.)
_COMING_UP = COMING_UP | RUNNING


def wants_html(request: Request) -> bool:
    return request.method in ("GET", "HEAD") and "text/html" in request.headers.get("accept", "")


def refusal_response(
    request: Request, refusal: Refusal, *, dashboard: str, hand_off_again: str
) -> Response:
    """`dashboard`: the dashboard's URL; `hand_off_again`: where the dashboard hands this
    browser over to the notebook once more (to the path it asked for)."""
    if not wants_html(request):
        headers = dict(_HEADERS)
        if isinstance(refusal, SignInRequired):
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(
            {"detail": refusal.detail}, status_code=refusal.status_code, headers=headers
        )
    if isinstance(refusal, SignInRequired):
        return RedirectResponse(hand_off_again, 302, headers=_HEADERS)
    back = dashboard.rstrip("/") + DASHBOARD_NOTEBOOKS_PATH
    refresh = False
    if isinstance(refusal, NotebookNotRunning):
        title = f"Notebook “{refusal.name}” is not running"
        if refusal.status in _COMING_UP:
            text = "It is starting; this page reloads until Jupyter answers."
            refresh = True
        else:
            text = f"It is {refusal.status}. Start it again from your notebooks."
    elif refusal.status_code == 404:
        title, text = "Notebook not found", "There is no such notebook among yours."
    else:
        title, text = "Refused", refusal.detail
    return small_page(refusal.status_code, title, text, back, "Back to your notebooks", refresh)


def small_page(
    status: int, title: str, text: str, link: str, link_text: str, refresh: bool = False
) -> HTMLResponse:
    meta = '<meta http-equiv="refresh" content="3">' if refresh else ""
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">{meta}
<title>{escape(title)} · WorkSpace</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;
padding:0 1rem;color:#222}}a{{color:#2456c7}}</style></head>
<body><h1>{escape(title)}</h1><p>{escape(text)}</p>
<p><a href="{escape(link)}">{escape(link_text)}</a></p></body></html>
"""
    return HTMLResponse(body, status_code=status, headers=_HEADERS)


def asked_path(request: Request) -> str:
    """The path and query the browser asked for (without any `token` parameter)."""
    return upstream_path(request.scope)
