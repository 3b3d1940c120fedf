"""The one Markdown renderer: the dashboard's preview and the public page both come from here.

markdown-it-py in CommonMark mode with raw HTML off, plus tables, strikethrough, task lists,
footnotes and heading anchors; fenced code highlighted by Pygments (classes, styled by the
blog's stylesheet, light and dark); external links get `rel="noopener nofollow"`. The result
always passes `sanitize.clean` at the end.

Two forms of a post's Markdown are not CommonMark:
- a line `<!--more-->` ends the excerpt (it shows nothing on the page);
- a fenced block whose info string is `notebook-cell POST/CELL` (e.g. ```` ```notebook-cell
  12/a1b2c3 ````, with nothing inside) is replaced by the output of cell `CELL` of the
  author's notebook post `POST`, as frozen when that notebook was imported.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from app.services.blog.sanitize import EXTERNAL_REL, clean, text_of

MORE = "<!--more-->"
WORDS_PER_MINUTE = 230
SUMMARY_MAX = 300
CELL_INFO = "notebook-cell"
_MORE_LINE = re.compile(r"^[ ]{0,3}<!--\s*more\s*-->[ \t]*$", re.MULTILINE)
_CELL_REF = re.compile(r"(\d{1,10})[/#]([A-Za-z0-9_-]{1,64})")
_FORMATTER = HtmlFormatter(nowrap=True)

CellRef = tuple[int, str]


def _highlight(code: str, lang: str, _attrs: str) -> str:
    """A fence's HTML: Pygments for a language it knows, else escaped as it is."""
    name = lang.split()[0] if lang else ""
    try:
        lexer = get_lexer_by_name(name) if name else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        return ""  # markdown-it escapes it into <pre><code>
    spans = pygments_highlight(code, lexer, _FORMATTER)
    language = html.escape(name, quote=True)
    return f'<pre class="highlight"><code class="language-{language}">{spans}</code></pre>'


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "highlight": _highlight})
    md.enable(["table", "strikethrough"])
    md.use(tasklists_plugin).use(footnote_plugin).use(anchors_plugin, min_level=1, max_level=6)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("fence", _fence)
    md.add_render_rule("image", _image)
    return md


def _link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    parts = urlsplit(href)
    if parts.scheme in ("http", "https") and (parts.hostname or "") != env.get("own_host"):
        token.attrSet("rel", EXTERNAL_REL)
    return self.renderToken(tokens, idx, options, env)


def _image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    tokens[idx].attrSet("loading", "lazy")
    return self.image(tokens, idx, options, env)


def _fence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    ref = cell_ref(tokens[idx])
    if ref is None:
        return self.fence(tokens, idx, options, env)
    output = env.get("cells", {}).get(ref)
    if output is None:
        return (
            '<div class="notebook-cell missing">Notebook cell '
            f"{html.escape(f'{ref[0]}/{ref[1]}')} not found.</div>\n"
        )
    return f'<div class="notebook-cell">{output}</div>\n'


def cell_ref(token: Token) -> CellRef | None:
    info = token.info.strip().split()
    if token.type != "fence" or len(info) != 2 or info[0] != CELL_INFO:
        return None
    match = _CELL_REF.fullmatch(info[1])
    return (int(match.group(1)), match.group(2)) if match else None


_MD = _markdown()


@dataclass(frozen=True, slots=True)
class Parsed:
    """Markdown parsed once: the cells it embeds are loaded before it is rendered."""

    tokens: list[Token]
    excerpt: list[Token] | None  # above `<!--more-->`, when the body has one
    cells: frozenset[CellRef]


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    summary: str  # the excerpt as plain text, for lists, feeds and meta descriptions
    word_count: int

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.word_count)


def reading_minutes(word_count: int) -> int:
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE))


def parse(body: str) -> Parsed:
    match = _MORE_LINE.search(body)
    if match is None:
        tokens, excerpt = _MD.parse(body, {}), None
    else:
        # The marker is not CommonMark (raw HTML is off): split there, render both halves.
        above, below = body[: match.start()], body[match.end() :]
        excerpt = _MD.parse(above, {})
        tokens = _MD.parse(above + "\n" + below, {})
    cells = frozenset(ref for t in tokens if t.type == "fence" and (ref := cell_ref(t)))
    return Parsed(tokens, excerpt, cells)


def render(
    parsed: Parsed,
    *,
    own_host: str,
    cells: Mapping[CellRef, str] | None = None,
    excerpt: str | None = None,
    appendix: str = "",
) -> Rendered:
    """The post's sanitized HTML (its body, then `appendix`: a notebook's snapshot), its
    summary (from `excerpt` when the author wrote one), and its word count."""
    env: dict[str, Any] = {"own_host": own_host, "cells": cells or {}}
    body_html = _MD.renderer.render(parsed.tokens, _MD.options, env)
    page = clean(body_html + appendix)
    if excerpt:
        summary = " ".join(excerpt.split())
    elif parsed.excerpt is not None:
        summary = text_of(_MD.renderer.render(parsed.excerpt, _MD.options, dict(env)))
    else:
        summary = _first_paragraph(parsed.tokens) or text_of(page)
    words = len(text_of(page).split())
    return Rendered(page, _shorten(summary), words)


def render_markdown(body: str, *, own_host: str) -> str:
    """Markdown with no embedded cells (e.g. a notebook's Markdown cells)."""
    return render(parse(body), own_host=own_host).html


def _first_paragraph(tokens: list[Token]) -> str:
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and i + 1 < len(tokens):
            inline = tokens[i + 1]
            return text_of(_MD.renderer.render([inline], _MD.options, {}))
    return ""


def _shorten(text: str) -> str:
    if len(text) <= SUMMARY_MAX:
        return text
    cut = text[: SUMMARY_MAX - 1].rsplit(" ", 1)[0]
    return cut + "…"


def stylesheet_rules() -> str:
    """Pygments' token colours: light by default, dark when the reader's system is."""
    light = HtmlFormatter(style="default").get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
