"""The hand-off: the dashboard lets a signed-in browser into a notebook's own origin.

The notebook's origin never sees the dashboard's cookies (they are host-only), so it has
no session to check. Opening `/notebooks/{id or key}/…` on the dashboard checks the
session there and the ownership, then redirects to the notebook's origin with a ticket:
random, for that user, session and notebook only, valid for `TICKET_SECONDS`, and
single use (Redis GETDEL). The notebook's origin swaps it for its own pass, an HttpOnly
cookie valid on that origin and for that notebook alone, signed with the secret key and
ending with the session it came from. JupyterHub does this with an OAuth exchange; here
the api is both sides, so one redirect each way does it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from app.core import notebook_origin
from app.core.config import Settings
from app.core.credentials import NOTEBOOK_COOKIE, Kind, NotebookPass, presented
from app.core.notebook_origin import KEY_PATTERN, OWN_PREFIX, NotebookAddress
from app.core.security import digest, new_secret
from app.models.notebook import DesiredState, Notebook
from app.models.types import MAX_ID
from app.proxy.pages import DASHBOARD_NOTEBOOKS_PATH, SIGN_IN_PATH, asked_path, small_page
from app.services.accounts import sessions

TICKET_SECONDS = 30
ENTER = OWN_PREFIX + "enter"
_NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _ticket_key(ticket: str) -> str:
    return f"workspace:handoff:{digest(ticket)}"


@dataclass(frozen=True, slots=True)
class Ticket:
    user_id: int
    session_id: int
    session_expires: int  # Unix seconds
    key: str


async def issue(redis: Redis, ticket: Ticket) -> str:
    secret = new_secret()
    record = json.dumps(
        {
            "user_id": ticket.user_id,
            "session_id": ticket.session_id,
            "session_expires": ticket.session_expires,
            "key": ticket.key,
        }
    )
    await redis.set(_ticket_key(secret), record, ex=TICKET_SECONDS, nx=True)
    return secret


async def redeem(redis: Redis, secret: str) -> Ticket | None:
    """The ticket, once: taking it deletes it."""
    if not secret or len(secret) > 128:
        return None
    raw = await redis.getdel(_ticket_key(secret))
    if raw is None:
        return None
    data = json.loads(raw)
    return Ticket(
        int(data["user_id"]), int(data["session_id"]), int(data["session_expires"]), data["key"]
    )


class HandOff:
    def __init__(
        self, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis
    ) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.redis = redis

    async def from_dashboard(self, request: Request, ref: str, rest: str) -> Response:
        """`/notebooks/{id or key}/{rest}` on the dashboard: on to the notebook's origin."""
        if request.method not in ("GET", "HEAD"):
            # Only a browser's navigation is handed over; nothing else happens here.
            return JSONResponse(
                {"detail": "notebooks are served on their own origins; open the notebook"},
                status_code=405,
                headers={**_NO_STORE, "Allow": "GET, HEAD"},
            )
        credential = presented(request)
        if credential is None:
            return self._sign_in(request)
        async with self.sessionmaker() as db:
            signed_in = await sessions.signed_in(db, credential)
            if signed_in is None:
                return self._sign_in(request)
            session = (
                await sessions.session_for(db, credential.secret)
                if credential.kind is Kind.session
                else None
            )
            notebook = await _owned(db, signed_in.user.id, ref)
        if notebook is None:
            return small_page(
                404,
                "Notebook not found",
                "There is no such notebook among yours.",
                DASHBOARD_NOTEBOOKS_PATH,
                "Back to your notebooks",
            )
        base = notebook_origin.base_path(self.settings, notebook.key)
        target = base + rest.lstrip("/")
        if request.url.query:
            target += "?" + request.url.query
        origin = notebook_origin.origin(self.settings, notebook.key)
        if session is None or session.id is None:
            # A script's token works on the notebook's origin as it is (no ticket needed).
            return RedirectResponse(origin + target, 307, headers=_NO_STORE)
        assert signed_in.user.id is not None
        ticket = await issue(
            self.redis,
            Ticket(
                signed_in.user.id,
                session.id,
                int(session.expires_at.timestamp()),
                notebook.key,
            ),
        )
        query = urlencode({"ticket": ticket, "next": target})
        return RedirectResponse(f"{origin}{base}{ENTER}?{query}", 302, headers=_NO_STORE)

    def _sign_in(self, request: Request) -> Response:
        if request.method in ("GET", "HEAD") and "text/html" in request.headers.get("accept", ""):
            path = asked_path(request)
            return RedirectResponse(f"{SIGN_IN_PATH}?next={quote(path, safe='/')}", 302, _NO_STORE)
        return JSONResponse(
            {"detail": "sign in, or send an API token (Authorization: Bearer ...)"},
            status_code=401,
            headers={**_NO_STORE, "WWW-Authenticate": "Bearer"},
        )

    async def enter(self, request: Request, where: NotebookAddress) -> Response:
        """`{base}_workspace/enter?ticket=…&next=…` on the notebook's origin: the pass."""
        ticket = await redeem(self.redis, request.query_params.get("ticket", ""))
        if ticket is None or ticket.key != where.key:
            return small_page(
                403,
                "This link has expired",
                "A notebook opens from the dashboard, once per link. Open it again there.",
                self.dashboard_url(where.key),
                "Open the notebook again",
            )
        # No longer than the session it came from (which also ends it sooner: sign-out).
        expires = ticket.session_expires
        notebook_pass = NotebookPass(ticket.session_id, ticket.user_id, where.key, expires)
        target = request.query_params.get("next", "")
        if not _stays_on(target, where.base_path):
            target = where.base_path
        response = RedirectResponse(target, 303, headers=_NO_STORE)
        response.set_cookie(
            NOTEBOOK_COOKIE,
            notebook_pass.sign(self.settings.secret_key.get_secret_value()),
            max_age=max(expires - int(time.time()), 0),
            path=where.base_path,
            secure=self.settings.secure_cookies,
            httponly=True,
            samesite="lax",
        )
        return response

    def dashboard_url(self, key: str, rest: str = "") -> str:
        """Where a browser goes to be handed over to notebook `key` (at `rest`)."""
        return f"{self.settings.public_url.rstrip('/')}/notebooks/{key}/{rest.lstrip('/')}"


def _stays_on(target: str, base_path: str) -> bool:
    """A path under the notebook's base path that no browser reads as another host's
    (`//host`, `/\\host`, a scheme)."""
    parts = urlsplit(target)
    return (
        target.startswith(base_path)
        and not target.startswith("//")
        and "\\" not in target
        and not parts.scheme
        and not parts.netloc
    )


async def _owned(db: AsyncSession, user_id: int | None, ref: str) -> Notebook | None:
    """The user's notebook named by an id (old links) or a key; None when not theirs."""
    query = select(Notebook)
    if KEY_PATTERN.fullmatch(ref):
        query = query.where(Notebook.key == ref)
    elif ref.isascii() and ref.isdigit() and len(ref) <= 10 and 1 <= int(ref) <= MAX_ID:
        query = query.where(Notebook.id == int(ref))
    else:
        return None
    notebook = (await db.exec(query)).first()
    if (
        notebook is None
        or notebook.owner_id != user_id
        or notebook.desired_state == DesiredState.deleted
    ):
        return None
    return notebook
