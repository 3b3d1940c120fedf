"""What a request presents to say who it is, and the browser-facing rules that go with it.

Three kinds of credential exist: the dashboard's session cookie, a personal API token sent
as `Authorization: Bearer`, and on a notebook's own origin that notebook's pass (a cookie
the hand-off sets, signed with the secret key, naming the dashboard session it came
from). The api, the notebook proxy and the live feed all read them here, so they can never
disagree on which one wins or how a header is parsed. The api and the live feed never
accept a notebook pass, and a notebook's origin never sees the session cookie (host-only).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

SESSION_COOKIE = "workspace_session"
# Readable by the dashboard's JavaScript, which echoes it in CSRF_HEADER (double submit).
CSRF_COOKIE = "workspace_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# On a notebook's origin only, for that notebook only.
NOTEBOOK_COOKIE = "workspace_notebook"
_PASS_CONTEXT = b"workspace notebook pass\x00"


class Kind(StrEnum):
    session = "session"
    token = "token"
    notebook = "notebook"


@dataclass(frozen=True, slots=True)
class NotebookPass:
    """A notebook origin's cookie: the sign-in session `session_id` of user `user_id` may
    use notebook `key` until `expires` (Unix seconds), and no longer than that session."""

    session_id: int
    user_id: int
    key: str
    expires: int

    def sign(self, secret: str) -> str:
        body = f"{self.session_id}.{self.user_id}.{self.key}.{self.expires}"
        return f"{body}.{_mac(secret, body)}"

    @classmethod
    def read(cls, value: str, secret: str, *, key: str) -> NotebookPass | None:
        """The pass in a cookie value if it is signed by us, for notebook `key`, and not
        expired; else None."""
        body, _, mac = value.strip().rpartition(".")
        if not body or not hmac.compare_digest(mac.encode(), _mac(secret, body).encode()):
            return None
        try:
            session_id, user_id, pass_key, expires = body.split(".")
            found = cls(int(session_id), int(user_id), pass_key, int(expires))
        except ValueError:
            return None
        if found.key != key or found.expires <= time.time():
            return None
        return found


def _mac(secret: str, body: str) -> str:
    digest = hmac.new(secret.encode(), _PASS_CONTEXT + body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class Credential:
    kind: Kind
    secret: str
    notebook_pass: NotebookPass | None = None

    @property
    def by_cookie(self) -> bool:
        """A browser attaches cookies to cross-site requests by itself: these need CSRF checks."""
        return self.kind is not Kind.token


def presented(conn: HTTPConnection) -> Credential | None:
    """The dashboard's and the api's credential: a Bearer header wins over the session
    cookie."""
    bearer = _bearer(conn)
    if bearer is not None:
        return bearer
    cookie = conn.cookies.get(SESSION_COOKIE)
    return Credential(Kind.session, cookie) if cookie else None


def presented_to_notebook(conn: HTTPConnection, key: str, secret: str) -> Credential | None:
    """A notebook origin's credential: a Bearer header wins over the notebook's pass.

    Every cookie of the pass's name is tried: another notebook could have set one for a
    parent domain, and it must neither count here nor hide this notebook's own.
    """
    bearer = _bearer(conn)
    if bearer is not None:
        return bearer
    for value in cookie_values(conn, NOTEBOOK_COOKIE):
        found = NotebookPass.read(value, secret, key=key)
        if found is not None:
            return Credential(Kind.notebook, value, found)
    return None


def _bearer(conn: HTTPConnection) -> Credential | None:
    header = conn.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return Credential(Kind.token, value.strip())
    return None


def cookie_values(conn: HTTPConnection, name: str) -> list[str]:
    """Every value of cookie `name`: a browser may hold several (paths, parent domains)."""
    values: list[str] = []
    for raw_key, raw_value in conn.scope["headers"]:
        if raw_key != b"cookie":
            continue
        for part in raw_value.decode("latin-1").split(";"):
            cookie, sep, value = part.partition("=")
            if sep and cookie.strip() == name:
                values.append(value.strip().strip('"'))
    return values


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
