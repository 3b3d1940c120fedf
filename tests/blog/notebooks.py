"""Notebooks for the blog's tests, made with nbformat: outputs of every kind, hostile ones
too."""

from __future__ import annotations

import base64
from typing import Any

import nbformat

from tests.blog.conftest import image_bytes

SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(4)"><script>alert(5)</script></svg>'


def hostile_notebook(marker: str = "first") -> dict[str, Any]:
    """A notebook whose outputs carry HTML, script, SVG and a PNG; cell ids are fixed."""
    v4 = nbformat.v4
    png = base64.b64encode(image_bytes("PNG", color="green")).decode()
    cells = [
        v4.new_markdown_cell(
            f"# Analysis {marker}\n\nIntro <img src=x onerror=alert(1)> [site](https://example.org)",
            id="intro",
        ),
        v4.new_code_cell(
            "secret_source = 41 + 1\nsecret_source",
            id="answer",
            execution_count=1,
            outputs=[
                v4.new_output("stream", name="stdout", text=f"printed {marker}\n"),
                v4.new_output(
                    "execute_result",
                    execution_count=1,
                    data={
                        "text/plain": "42",
                        "text/html": "<b onclick=alert(2)>forty-two</b><script>alert(3)</script>"
                        '<iframe src="javascript:alert(6)"></iframe>'
                        '<a href="javascript:alert(7)">j</a><style>body{display:none}</style>',
                    },
                ),
            ],
        ),
        v4.new_code_cell(
            "plot()",
            id="figure",
            execution_count=2,
            outputs=[
                v4.new_output("display_data", data={"image/png": png, "text/plain": "<Fig>"}),
                v4.new_output(
                    "display_data",
                    data={"application/javascript": "alert(8)", "text/plain": "js-fallback"},
                ),
                v4.new_output("display_data", data={"image/svg+xml": SVG, "text/plain": "svg"}),
            ],
        ),
    ]
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    return dict(nbformat.from_dict(notebook))


def as_bytes(notebook: dict[str, Any]) -> bytes:
    text: str = nbformat.writes(nbformat.from_dict(notebook))
    return text.encode()
