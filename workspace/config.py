"""Where the URL and token come from: arguments, then `WORKSPACE_URL` / `WORKSPACE_TOKEN`, then
the file `workspace login` writes (in the platform's config directory, owner-only).

A token saved for one server is only ever sent to that server: the file's token is used only
when the URL in use is the file's.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from workspace.errors import NotConfigured

URL_VARIABLE = "WORKSPACE_URL"
TOKEN_VARIABLE = "WORKSPACE_TOKEN"
DEFAULT_URL = "http://127.0.0.1:8000"


def config_file() -> Path:
    """`$XDG_CONFIG_HOME/workspace/config.json` on Linux, the platform's equivalent elsewhere."""
    import platformdirs  # a few ms, paid only when the file is needed

    return Path(platformdirs.user_config_dir("workspace", appauthor=False)) / "config.json"


@dataclass(frozen=True)
class Saved:
    """What `workspace login` stores."""

    url: str
    token: str
    username: str | None = None
    # Set when login minted the token, so logout can revoke it.
    token_id: int | None = None


@dataclass(frozen=True)
class Credentials:
    url: str
    token: str | None


def normalize_url(url: str) -> str:
    url = url.strip().rstrip("/")
    return url if "://" in url else f"http://{url}"


def load() -> Saved | None:
    path = config_file()
    try:
        data = json.loads(path.read_text())
        return Saved(
            url=str(data["url"]),
            token=str(data["token"]),
            username=data.get("username"),
            token_id=data.get("token_id"),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NotConfigured(f"{path} is unreadable ({exc}); run `workspace login` again") from None


def save(saved: Saved) -> Path:
    """Written owner-only (0600, in a 0700 directory), replacing the old file atomically."""
    path = config_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(asdict(saved), out, indent=2)
        out.write("\n")
    os.replace(tmp, path)
    return path


def forget() -> Path | None:
    path = config_file()
    try:
        path.unlink()
    except FileNotFoundError:
        return None
    return path


def resolve(url: str | None = None, token: str | None = None) -> Credentials:
    """The URL and token to use, each from the first source that has it."""
    env_url, env_token = os.environ.get(URL_VARIABLE), os.environ.get(TOKEN_VARIABLE)
    saved = load() if not (token or env_token) or not (url or env_url) else None
    chosen_url = normalize_url(url or env_url or (saved.url if saved else DEFAULT_URL))
    chosen_token = token or env_token
    if chosen_token is None and saved is not None and normalize_url(saved.url) == chosen_url:
        chosen_token = saved.token
    return Credentials(chosen_url, chosen_token)
