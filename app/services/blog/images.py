"""Post images: checked by their content, stored in the database, served by a random key.

Only PNG, JPEG, GIF and WebP are kept, and only when the bytes are one (the file's name and
the type the browser claims do not count): the magic bytes must say so and Pillow must be
able to read the image's header. SVG is refused: it can carry script. An image is kept
without its metadata (`app.services.blog.metadata`: a phone photo's GPS position and camera
serial would otherwise be public). The same bytes uploaded twice by one person are one image.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import warnings

from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import defer
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import Invalid, NotFound
from app.models.post_parts import PostImage, PostImagePublic, PostImagesPublic
from app.services.blog.metadata import without_metadata

# Pillow's name for the format → (MIME type, file extension in URLs)
FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
EXTENSIONS = {ext: mime for mime, ext in FORMATS.values()}
# Larger images are refused before decoding (a small file can claim a huge canvas).
MAX_PIXELS = 50_000_000


def sniff(data: bytes) -> str | None:
    """The format named by the file's first bytes, Pillow's spelling."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def image_path(key: str, content_type: str) -> str:
    """The image's public URL, relative to the site (it works in the preview and the page)."""
    ext = next((e for e, mime in EXTENSIONS.items() if mime == content_type), "bin")
    return f"/blog/images/{key}.{ext}"


def inspect(data: bytes, *, field: str = "file") -> tuple[str, int, int]:
    """(MIME type, width, height) of an accepted image; 422 for anything else."""
    sniffed = sniff(data)
    if sniffed is None:
        if data.lstrip()[:5].lower() in (b"<?xml", b"<svg ") or b"<svg" in data[:1024].lower():
            raise Invalid("SVG images are not accepted (they can carry script)", field=field)
        raise Invalid("not a PNG, JPEG, GIF or WebP image", field=field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[sniffed]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise Invalid(f"the image is larger than {MAX_PIXELS} pixels", field=field)
                image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise Invalid(f"a damaged or unreadable {sniffed} image", field=field) from exc
    return FORMATS[sniffed][0], width, height


def public(image: PostImage) -> PostImagePublic:
    assert image.id is not None
    return PostImagePublic(
        id=image.id,
        url=image_path(image.key, image.content_type),
        content_type=image.content_type,
        size=image.size,
        width=image.width,
        height=image.height,
        created_at=image.created_at,
    )


async def list_images(
    db: AsyncSession, owner_id: int, *, limit: int, offset: int
) -> PostImagesPublic:
    """An owner's images, newest first, without their bytes."""
    mine = col(PostImage.owner_id) == owner_id
    total = (await db.exec(select(func.count()).select_from(PostImage).where(mine))).one()
    rows = await db.exec(
        select(PostImage)
        .options(defer(PostImage.data))  # type: ignore[arg-type]
        .where(mine)
        .order_by(col(PostImage.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return PostImagesPublic(data=[public(image) for image in rows], count=total)


async def store(db: AsyncSession, owner_id: int, data: bytes, *, field: str = "file") -> PostImage:
    """Check and keep an image (flushed, not committed); an identical one is reused."""
    content_type, width, height = inspect(data, field=field)
    data = without_metadata(content_type, data, field=field)
    if content_type == "image/jpeg":
        # Turned upright, a photo's sides swap.
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as upright:
            width, height = upright.size
    digest = hashlib.sha256(data).hexdigest()
    existing = (
        await db.exec(
            select(PostImage).where(
                col(PostImage.owner_id) == owner_id, col(PostImage.sha256) == digest
            )
        )
    ).first()
    if existing is not None:
        return existing
    image = PostImage(
        owner_id=owner_id,
        key=secrets.token_urlsafe(16),
        content_type=content_type,
        size=len(data),
        width=width,
        height=height,
        sha256=digest,
        data=data,
    )
    db.add(image)
    await db.flush()
    return image


async def owned_image_id(db: AsyncSession, owner_id: int, image_id: int, field: str) -> int:
    image_owner = (
        await db.exec(select(col(PostImage.owner_id)).where(col(PostImage.id) == image_id))
    ).first()
    if image_owner != owner_id:
        raise Invalid("no such image of yours", field=field)
    return image_id


async def by_key(db: AsyncSession, key: str, ext: str) -> PostImage:
    image = (await db.exec(select(PostImage).where(col(PostImage.key) == key))).first()
    if image is None or EXTENSIONS.get(ext) != image.content_type:
        raise NotFound("image not found")
    return image
