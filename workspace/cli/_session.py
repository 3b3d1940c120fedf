"""The client the commands use, built from --url and the saved credentials."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workspace._sync.client import Client


@dataclass
class Options:
    url: str | None = None


options = Options()


def client(*, signed_in: bool = True) -> Client:
    """A client for the URL in use; `signed_in`: refuse at once when there is no token."""
    from workspace._sync.client import Client
    from workspace.errors import NotConfigured

    made = Client(url=options.url)
    if signed_in and not made.token:
        made.close()
        raise NotConfigured(
            f"not signed in to {made.url}: run `workspace login` (or set WORKSPACE_TOKEN)"
        )
    return made
