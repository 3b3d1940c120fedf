"""Where a notebook is served: an origin of its own, never the dashboard's.

JupyterLab runs whatever its page is given (cell output, a widget, a planted extension), so
it must not share an origin with the dashboard: it would read the dashboard's cookies and
call /api with the person's authority. Each notebook is served at `{key}.{notebook
domain}` (the scheme and port of the public URL), so the browser keeps notebooks apart from
the dashboard and from each other. Without wildcard DNS, `shared` serves every notebook
under one separate host, at `/{key}/`: apart from the dashboard, not from each other.

This module names those places and reads them back from a request's Host and path; the api
routes by it (`app.proxy.mount`) and the worker gives Jupyter its base URL from it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from app.core.config import Settings

KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")
# What the proxy answers itself on a notebook's origin (the hand-off), never Jupyter.
OWN_PREFIX = "_workspace/"


def new_key() -> str:
    """A notebook's identity: random, so no later notebook (of any user, in any database
    recreated next to the same Docker volumes) can ever be given it again."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class NotebookAddress:
    """A request's notebook: its key and the path Jupyter is served under there."""

    key: str
    base_path: str


class NotANotebook:
    """A host of the notebook domain that names no notebook: answered 404, never the api."""


NOWHERE = NotANotebook()


def hostname(host_header: str) -> str:
    """The Host header's name, lower case, without its port."""
    host = host_header.strip().lower()
    if host.startswith("["):  # an IPv6 literal
        return host.partition("]")[0] + "]"
    return host.rpartition(":")[0] if ":" in host else host


def _scheme_and_port(settings: Settings) -> tuple[str, str]:
    public = urlsplit(settings.public_url)
    return public.scheme or "http", f":{public.port}" if public.port else ""


def host(settings: Settings, key: str) -> str:
    shared = settings.notebook_hosts == "shared"
    return settings.notebook_domain if shared else f"{key}.{settings.notebook_domain}"


def origin(settings: Settings, key: str) -> str:
    scheme, port = _scheme_and_port(settings)
    return f"{scheme}://{host(settings, key)}{port}"


def base_path(settings: Settings, key: str) -> str:
    """Jupyter's base URL: what the proxy serves it under on the notebook's origin."""
    return base_path_for(settings.notebook_hosts, key)


def base_path_for(notebook_hosts: str, key: str) -> str:
    return f"/{key}/" if notebook_hosts == "shared" else "/"


def url(settings: Settings, key: str) -> str:
    return origin(settings, key) + base_path(settings, key)


def origin_template(settings: Settings) -> str:
    """Where notebooks are served, with `{key}` for the notebook's key."""
    return url(settings, "{key}")


def locate(
    settings: Settings, host_header: str, path: str
) -> NotebookAddress | NotANotebook | None:
    """The notebook a request is for; NOWHERE for a notebook host that names none; None
    for every other host (the dashboard's)."""
    name = hostname(host_header)
    domain = settings.notebook_domain
    if settings.notebook_hosts == "shared":
        if name != domain:
            return None
        key = path[1:].partition("/")[0]
        return NotebookAddress(key, f"/{key}/") if KEY_PATTERN.fullmatch(key) else NOWHERE
    if name == domain:
        return NOWHERE
    if not name.endswith("." + domain):
        return None
    key = name[: -len(domain) - 1]
    return NotebookAddress(key, "/") if KEY_PATTERN.fullmatch(key) else NOWHERE


def dashboard_is_apart(settings: Settings) -> bool:
    """The dashboard's host is neither the notebook domain nor under it (a notebook could
    then set cookies for the dashboard)."""
    dashboard = hostname(urlsplit(settings.public_url).netloc)
    domain = settings.notebook_domain
    return dashboard != domain and not dashboard.endswith("." + domain)
