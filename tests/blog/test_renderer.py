"""The renderer: CommonMark's own examples, the extensions, and an XSS corpus (Markdown and
notebook outputs) of which nothing may survive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nh3
import pytest
from markdown_it import MarkdownIt

from app.services.blog import notebook
from app.services.blog.renderer import parse, render, render_markdown
from app.services.blog.sanitize import TAGS, URL_SCHEMES
from tests.blog.notebooks import hostile_notebook
from tests.blog.xss import MARKDOWN_CORPUS, problems

SPEC = json.loads((Path(__file__).parent / "data" / "commonmark-0.31.2.json").read_text())
HOST = "blog.example"
RAW_HTML_ON = MarkdownIt("commonmark")
RAW_HTML_OFF = MarkdownIt("commonmark", {"html": False})
# Markdown our extensions give a meaning plain CommonMark does not.
EXTENSION_SYNTAX = ("|", "~", "[ ]", "[x]", "[X]", "[^")


def normalized(html: str) -> str:
    """HTML without what the blog adds on purpose (heading ids, classes, rel, Pygments'
    spans, lazy loading) and as the sanitizer writes it (links of other schemes than
    http, https and mailto lose their href), so CommonMark's expected output and ours can
    be compared."""
    cleaned = nh3.clean(
        html,
        tags=set(TAGS) - {"span"},
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}},
        link_rel=None,
        url_schemes=set(URL_SCHEMES),
    )
    # markdown-it writes an empty block quote on one line (as markdown-it-py's own spec
    # test allows), and a scheme as written (`MAILTO:`).
    return cleaned.replace("<blockquote>\n</blockquote>", "<blockquote></blockquote>").replace(
        'href="MAILTO:', 'href="mailto:'
    )


def _relevant(example: dict[str, Any]) -> str | None:
    """Why an example cannot apply as written, or None when it must pass."""
    markdown = example["markdown"]
    if RAW_HTML_ON.render(markdown) != RAW_HTML_OFF.render(markdown):
        return "raw HTML (off here by design)"
    if any(s in markdown for s in EXTENSION_SYNTAX):
        return "extension syntax"
    return None


CHECKED = [e for e in SPEC if _relevant(e) is None]


def test_most_commonmark_examples_apply() -> None:
    assert len(SPEC) == 652
    assert len(CHECKED) >= 500, len(CHECKED)


@pytest.mark.parametrize("example", CHECKED, ids=lambda e: f"{e['example']}-{e['section']}")
def test_commonmark_example(example: dict[str, Any]) -> None:
    ours = render_markdown(example["markdown"], own_host=HOST)
    assert normalized(ours) == normalized(example["html"])


def test_raw_html_is_text() -> None:
    for example in (e for e in SPEC if _relevant(e) == "raw HTML (off here by design)"):
        ours = render_markdown(example["markdown"], own_host=HOST)
        assert ours == normalized(RAW_HTML_OFF.render(example["markdown"])) or not problems(ours)


def test_extensions() -> None:
    html = render_markdown(
        "# Title\n\n## Title\n\n| a | b |\n|:-|-:|\n| 1 | ~~2~~ |\n\n- [x] done\n- [ ] todo\n\n"
        "Note[^n].\n\n[^n]: The note.\n\n```python\nx = 1\n```\n\n"
        "[out](https://example.org) [in](https://blog.example/x) [rel](/blog)\n",
        own_host=HOST,
    )
    assert '<h1 id="title">' in html and '<h2 id="title-1">' in html
    assert '<td align="left">1</td>' in html or "<td>1</td>" in html
    assert "<s>2</s>" in html
    assert 'checked="checked" disabled="disabled" type="checkbox"' in html
    assert '<section class="footnotes">' in html and 'href="#fn1"' in html
    assert '<pre class="highlight"><code class="language-python"><span class="n">x</span>' in html
    assert '<a href="https://example.org" rel="noopener nofollow">out</a>' in html
    assert '<a href="https://blog.example/x">in</a>' in html
    assert '<a href="/blog">rel</a>' in html


def test_excerpt_more_marker_and_first_paragraph() -> None:
    marked = render(parse("Intro **here**.\n\n<!--more-->\n\nRest."), own_host=HOST)
    assert marked.summary == "Intro here."
    assert "more" not in marked.html and "Rest." in marked.html
    plain = render(parse("# Head\n\nFirst para.\n\nSecond."), own_host=HOST)
    assert plain.summary == "First para."
    given = render(parse("Body."), own_host=HOST, excerpt="  Given  one ")
    assert given.summary == "Given one"
    long = render(parse("word " * 400), own_host=HOST)
    assert len(long.summary) <= 300 and long.summary.endswith("…")
    assert long.word_count == 400 and long.reading_minutes == 2


@pytest.mark.parametrize("payload", MARKDOWN_CORPUS)
def test_nothing_in_the_markdown_corpus_survives(payload: str) -> None:
    html = render_markdown(payload, own_host=HOST)
    assert problems(html) == [], html
    assert "<script" not in html.lower()


def test_nothing_in_notebook_outputs_survives() -> None:
    extracted = notebook.read(json.dumps(hostile_notebook()))
    converted = notebook.convert(extracted, ["/blog/images/k.png"], show_input=True, own_host=HOST)
    for html in (converted.html, *converted.cells.values()):
        assert problems(html) == [], html
    assert "forty-two" in converted.html and 'src="/blog/images/k.png"' in converted.html
    # An image a notebook carries that is not one we keep leaves nothing behind.
    dropped = notebook.convert(extracted, [None], show_input=True, own_host=HOST)
    assert "workspace-image:" not in dropped.html and 'alt="output"' not in dropped.html
