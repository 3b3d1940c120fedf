"""Who is reading a public page: nobody (most readers), or a signed-in author who may then
see their own drafts and scheduled posts. The one place the public site reads a credential
(the same rule as the api's: `app.core.credentials`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.api.deps import SessionDep
from app.core.credentials import presented
from app.services.accounts import sessions


async def get_viewer_id(request: Request, db: SessionDep) -> int | None:
    credential = presented(request)
    if credential is None:
        return None  # no database round trip for anonymous readers
    user = await sessions.user_for(db, credential)
    return user.id if user is not None else None


ViewerId = Annotated[int | None, Depends(get_viewer_id)]
