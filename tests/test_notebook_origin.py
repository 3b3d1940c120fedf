"""Where notebooks are served and how a request names one (pure), and the notebook pass."""

from __future__ import annotations

import time

import pytest

from app.core import notebook_origin
from app.core.config import Settings
from app.core.credentials import NotebookPass
from app.core.notebook_origin import NOWHERE, NotebookAddress, new_key

KEY = "0123456789abcdef0123456789abcdef"


def test_each_notebook_has_an_origin_of_its_own() -> None:
    settings = Settings(public_url="https://ws.example.com", notebook_domain="nb.example.net")
    assert notebook_origin.url(settings, KEY) == f"https://{KEY}.nb.example.net/"
    local = Settings()  # make run: the public URL's scheme and port, names under localhost
    assert notebook_origin.url(local, KEY) == f"http://{KEY}.nb.localhost:8000/"
    assert notebook_origin.origin_template(local) == "http://{key}.nb.localhost:8000/"


@pytest.mark.parametrize(
    ("host", "path", "expected"),
    [
        (f"{KEY}.nb.localhost:8000", "/lab", NotebookAddress(KEY, "/")),
        (f"{KEY.upper()}.NB.localhost", "/", NotebookAddress(KEY, "/")),
        ("nb.localhost:8000", "/api/me", NOWHERE),
        ("x.nb.localhost", "/", NOWHERE),
        (f"a.{KEY}.nb.localhost", "/", NOWHERE),
        ("127.0.0.1:8000", f"/{KEY}/", None),
        ("localhost:8000", "/api/me", None),
        ("evilnb.localhost", "/", None),
        ("[::1]:8000", "/", None),
    ],
)
def test_a_request_names_its_notebook_by_host(
    host: str, path: str, expected: NotebookAddress | object | None
) -> None:
    assert notebook_origin.locate(Settings(), host, path) == expected


def test_shared_hosts_name_the_notebook_by_its_path() -> None:
    settings = Settings(notebook_hosts="shared", notebook_domain="notebooks.localhost")
    assert notebook_origin.url(settings, KEY) == f"http://notebooks.localhost:8000/{KEY}/"
    assert notebook_origin.locate(settings, "notebooks.localhost:8000", f"/{KEY}/lab") == (
        NotebookAddress(KEY, f"/{KEY}/")
    )
    assert notebook_origin.locate(settings, "notebooks.localhost", "/lab") is NOWHERE
    assert notebook_origin.locate(settings, "127.0.0.1:8000", f"/{KEY}/") is None


@pytest.mark.parametrize(
    "public_url", ["http://nb.localhost:8000", "http://a.nb.localhost", "https://NB.localhost"]
)
def test_the_dashboard_may_not_live_on_the_notebook_domain(public_url: str) -> None:
    with pytest.raises(ValueError, match="WORKSPACE_NOTEBOOK_DOMAIN"):
        Settings(public_url=public_url)


def test_a_pass_is_good_only_as_signed_for_its_notebook_and_until_it_expires() -> None:
    later = int(time.time()) + 60
    value = NotebookPass(7, 3, KEY, later).sign("secret")
    assert NotebookPass.read(value, "secret", key=KEY) == NotebookPass(7, 3, KEY, later)
    assert NotebookPass.read(value, "another secret", key=KEY) is None
    assert NotebookPass.read(value, "secret", key=new_key()) is None
    session, user, key, expires, mac = value.split(".")
    for forged in (
        f"{session}.4.{key}.{expires}.{mac}",
        f"8.{user}.{key}.{expires}.{mac}",
        f"{session}.{user}.{key}.{int(expires) + 1}.{mac}",
        f"{session}.{user}.{key}.{expires}",
        "",
        "....",
    ):
        assert NotebookPass.read(forged, "secret", key=KEY) is None, forged
    expired = NotebookPass(7, 3, KEY, int(time.time()) - 1).sign("secret")
    assert NotebookPass.read(expired, "secret", key=KEY) is None
