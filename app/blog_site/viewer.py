"""Who is reading a public page: nobody (most readers), or a signed-in author who may then
see their own drafts and scheduled posts. The one place the public site reads a session."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.api.deps import SESSION_COOKIE, SessionDep
from app.services.accounts import sessions


async def get_viewer_id(request: Request, db: SessionDep) -> int | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None  # no database round trip for anonymous readers
    user = await sessions.user_for_session(db, cookie)
    return user.id if user is not None else None


ViewerId = Annotated[int | None, Depends(get_viewer_id)]
