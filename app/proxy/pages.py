"""What the proxy answers itself: sign-in redirects, refusals as JSON or as small pages.

A browser navigating to a notebook (GET/HEAD with `Accept: text/html`) gets a redirect to
sign in, or a page; scripts and JupyterLab's own requests get JSON.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.proxy.access import NotebookNotRunning, Refusal, SignInRequired
from app.proxy.http import upstream_path
from app.services.notebooks.status import COMING_UP, RUNNING

# The dashboard's sign-in page (it sends the person back to `next`) and its notebook list.
SIGN_IN_PATH = "/signin"
DASHBOARD_NOTEBOOKS_PATH = "/notebook-servers"
_NO_STORE = {"Cache-Control": "no-store"}
# Statuses on the way to running: the page reloads itself until the notebook answers.
# (healthy or unhealthy but refused: its port is not known yet.)
_COMING_UP = COMING_UP | RUNNING


def wants_html(request: Request) -> bool:
    return request.method in ("GET", "HEAD") and "text/html" in request.headers.get("accept", "")


def refusal_response(request: Request, refusal: Refusal) -> Response:
    if not wants_html(request):
        headers = dict(_NO_STORE)
        if isinstance(refusal, SignInRequired):
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(
            {"detail": refusal.detail}, status_code=refusal.status_code, headers=headers
        )
    if isinstance(refusal, SignInRequired):
        target = quote(upstream_path(request.scope), safe="/")
        return RedirectResponse(f"{SIGN_IN_PATH}?next={target}", 302, headers=_NO_STORE)
    return HTMLResponse(_page(refusal), status_code=refusal.status_code, headers=_NO_STORE)


def _page(refusal: Refusal) -> str:
    refresh = ""
    if isinstance(refusal, NotebookNotRunning):
        title = f"Notebook “{refusal.name}” is not running"
        if refusal.status in _COMING_UP:
            text = "It is starting; this page reloads until Jupyter answers."
            refresh = '<meta http-equiv="refresh" content="3">'
        else:
            text = f"It is {refusal.status}. Start it again from your notebooks."
    elif refusal.status_code == 404:
        title, text = "Notebook not found", "There is no such notebook among yours."
    else:
        title, text = "Refused", refusal.detail
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">{refresh}
<title>{escape(title)} · WorkSpace</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;
padding:0 1rem;color:#222}}a{{color:#2456c7}}</style></head>
<body><h1>{escape(title)}</h1><p>{escape(text)}</p>
<p><a href="{DASHBOARD_NOTEBOOKS_PATH}">Back to your notebooks</a></p></body></html>
"""
