"""Post images and the blog's stylesheet.

Images never change under their key, so they are cached for good; `nosniff` keeps a
browser from reading one as anything but the image type it was checked to be.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from app.api.deps import SessionDep
from app.blog_site import http
from app.blog_site.views import stylesheet
from app.core.errors import NotFound
from app.services.blog import images

router = APIRouter(tags=["blog"])
IMMUTABLE = "public, max-age=31536000, immutable"


@router.get(
    "/blog/images/{key}.{ext}",
    response_class=Response,
    responses={
        200: {"content": {"image/*": {}}, "description": "The image"},
        404: {"description": "No such image"},
    },
    summary="A post image",
)
async def post_image(
    request: Request,
    db: SessionDep,
    key: Annotated[str, Path(max_length=32)],
    ext: Annotated[str, Path(max_length=8)],
) -> Response:
    try:
        image = await images.by_key(db, key, ext)
    except NotFound:
        return Response(
            "image not found",
            status_code=404,
            media_type="text/plain",
            headers=http.SECURITY_HEADERS,
        )
    return http.send(
        request,
        image.data,
        media_type=image.content_type,
        cache_control=IMMUTABLE,
        last_modified=image.created_at,
    )


@router.get("/blog/assets/blog.css", response_class=Response, include_in_schema=False)
async def blog_stylesheet(request: Request) -> Response:
    data, version = stylesheet()
    # Pages link it with ?v=<hash of its content>: a new version is a new URL.
    cache = IMMUTABLE if request.query_params.get("v") == version else http.PUBLIC
    return http.send(request, data, media_type="text/css; charset=utf-8", cache_control=cache)
