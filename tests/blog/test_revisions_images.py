"""Revisions (list, diff, restore) and image uploads (checked by content, deduplicated)."""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from tests.blog.conftest import anonymous_of, edit, image_bytes, new_post


async def test_every_save_is_a_revision_with_a_diff_and_restore(
    backend: str, alice: httpx.AsyncClient
) -> None:
    post = await new_post(alice, "T", body="line one\nline two\n")
    post = await edit(alice, post, body="line one\nline 2\n")
    post = await edit(alice, post, tags=["x"])  # no text change: no revision
    post = await edit(alice, post, title="T2")
    listed = (await alice.get(f"{post['url']}/revisions")).json()
    assert listed["count"] == 3
    assert [(r["version"], r["title"]) for r in listed["data"]] == [(4, "T2"), (2, "T"), (1, "T")]
    first = (await alice.get(f"{post['url']}/revisions/1")).json()
    assert first["body"] == "line one\nline two\n"
    assert "-line two\n+line 2\n" in first["diff"]
    assert first["diff"].startswith("--- version 1\n+++ version 4 (current)\n")
    assert (await alice.get(f"{post['url']}/revisions/3")).status_code == 404
    r = await alice.post(f"{post['url']}/revisions/1/restore", json={"version": post["version"]})
    assert r.status_code == 200, r.text
    restored = r.json()
    assert (restored["title"], restored["body"], restored["version"]) == (
        "T",
        "line one\nline two\n",
        5,
    )
    assert restored["tags"] == ["x"]
    assert (await alice.get(f"{post['url']}/revisions")).json()["data"][0]["version"] == 5


async def test_a_restore_over_a_stale_version_is_409_and_changes_nothing(
    backend: str, alice: httpx.AsyncClient
) -> None:
    post = await new_post(alice, "T", body="one")
    stale = post["version"]
    post = await edit(alice, post, body="two")
    r = await alice.post(f"{post['url']}/revisions/1/restore", json={"version": stale})
    assert r.status_code == 409, r.text
    assert r.json()["current_version"] == post["version"]
    now = (await alice.get(post["url"])).json()
    assert (now["body"], now["version"]) == ("two", post["version"])
    for bad in ({}, {"version": 0}, {"version": "x"}, {"version": 2, "title": "no"}):
        r = await alice.post(f"{post['url']}/revisions/1/restore", json=bad)
        assert r.status_code == 422, (bad, r.text)
    assert (await alice.get(post["url"])).json()["version"] == post["version"]


async def test_images_are_checked_by_content(backend: str, alice: httpx.AsyncClient) -> None:
    for fmt, mime in (
        ("PNG", "image/png"),
        ("JPEG", "image/jpeg"),
        ("GIF", "image/gif"),
        ("WEBP", "image/webp"),
    ):
        data = image_bytes(fmt)
        # The name and the claimed type do not count.
        r = await alice.post(
            "/api/posts/images", files={"file": ("whatever.txt", data, "text/plain")}
        )
        assert r.status_code == 201, r.text
        image = r.json()
        assert (image["content_type"], image["width"], image["height"]) == (mime, 4, 3)
        assert image["url"].startswith("/blog/images/")
        served = (await alice.get(image["url"])).content
        assert image["size"] == len(served)
        if fmt != "JPEG":  # a JPEG is encoded again, without its metadata (below)
            assert served == data
    refused = {
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "xml svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        "html named png": b"<html><script>alert(1)</script></html>",
        "truncated png": image_bytes("PNG")[:20],
        "png magic then junk": b"\x89PNG\r\n\x1a\n" + b"junk" * 10,
    }
    for name, data in refused.items():
        r = await alice.post("/api/posts/images", files={"file": ("a.png", data, "image/png")})
        assert r.status_code == 422, (name, r.text)
        assert r.json()["detail"][0]["loc"] == ["body", "file"], name
    assert (
        "SVG"
        in (await alice.post("/api/posts/images", files={"file": ("a.svg", refused["svg"])})).text
    )
    r = await alice.post("/api/posts/images", files={"file": ("e.png", b"")})
    assert r.status_code == 422
    r = await alice.post("/api/posts/images", data={"file": "not a file"})
    assert r.status_code == 422


async def test_same_image_twice_is_one_image_and_cover_must_be_yours(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    data = image_bytes("PNG", color="blue")
    one = (await alice.post("/api/posts/images", files={"file": ("a.png", data)})).json()
    two = (await alice.post("/api/posts/images", files={"file": ("b.png", data)})).json()
    assert one["id"] == two["id"]
    theirs = (await bob.post("/api/posts/images", files={"file": ("c.png", data)})).json()
    assert theirs["id"] != one["id"]
    r = await alice.post("/api/posts", json={"title": "x", "cover_image_id": theirs["id"]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "cover_image_id"]
    post = await new_post(alice, "Covered", cover_image_id=one["id"])
    assert post["cover_image_url"] == one["url"]
    uncovered = await edit(alice, post, cover_image_id=None)
    assert uncovered["cover_image_id"] is None and uncovered["cover_image_url"] is None


async def test_an_image_over_the_limit_is_413(
    backend: str, alice: httpx.AsyncClient, settings: object
) -> None:
    big = image_bytes("PNG", size=(2000, 2000)) + b"\0" * (11 * 1024 * 1024)
    r = await alice.post("/api/posts/images", files={"file": ("big.png", big)})
    assert r.status_code == 413


def photo(orientation: int, icc: bytes | None = None) -> bytes:
    """A camera-like JPEG: EXIF with a position and a serial, XMP, a comment."""
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.BodySerialNumber] = "SN-123456"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: 48.0}
    out = io.BytesIO()
    extra: dict[str, Any] = {"icc_profile": icc} if icc else {}
    image.save(
        out,
        "JPEG",
        quality=80,
        exif=exif,
        comment=b"shot at home",
        xmp=b"<x:xmpmeta>SecretCam</x:xmpmeta>",
        **extra,
    )
    return out.getvalue()


async def test_a_jpeg_loses_its_metadata_and_is_turned_upright(
    backend: str, alice: httpx.AsyncClient
) -> None:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for orientation, size in ((1, (40, 30)), (6, (30, 40))):
        sent = photo(orientation, icc)
        assert b"SecretCam" in sent and b"SN-123456" in sent
        r = await alice.post("/api/posts/images", files={"file": ("p.jpg", sent)})
        assert r.status_code == 201, r.text
        image = r.json()
        assert (image["width"], image["height"]) == size
        served = (await alice.get(image["url"])).content
        for secret in (b"SecretCam", b"SN-123456", b"shot at home", b"Exif\0\0", b"xmpmeta"):
            assert secret not in served, (orientation, secret)
        with Image.open(io.BytesIO(served)) as kept, Image.open(io.BytesIO(sent)) as original:
            assert kept.size == size
            assert not kept.getexif()
            assert kept.info.get("icc_profile") == icc
            if orientation == 1:  # not turned: the same quantization, so the same look
                assert kept.quantization == original.quantization  # type: ignore[attr-defined]


def tagged(fmt: str) -> bytes:
    """A PNG or WebP carrying EXIF (a position, a serial) and XMP, and for PNG a text chunk."""
    image = Image.new("RGBA", (24, 16), (10, 200, 30, 128))
    image.putpixel((3, 4), (250, 0, 0, 255))
    exif = Image.Exif()
    exif[ExifTags.Base.BodySerialNumber] = "SN-123456"
    exif[ExifTags.Base.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: 48.0}
    out = io.BytesIO()
    if fmt == "PNG":
        info = PngInfo()
        info.add_text("Author", "SecretAuthor")
        info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>SecretCam</x:xmpmeta>")
        image.save(out, "PNG", pnginfo=info, exif=exif)
    else:
        image.save(out, "WEBP", quality=80, exif=exif, xmp=b"<x:xmpmeta>SecretCam</x:xmpmeta>")
    return out.getvalue()


async def test_png_and_webp_lose_their_metadata_and_keep_every_pixel(
    backend: str, alice: httpx.AsyncClient
) -> None:
    for fmt, secrets in (
        ("PNG", (b"SecretAuthor", b"SecretCam", b"SN-123456")),
        ("WEBP", (b"SecretCam", b"SN-123456")),
    ):
        sent = tagged(fmt)
        assert all(secret in sent for secret in secrets), fmt
        r = await alice.post("/api/posts/images", files={"file": (f"t.{fmt.lower()}", sent)})
        assert r.status_code == 201, r.text
        served = (await alice.get(r.json()["url"])).content
        for secret in (*secrets, b"Exif", b"xmpmeta"):
            assert secret not in served, (fmt, secret)
        with Image.open(io.BytesIO(served)) as kept, Image.open(io.BytesIO(sent)) as original:
            assert kept.format == fmt and kept.size == original.size
            assert not kept.getexif()
            # Not encoded again: the same image data decodes to the same pixels.
            assert kept.convert("RGBA").tobytes() == original.convert("RGBA").tobytes()


async def test_your_images_are_listed_newest_first_and_only_yours(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    first = (
        await alice.post("/api/posts/images", files={"file": ("a.png", image_bytes("PNG"))})
    ).json()
    second = (
        await alice.post(
            "/api/posts/images", files={"file": ("b.gif", image_bytes("GIF", color="blue"))}
        )
    ).json()
    await bob.post("/api/posts/images", files={"file": ("c.png", image_bytes("PNG"))})
    listed = (await alice.get("/api/posts/images")).json()
    assert listed["count"] == 2
    assert listed["data"] == [second, first]
    page = (await alice.get("/api/posts/images", params={"limit": 1, "offset": 1})).json()
    assert (page["count"], [i["id"] for i in page["data"]]) == (2, [first["id"]])
    assert (await alice.get("/api/posts/images", params={"limit": 0})).status_code == 422
    assert (await anonymous_of(alice).get("/api/posts/images")).status_code == 401
