"""Accounts, sign-in sessions and personal API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from pydantic import ConfigDict
from sqlmodel import Field, SQLModel

from app.core.time import utcnow
from app.models.types import UTCDateTime, text_enum

USERNAME_PATTERN = r"^[a-zA-Z0-9_.-]+$"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    is_admin: bool = False
    # A disabled account keeps its data but no credential of it works (checked on every lookup).
    disabled: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UserPublic(SQLModel):
    id: int
    username: str
    is_admin: bool
    created_at: datetime


class LoginRequest(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class TokenScope(enum.StrEnum):
    """What an API token may do, each level including the one before.

    - `read`: read only (GET), the live feed included; not the notebook proxy, which runs
      code whatever the method;
    - `write`: everything but managing credentials;
    - `full`: everything a signed-in person can do: minting and revoking tokens, seeing
      and ending sessions. A sign-in session is always `full`.
    """

    read = "read"
    write = "write"
    full = "full"

    def allows(self, needed: TokenScope) -> bool:
        order = list(TokenScope)
        return order.index(self) >= order.index(needed)


class SignInSession(SQLModel, table=True):
    """A browser session; the cookie holds the secret, the table only its hash."""

    __tablename__ = "sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    # Shown in the session list, so a person can tell their sign-ins apart.
    last_seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    user_agent: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=64)


class SessionPublic(SQLModel):
    id: int
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime | None
    user_agent: str | None
    address: str | None
    current: bool = False


class PasswordChange(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=8, max_length=1024)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=100)
    # First characters of the secret, so a person can tell their tokens apart.
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    scope: TokenScope = Field(
        default=TokenScope.write,
        sa_type=text_enum(TokenScope),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiTokenCreate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: str = Field(min_length=1, max_length=100)
    scope: TokenScope = Field(
        default=TokenScope.write,
        description="`read`, `write` (the default) or `full`; at most the creator's own.",
    )
    expires_in_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="Days until the token stops working; never when null.",
    )


class ApiTokenPublic(SQLModel):
    id: int
    name: str
    prefix: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class ApiTokenCreated(ApiTokenPublic):
    """Returned once, at creation: the only time the secret is shown."""

    token: str
