# Generated from workspace/_async/client.py by scripts/unasync.py: do not edit.
"""`Client`: WorkSpace's API over httpx, typed with the api's models."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from workspace import config
from workspace._responses import describe, raise_for
from workspace._sync.feed import Feed
from workspace._sync.notebooks import Notebooks
from workspace._sync.posts import Posts
from workspace._sync.todos import Lists, Tags, Todos
from workspace._sync.tokens import Tokens
from workspace.errors import Unreachable
from workspace.feed import Message
from workspace.models import ApiTokenCreated, LoginRequest, TokenScope, UserPublic

T = TypeVar("T", bound=BaseModel)

# The dashboard's sign-in: a session cookie, and a CSRF cookie echoed in a header.
CSRF_COOKIE = "workspace_csrf"
CSRF_HEADER = "X-CSRF-Token"
USER_AGENT = "workspace-client/0.1"


class Client:
    """`Client(url, token)`; either may be left out (see `workspace.config`).

    Use it as an async context manager, or call `close()`. Errors are `workspace.errors`:
    `Unreachable` when the server does not answer, an `ApiError` subclass when it refuses.
    """

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        credentials = config.resolve(url, token)
        self.url = credentials.url
        self.token = credentials.token
        self.http = httpx.Client(
            base_url=self.url, timeout=timeout, transport=transport, trust_env=False
        )
        self.http.headers["User-Agent"] = USER_AGENT
        if self.token:
            self.http.headers["Authorization"] = f"Bearer {self.token}"
        self.todos = Todos(self)
        self.lists = Lists(self)
        self.tags = Tags(self)
        self.notebooks = Notebooks(self)
        self.tokens = Tokens(self)
        self.posts = Posts(self)

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http")

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """One request; an error status raises the matching `ApiError`."""
        try:
            response = self.http.request(method, path, params=params, json=json, headers=headers)
        except httpx.TransportError as exc:
            raise Unreachable(self.url, describe(exc)) from None
        if response.is_error:
            raise_for(response)
        return response

    def call(
        self,
        model: type[T],
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
    ) -> T:
        response = self.request(method, path, params=params, json=json)
        return model.model_validate_json(response.content)

    def me(self) -> UserPublic:
        return self.call(UserPublic, "GET", "/api/me")

    def sign_in(
        self,
        username: str,
        password: str,
        *,
        token_name: str,
        scope: TokenScope = TokenScope.full,
    ) -> ApiTokenCreated:
        """Sign in with a password, mint a personal token named `token_name`, and end the
        session again; the client then uses the new token (returned: its secret is shown once).
        Its scope is `full` unless asked otherwise: the terminal acts as its user, tokens and
        sessions included."""
        body = LoginRequest(username=username, password=password).model_dump()
        # The session signs the requests below; a token sent too would take precedence.
        self.http.headers.pop("Authorization", None)
        self.request("POST", "/api/auth/login", json=body)
        csrf = {CSRF_HEADER: self.http.cookies.get(CSRF_COOKIE) or ""}
        try:
            response = self.request(
                "POST", "/api/tokens", json={"name": token_name, "scope": scope.value}, headers=csrf
            )
            created = ApiTokenCreated.model_validate_json(response.content)
        finally:
            self.request("POST", "/api/auth/logout", headers=csrf)
            self.http.cookies.clear()
        self.token = created.token
        self.http.headers["Authorization"] = f"Bearer {created.token}"
        return created

    def feed(self) -> Feed:
        """The live feed, as a context manager: `with client.feed() as feed`."""
        return Feed(self)

    def watch(self) -> Iterator[Message]:
        """Every message of the live feed: a `Snapshot`, then `Event`s, until closed."""
        with self.feed() as feed:
            for message in feed:
                yield message

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
