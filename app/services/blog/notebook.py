"""A notebook as post HTML: nbconvert's basic HTML template (no script, no page chrome),
with input cells shown or hidden, then the blog's sanitizer.

Output images leave the notebook: they are taken out of the outputs before conversion,
stored as post images (checked like any upload: SVG and anything that is not PNG, JPEG,
GIF or WebP is dropped) and shown by URL. Outputs that are script (JavaScript, widgets)
are dropped; HTML outputs pass the sanitizer like everything else.

Each code cell's output is also kept on its own, by cell id, so a Markdown post can embed
it. Cells without an id (notebooks older than format 4.5) get `cell-<index>`.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import nbformat

from app.core.errors import Invalid
from app.services.blog.sanitize import clean, mark_external_links

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
# Kept from an output's bundle (others, such as application/javascript, widget state or
# image/svg+xml, are dropped); nbconvert shows the richest one left.
KEPT_TYPES = frozenset({"text/html", "text/markdown", "text/latex", "text/plain"})
PLACEHOLDER = "workspace-image:"
_PLACEHOLDER_TAG = re.compile(r'<img\b[^>]*\bsrc="workspace-image:(\d+)"[^>]*>')


@dataclass
class Extracted:
    """A notebook read and prepared for conversion."""

    notebook: Any  # nbformat.NotebookNode
    images: list[bytes] = field(default_factory=list)
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Converted:
    html: str
    cells: dict[str, str]  # cell id → sanitized output HTML


def read(raw: bytes | str | dict[str, Any], *, field_name: str = "file") -> Extracted:
    """Parse and validate a notebook, and take its output images out (placeholders stay)."""
    try:
        text = raw if isinstance(raw, str | bytes) else json.dumps(raw)
        notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
        nbformat.validate(notebook)
    except Exception as exc:  # nbformat raises many kinds for a bad document
        raise Invalid(f"not a valid Jupyter notebook: {str(exc)[:200]}", field=field_name) from exc
    extracted = Extracted(notebook)
    for index, cell in enumerate(notebook.cells):
        if not cell.get("id"):
            cell["id"] = f"cell-{index}"
        if cell.cell_type == "markdown" and extracted.title is None:
            extracted.title = _first_heading(cell.source)
        for output in cell.get("outputs", []):
            _extract(output, extracted.images)
    return extracted


def _first_heading(source: str) -> str | None:
    for line in source.splitlines():
        if line.startswith("# "):
            return line[2:].strip()[:200] or None
    return None


def _extract(output: Any, images: list[bytes]) -> None:
    data = output.get("data")
    if not isinstance(data, dict):
        return
    for mime in IMAGE_TYPES:
        if mime in data:
            payload = data[mime]
            text = "".join(payload) if isinstance(payload, list) else str(payload)
            try:
                images.append(base64.b64decode(text, validate=False))
            except (binascii.Error, ValueError):
                break
            data["text/html"] = _image_tag(f"{PLACEHOLDER}{len(images) - 1}")
            break
    for mime in list(data):
        if mime not in KEPT_TYPES:
            del data[mime]


def _image_tag(src: str) -> str:
    return f'<img src="{html.escape(src)}" alt="output">'


@lru_cache(maxsize=2)
def _exporter(show_input: bool) -> Any:
    from nbconvert import HTMLExporter  # imported when first needed: it takes a second

    return HTMLExporter(  # type: ignore[no-untyped-call]
        template_name="basic",
        exclude_input=not show_input,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )


def _sanitize(fragment: str, image_urls: list[str | None], own_host: str) -> str:
    def swap(match: re.Match[str]) -> str:
        index = int(match.group(1))
        url = image_urls[index] if index < len(image_urls) else None
        return _image_tag(url) if url else ""

    # nbconvert rewrites the tag (attribute order, `/>`): find it by its placeholder.
    fragment = _PLACEHOLDER_TAG.sub(swap, fragment)
    return clean(mark_external_links(clean(fragment), own_host))


def convert(
    extracted: Extracted, image_urls: list[str | None], *, show_input: bool, own_host: str
) -> Converted:
    """The whole notebook's HTML, and each code cell's output on its own (blocking: call it
    in a thread). `image_urls[i]` is where output image i is served (None: dropped)."""
    with warnings.catch_warnings():
        # "IPython3 lexer unavailable, falling back on Python 3": the right outcome here.
        warnings.simplefilter("ignore", UserWarning)
        return _convert(extracted, image_urls, show_input=show_input, own_host=own_host)


def _convert(
    extracted: Extracted, image_urls: list[str | None], *, show_input: bool, own_host: str
) -> Converted:
    body, _ = _exporter(show_input).from_notebook_node(extracted.notebook)
    page = f'<div class="notebook">{_sanitize(body, image_urls, own_host)}</div>'
    cells: dict[str, str] = {}
    outputs_only = _exporter(False)
    for cell in extracted.notebook.cells:
        if cell.cell_type != "code" or not cell.get("outputs"):
            continue
        single = nbformat.v4.new_notebook(cells=[cell], metadata=extracted.notebook.metadata)  # type: ignore[no-untyped-call]
        fragment, _ = outputs_only.from_notebook_node(single)
        cells[str(cell["id"])] = _sanitize(fragment, image_urls, own_host)
    return Converted(page, cells)
