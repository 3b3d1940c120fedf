"""The sanitizer every piece of post HTML passes last, whatever produced it (nh3).

What survives is text formatting, links, images, tables, code with Pygments' classes, task
list checkboxes and footnotes: no script, no style, no frame, no form, no event handler, and
URLs only of the schemes below (relative ones too). `rel` is kept only as the renderer
writes it on external links.
"""

from __future__ import annotations

import html
import re

import nh3

EXTERNAL_REL = "noopener nofollow"
URL_SCHEMES = frozenset({"http", "https", "mailto"})
TAGS = frozenset(
    nh3.ALLOWED_TAGS - {"area", "map"}
    | {"input", "section", "span", "div", "pre", "code", "sup", "table", "img"}
)
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"checked", "disabled"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "data": {"value"},
    "abbr": set(),
}
ATTRIBUTE_VALUES = {
    "input": {"type": {"checkbox"}},
    "a": {"rel": {EXTERNAL_REL}},
}
# Removed with their content (the others lose only their tags).
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript"})
_EXTERNAL_LINK = re.compile(r'<a((?: [a-z-]+="[^"]*")*?) href="(https?://[^"]*)"')


def clean(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes=ATTRIBUTES,
        tag_attribute_values=ATTRIBUTE_VALUES,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def mark_external_links(fragment: str, own_host: str) -> str:
    """Add `rel` to absolute links to other hosts, in HTML that `clean` already normalised
    (every attribute double-quoted), for HTML the Markdown renderer did not make
    (notebooks). Call `clean` again after."""

    def add(match: re.Match[str]) -> str:
        url = html.unescape(match.group(2))
        host = url.split("/", 3)[2].rsplit("@", 1)[-1].lower() if url.count("/") >= 2 else ""
        if host == own_host.lower():
            return match.group(0)
        return f'{match.group(0)} rel="{EXTERNAL_REL}"'

    return _EXTERNAL_LINK.sub(add, fragment)


def text_of(fragment: str) -> str:
    """The plain text of HTML, whitespace collapsed."""
    text = html.unescape(nh3.clean(fragment, tags=set(), clean_content_tags=set(DROP_WITH_CONTENT)))
    return " ".join(text.split())
