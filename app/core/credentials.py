"""What a request presents to say who it is, and the browser-facing rules that go with it.

Two kinds of credential exist: the dashboard's session cookie and a personal API token sent
as `Authorization: Bearer`. The api, the notebook proxy and the live feed all read them
here, so they can never disagree on which one wins or how a header is parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

SESSION_COOKIE = "workspace_session"
# Readable by the dashboard's JavaScript, which echoes it in CSRF_HEADER (double submit).
CSRF_COOKIE = "workspace_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Kind(StrEnum):
    session = "session"
    token = "token"


@dataclass(frozen=True, slots=True)
class Credential:
    kind: Kind
    secret: str

    @property
    def by_cookie(self) -> bool:
        """A browser attaches cookies to cross-site requests by itself: these need CSRF checks."""
        return self.kind is Kind.session


def presented(conn: HTTPConnection) -> Credential | None:
    """The request's credential: a Bearer header wins over the session cookie."""
    header = conn.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return Credential(Kind.token, value.strip())
    cookie = conn.cookies.get(SESSION_COOKIE)
    return Credential(Kind.session, cookie) if cookie else None


def is_own_origin(origin: str, host: str, public_url: str) -> bool:
    """`Origin` names this site: the Host the request came to, or the configured public URL.

    Compared case-insensitively, as browsers serialise origins in lower case but a Host
    header or a configured URL may not be.
    """
    parts = urlsplit(origin.strip().lower())
    if not parts.scheme or not parts.netloc:
        return False
    public = urlsplit(public_url.strip().lower())
    return parts.netloc == host.strip().lower() or (parts.scheme, parts.netloc) == (
        public.scheme,
        public.netloc,
    )


def foreign_origin(conn: HTTPConnection, public_url: str) -> str | None:
    """The request's `Origin` when it names another site; None when it is ours or absent.

    Browsers always send `Origin` on WebSockets and cross-origin requests; scripts send
    none and authenticate with a token, which a foreign page cannot attach.
    """
    origin = conn.headers.get("origin")
    if origin is None or is_own_origin(origin, conn.headers.get("host", ""), public_url):
        return None
    return origin
