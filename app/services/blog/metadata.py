"""An uploaded image without the metadata that would make its author's camera, place and time
public: EXIF (GPS position, serial numbers), XMP, IPTC, text chunks and comments.

A JPEG is encoded again with its pixels and colour profile only (its quantization tables
are kept, so it looks the same). PNG and WebP keep every byte of their image data: the
metadata chunks are dropped from the file's chunk list, so nothing is encoded again (a
lossy WebP would lose quality; an animated PNG keeps its frames). GIFs carry no camera
metadata and are kept as they are.
"""

from __future__ import annotations

import io
import struct

from PIL import ExifTags, Image, ImageOps

from app.core.errors import Invalid

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Text (tEXt, zTXt, iTXt: where XMP and "Author" live), EXIF, and the last-modified time.
PNG_METADATA = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"})
WEBP_METADATA = frozenset({b"EXIF", b"XMP "})
# The VP8X header's flags that announce those chunks.
WEBP_FLAG_EXIF, WEBP_FLAG_XMP = 0x08, 0x04


def without_metadata(content_type: str, data: bytes, *, field: str = "file") -> bytes:
    """`data` (an image `inspect` accepted) with its metadata gone."""
    if content_type == "image/jpeg":
        return _jpeg(data)
    if content_type == "image/png":
        return _png(data, field)
    if content_type == "image/webp":
        return _webp(data, field)
    return data


def _jpeg(data: bytes) -> bytes:
    """A photo whose EXIF said to turn it is turned, since the note saying so goes."""
    with Image.open(io.BytesIO(data), formats=["JPEG"]) as image:
        icc_profile = image.info.get("icc_profile")
        out = io.BytesIO()
        if image.getexif().get(ExifTags.Base.Orientation, 1) in (0, 1):
            # `comment=b""`: Pillow would otherwise copy the source's COM segment.
            image.save(out, "JPEG", quality="keep", icc_profile=icc_profile, comment=b"")
        else:
            upright = ImageOps.exif_transpose(image)
            upright.save(out, "JPEG", quality=95, icc_profile=icc_profile, comment=b"")
    return out.getvalue()


def _png(data: bytes, field: str) -> bytes:
    kept = [PNG_SIGNATURE]
    at = len(PNG_SIGNATURE)
    while at < len(data):
        if at + 12 > len(data):
            raise Invalid("a damaged PNG image (a chunk is cut short)", field=field)
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if end > len(data):
            raise Invalid("a damaged PNG image (a chunk is cut short)", field=field)
        if kind not in PNG_METADATA:
            kept.append(data[at:end])
        at = end
        if kind == b"IEND":
            break  # whatever follows the end is not the image's
    return b"".join(kept)


def _webp(data: bytes, field: str) -> bytes:
    chunks: list[bytes] = []
    at = 12
    while at + 8 <= len(data):
        kind = data[at : at + 4]
        (size,) = struct.unpack("<I", data[at + 4 : at + 8])
        if at + 8 + size > len(data):
            raise Invalid("a damaged WebP image (a chunk is cut short)", field=field)
        # Chunks are padded to an even size (a last pad byte left off is put back).
        chunk = data[at : at + 8 + size] + (b"\0" if size & 1 else b"")
        if kind == b"VP8X" and size >= 1:
            flags = chunk[8] & ~(WEBP_FLAG_EXIF | WEBP_FLAG_XMP)
            chunk = chunk[:8] + bytes([flags]) + chunk[9:]
        if kind not in WEBP_METADATA:
            chunks.append(chunk)
        at += 8 + size + (size & 1)
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body
