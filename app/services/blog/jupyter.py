"""Reading notebooks from a notebook server, server-side: Jupyter's contents API on the
container's address, with the server's own token (which never leaves WorkSpace).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from app.core import notebook_origin
from app.core.config import Settings
from app.core.errors import Conflict, Invalid, NotFound, TooLarge, Unavailable
from app.models.notebook import Notebook
from app.models.post_parts import NotebookFile, NotebookFiles
from app.services.notebooks.status import SERVING

TIMEOUT = httpx.Timeout(30.0, connect=5.0)


def check_path(path: str, *, notebook: bool, field: str = "path") -> str:
    """A relative path inside Jupyter's root ('' is the root); Jupyter refuses escapes
    too, this only makes the answer a clear 422."""
    clean = path.strip().strip("/")
    parts = clean.split("/") if clean else []
    if any(p in ("", ".", "..") for p in parts) or "\\" in clean or "\x00" in clean:
        raise Invalid("a relative path inside the notebook server, without '..'", field=field)
    if notebook and not clean.endswith(".ipynb"):
        raise Invalid("the path of an .ipynb file", field=field)
    return clean


def _url(settings: Settings, notebook: Notebook, path: str) -> str:
    if notebook.status not in SERVING or notebook.host_port is None:
        raise Conflict(f"the notebook server is {notebook.status.value}: start it first")
    host = notebook.upstream_host or settings.container_host
    base = notebook_origin.base_path(settings, notebook.key)
    return f"http://{host}:{notebook.host_port}{base}api/contents/{quote(path)}"


async def _get(
    settings: Settings, notebook: Notebook, path: str, params: dict[str, str], limit: int
) -> dict[str, Any]:
    url = _url(settings, notebook, path)
    headers = {"Authorization": f"token {notebook.jupyter_token}"}
    try:
        async with (
            httpx.AsyncClient(timeout=TIMEOUT, trust_env=False) as client,
            client.stream("GET", url, params=params, headers=headers) as response,
        ):
            if response.status_code == 404:
                raise NotFound(f"no {path or 'root folder'} in the notebook server")
            if response.status_code != 200:
                raise Unavailable(f"the notebook server answered {response.status_code}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > limit:
                    raise TooLarge(f"the notebook is larger than {limit} bytes")
    except httpx.HTTPError as exc:
        raise Unavailable(f"the notebook server did not answer: {type(exc).__name__}") from exc
    try:
        document: dict[str, Any] = httpx.Response(200, content=bytes(body)).json()
    except ValueError as exc:
        raise Unavailable("the notebook server sent something that is not JSON") from exc
    return document


async def read_notebook(settings: Settings, notebook: Notebook, path: str) -> dict[str, Any]:
    """The notebook document at `path` (its JSON)."""
    path = check_path(path, notebook=True)
    model = await _get(
        settings,
        notebook,
        path,
        {"type": "notebook", "content": "1"},
        settings.blog_notebook_max_bytes,
    )
    content = model.get("content")
    if model.get("type") != "notebook" or not isinstance(content, dict):
        raise Invalid("not a notebook", field="path")
    return content


async def list_files(settings: Settings, notebook: Notebook, path: str) -> NotebookFiles:
    """The folders and notebooks in a folder of the server."""
    path = check_path(path, notebook=False)
    model = await _get(settings, notebook, path, {"type": "directory", "content": "1"}, 8 << 20)
    if model.get("type") != "directory" or not isinstance(model.get("content"), list):
        raise Invalid("not a folder", field="path")
    files = [
        NotebookFile(
            name=str(item.get("name", "")),
            path=str(item.get("path", "")),
            type=str(item.get("type")),
            last_modified=_moment(item.get("last_modified")),
        )
        for item in model["content"]
        if isinstance(item, dict) and item.get("type") in ("directory", "notebook")
    ]
    files.sort(key=lambda f: (f.type != "directory", f.name.lower()))
    return NotebookFiles(path=path, data=files)


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None
