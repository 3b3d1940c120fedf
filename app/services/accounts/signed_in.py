"""Who is calling: the user, the credential they presented, and what it allows."""

from __future__ import annotations

from dataclasses import dataclass

from app.live.revocation import CredentialId
from app.models.user import TokenScope, User


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: User
    credential: CredentialId  # what ends their WebSockets with it
    scope: TokenScope  # a sign-in session's is `full`

    @property
    def session_digest(self) -> str | None:
        return self.credential.session_digest
