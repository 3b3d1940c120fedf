"""Who may open which notebook through the proxy, and where its Jupyter listens.

The caller is the person behind the notebook's pass (the cookie the hand-off set on this
notebook's origin) or the `Authorization: Bearer` API token; the target is their own
notebook, named by the origin it was asked on, while it runs. Anything else is refused with the
answer the proxy gives (sign in, 404 for another user's or an unknown notebook, 503 for a
stopped one). Lookups are remembered for a moment (`ttl`) so that the many small requests
JupyterLab makes do not each query the database; an upstream connection failure forgets
the notebook's route at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import HTTPConnection

from app.core.credentials import Credential, presented_to_notebook
from app.core.notebook_origin import NotebookAddress
from app.core.security import digest
from app.live.revocation import CredentialId
from app.models.notebook import DesiredState, Notebook
from app.models.user import TokenScope
from app.services.accounts import sessions
from app.services.notebooks.status import COMING_UP, SERVING

_MAX_ENTRIES = 10_000


class Refusal(Exception):
    """A request the proxy answers itself instead of forwarding."""

    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def fresh(self) -> Refusal:
        """A copy without a traceback, to raise a remembered refusal again."""
        copy = type(self).__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.args = self.args
        return copy


class SignInRequired(Refusal):
    status_code = 401


class CrossSiteRefused(Refusal):
    status_code = 403


class ReadOnlyToken(Refusal):
    status_code = 403


class NotebookNotFound(Refusal):
    status_code = 404


class NotebookNotRunning(Refusal):
    status_code = 503

    def __init__(self, detail: str, *, name: str, status: str) -> None:
        super().__init__(detail)
        self.name = name
        self.status = status


@dataclass(frozen=True, slots=True)
class Caller:
    credential: CredentialId  # what it signed in with (what ends its WebSockets)
    by_cookie: bool  # cookie-authenticated requests get the CSRF checks

    @property
    def user_id(self) -> int:
        return self.credential.user_id


@dataclass(frozen=True, slots=True)
class Target:
    key: str
    name: str
    host: str
    port: int
    jupyter_token: str
    prefix: str  # the path Jupyter is served under on the notebook's origin

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}"


class AccessResolver:
    """Resolves (credentials, notebook address) to a Caller and a Target, with a short
    memory. On a notebook's origin the credential is an API token or that notebook's pass."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        container_host: str,
        secret_key: str,
        ttl: float,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._container_host = container_host
        self._secret_key = secret_key
        self.ttl = ttl
        # (kind, digest of secret) -> (its credential's id, a refusal, or None; valid until)
        self._callers: dict[tuple[str, str], tuple[CredentialId | Refusal | None, float]] = {}
        # (user id, notebook key) -> (Target or Refusal, valid until)
        self._routes: dict[tuple[int, str], tuple[Target | Refusal, float]] = {}

    async def resolve(self, conn: HTTPConnection, where: NotebookAddress) -> tuple[Caller, Target]:
        credential = presented_to_notebook(conn, where.key, self._secret_key)
        if credential is None:
            raise SignInRequired("sign in, or send an API token (Authorization: Bearer ...)")
        by_cookie = credential.by_cookie
        now = time.monotonic()
        key = (str(credential.kind), digest(credential.secret))
        cached_caller = self._callers.get(key)
        db: AsyncSession | None = None
        try:
            if cached_caller is not None and cached_caller[1] > now:
                credential_id = cached_caller[0]
            else:
                db = self._sessionmaker()
                credential_id = await self._lookup_caller(db, credential, key)
            if isinstance(credential_id, Refusal):
                raise credential_id.fresh()
            if credential_id is None:
                raise SignInRequired(
                    "session expired; sign in again" if by_cookie else "invalid API token"
                )
            caller = Caller(credential_id, by_cookie)
            user_id = credential_id.user_id
            cached_route = self._routes.get((user_id, where.key))
            if cached_route is not None and cached_route[1] > now:
                route = cached_route[0]
            else:
                db = db or self._sessionmaker()
                route = await self._lookup_route(db, user_id, where)
        finally:
            if db is not None:
                await db.close()
        if isinstance(route, Refusal):
            raise route.fresh()
        return caller, route

    def forget(self, caller: Caller, key: str) -> None:
        """Drop a remembered route (its upstream did not answer)."""
        self._routes.pop((caller.user_id, key), None)

    def forget_user(self, user_id: int) -> None:
        """Drop what is remembered of a user's credentials (one of them just ended)."""
        for key, (credential_id, _until) in tuple(self._callers.items()):
            if isinstance(credential_id, CredentialId) and credential_id.user_id == user_id:
                self._callers.pop(key, None)

    def _remember(self, table: dict[Any, tuple[Any, float]], key: Any, value: Any) -> None:
        if self.ttl <= 0:
            return
        if len(table) >= _MAX_ENTRIES:
            table.clear()
        table[key] = (value, time.monotonic() + self.ttl)

    async def _lookup_caller(
        self, db: AsyncSession, credential: Credential, key: tuple[str, str]
    ) -> CredentialId | Refusal | None:
        found = await sessions.signed_in(db, credential)
        credential_id: CredentialId | Refusal | None = None
        if found is not None:
            credential_id = found.credential
            if not found.scope.allows(TokenScope.write):
                # Jupyter runs code whatever the method: a read-only token opens no notebook.
                credential_id = ReadOnlyToken("a read-only API token cannot open notebooks")
        # A refused secret is remembered too (cheap answers to a script in a loop).
        self._remember(self._callers, key, credential_id)
        return credential_id

    async def _lookup_route(
        self, db: AsyncSession, user_id: int, where: NotebookAddress
    ) -> Target | Refusal:
        notebook = (
            await db.exec(
                select(Notebook)
                .where(Notebook.key == where.key)
                .execution_options(populate_existing=True)
            )
        ).first()
        route: Target | Refusal
        if (
            notebook is None
            or notebook.owner_id != user_id
            or notebook.desired_state == DesiredState.deleted
        ):
            route = NotebookNotFound("notebook not found")
        elif notebook.status not in SERVING or notebook.host_port is None:
            coming_up = (
                notebook.status in COMING_UP and notebook.desired_state == DesiredState.running
            )
            route = NotebookNotRunning(
                f"notebook {notebook.name!r} is starting ({notebook.status.value}); "
                "try again in a moment"
                if coming_up
                else f"notebook {notebook.name!r} is not running ({notebook.status.value}); "
                "start it from the dashboard",
                name=notebook.name,
                status=notebook.status.value,
            )
        else:
            route = Target(
                key=where.key,
                name=notebook.name,
                host=notebook.upstream_host or self._container_host,
                port=notebook.host_port,
                jupyter_token=notebook.jupyter_token,
                prefix=where.base_path,
            )
        self._remember(self._routes, (user_id, where.key), route)
        return route
