"""Header and body rewriting for the notebook proxy: what crosses between browser and Jupyter.

Pure functions (no I/O): hop-by-hop headers, the cookies each side may see, redirects and
cookie paths kept under the notebook's prefix, and the Jupyter token scrubbed from anything
that goes back to the browser.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from app.core.credentials import CSRF_COOKIE, NOTEBOOK_COOKIE, SESSION_COOKIE

# RFC 9110 §7.6.1 plus the legacy ones; never forwarded in either direction.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)
# Request headers the proxy sets itself (or must not pass on).
_REQUEST_OWN = frozenset(
    {
        "host",
        "authorization",  # the caller's credentials are ours; Jupyter gets its own token
        "cookie",  # filtered, see `upstream_cookie`
        "forwarded",
        "x-forwarded-for",
        "x-forwarded-host",
        "x-forwarded-proto",
        "x-forwarded-port",
        "x-real-ip",
        "x-scheme",
        # Identity bodies only: the token scrub reads the bytes Jupyter sends.
        "accept-encoding",
        "expect",  # uvicorn already answered any 100-continue; httpx does not speak it
    }
)
# Response headers the api's server (uvicorn) sets itself.
_RESPONSE_OWN = frozenset({"date", "server"})
# Our own cookies: Jupyter never sees them and may not set them.
WORKSPACE_COOKIES = (SESSION_COOKIE, CSRF_COOKIE, NOTEBOOK_COOKIE)
# Response headers Jupyter (or code in the notebook, through its configuration) may not
# send: a scope wider than the notebook for its service workers, and credentialed CORS.
_RESPONSE_REFUSED = frozenset({"service-worker-allowed", "access-control-allow-credentials"})
# Sent with every notebook response, whatever Jupyter's own policy says (policies add up).
NOTEBOOK_CSP = (b"content-security-policy", b"frame-ancestors 'self'")
# Jupyter's login cookie (`username-<host>-<port>`): Jupyter sets it on token-authenticated
# requests; it is a credential for the container itself, so the browser never gets it.
_JUPYTER_LOGIN_COOKIE = "username-"


def connection_tokens(headers: list[tuple[bytes, bytes]]) -> frozenset[str]:
    """Header names listed in `Connection` (also hop-by-hop, RFC 9110 §7.6.1)."""
    names: set[str] = set()
    for key, value in headers:
        if key.lower() == b"connection":
            names.update(t.strip().lower() for t in value.decode("latin-1").split(","))
    return frozenset(names)


def upstream_request_headers(
    headers: list[tuple[bytes, bytes]],
    *,
    host: str,
    client_ip: str,
    scheme: str,
    jupyter_token: str,
) -> list[tuple[str, str]]:
    """The browser's headers as Jupyter should get them, with our forwarding headers."""
    dropped = connection_tokens(headers)
    out: list[tuple[str, str]] = []
    forwarded_for = ""
    cookie = ""
    for raw_key, raw_value in headers:
        key = raw_key.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        if key == "x-forwarded-for":
            forwarded_for = value
        elif key == "cookie":
            cookie = f"{cookie}; {value}" if cookie else value
        if key in HOP_BY_HOP or key in _REQUEST_OWN or key in dropped:
            continue
        out.append((key, value))
    # Jupyter (trust_xheaders) takes the last address of X-Forwarded-For, and X-Real-Ip
    # first: both are set here so a client cannot choose what Jupyter logs.
    out.append(("x-forwarded-for", f"{forwarded_for}, {client_ip}" if forwarded_for else client_ip))
    out.append(("x-real-ip", client_ip))
    out.append(("x-forwarded-proto", scheme))
    out.append(("x-scheme", scheme))
    out.append(("x-forwarded-host", host))
    out.append(("host", host))
    out.append(("authorization", f"token {jupyter_token}"))
    kept = upstream_cookie(cookie)
    if kept:
        out.append(("cookie", kept))
    return out


def upstream_cookie(header: str) -> str:
    """The Cookie header minus our own cookies (session, CSRF, the notebook's pass)."""
    if not header:
        return ""
    kept = [
        part.strip()
        for part in header.split(";")
        if part.strip() and part.split("=", 1)[0].strip() not in WORKSPACE_COOKIES
    ]
    return "; ".join(kept)


def strip_token_param(query: str) -> str:
    """A query string without any `token` parameter (Jupyter prefers it to our header)."""
    if "token" not in query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, v) for k, v in pairs if k != "token"])


def rewrite_location(value: str, *, upstream_netloc: str, host: str) -> str:
    """Keep a redirect on our own origin and free of any token.

    Jupyter redirects to absolute paths under its base_url (the proxy's prefix), which stay
    as they are; an absolute URL naming the container (or our own host, as Jupyter builds
    it from the Host we forward) becomes a path on our origin.
    """
    parts = urlsplit(value)
    changed = False
    if parts.netloc and parts.netloc.lower() in (upstream_netloc.lower(), host.lower()):
        parts = parts._replace(scheme="", netloc="")
        changed = True
    query = strip_token_param(parts.query)
    if query != parts.query:
        parts = parts._replace(query=query)
        changed = True
    return urlunsplit(parts) if changed else value


def rewrite_set_cookie(value: str, *, prefix: str) -> str | None:
    """A Jupyter cookie confined to the notebook's path; None drops it.

    No Domain attribute, and a Path under `prefix` (a missing or wider Path becomes the
    prefix), so one notebook's cookies never reach another notebook or the dashboard.
    """
    name = value.split("=", 1)[0].strip()
    if name.startswith(_JUPYTER_LOGIN_COOKIE) or name in WORKSPACE_COOKIES:
        return None
    attributes = value.split(";")
    out = [attributes[0]]
    has_path = False
    for attribute in attributes[1:]:
        key, _, attr_value = attribute.partition("=")
        key = key.strip().lower()
        if key == "domain":
            continue
        if key == "path":
            has_path = True
            path = attr_value.strip()
            out.append(f" Path={path if path.startswith(prefix) else prefix}")
            continue
        out.append(attribute)
    if not has_path:
        out.append(f" Path={prefix}")
    return ";".join(out)


def downstream_headers(
    raw: list[tuple[bytes, bytes]],
    *,
    prefix: str,
    upstream_netloc: str,
    host: str,
    jupyter_token: str,
    drop_length: bool,
) -> list[tuple[bytes, bytes]]:
    """Jupyter's response headers as the browser should get them."""
    dropped = connection_tokens(raw)
    secret = jupyter_token.encode()
    out: list[tuple[bytes, bytes]] = []
    for raw_key, raw_value in raw:
        key = raw_key.lower()
        name = key.decode("latin-1")
        if name in HOP_BY_HOP or name in _RESPONSE_OWN or name in dropped:
            continue
        if name in _RESPONSE_REFUSED:
            continue
        if drop_length and key == b"content-length":
            continue
        value = raw_value
        if key == b"location":
            location = rewrite_location(
                value.decode("latin-1"), upstream_netloc=upstream_netloc, host=host
            )
            value = location.encode("latin-1")
        elif key == b"set-cookie":
            cookie = rewrite_set_cookie(value.decode("latin-1"), prefix=prefix)
            if cookie is None:
                continue
            value = cookie.encode("latin-1")
        if secret in value:
            value = value.replace(secret, b"")
        out.append((key, value))
    out.append(NOTEBOOK_CSP)
    return out


class Scrubber:
    """Removes a secret from a byte stream split at arbitrary points.

    `same_length` masks it with `*` instead (the body's Content-Length stays right).
    The last len(secret) - 1 bytes are held back until the next chunk or `flush`.
    """

    def __init__(self, secret: str, *, same_length: bool) -> None:
        self.secret = secret.encode()
        self.replacement = b"*" * len(self.secret) if same_length else b""
        self._keep = len(self.secret) - 1
        self._tail = b""

    def scrub(self, data: bytes) -> bytes:
        while self.secret in data:
            data = data.replace(self.secret, self.replacement)
        return data

    def feed(self, chunk: bytes) -> bytes:
        data = self.scrub(self._tail + chunk if self._tail else chunk)
        if not self._keep:
            return data
        if len(data) <= self._keep:
            self._tail = data
            return b""
        self._tail = data[-self._keep :]
        return data[: -self._keep]

    def flush(self) -> bytes:
        tail, self._tail = self._tail, b""
        return tail
