"""The proxy's pure rules: headers, cookies, redirects, token scrubbing, XSRF and Origin checks."""

from __future__ import annotations

import binascii
import os

import pytest

from app.core.credentials import is_own_origin
from app.proxy.csrf import decode_xsrf
from app.proxy.rewrite import (
    Scrubber,
    downstream_headers,
    rewrite_location,
    rewrite_set_cookie,
    strip_token_param,
    upstream_cookie,
    upstream_request_headers,
)
from app.proxy.ws import sendable_code

PREFIX = "/notebooks/7/"
TOKEN = "ab" * 32


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        (
            "_xsrf=2|a|b|1; expires=x; Path=/notebooks/7/",
            "_xsrf=2|a|b|1; expires=x; Path=/notebooks/7/",
        ),
        ("_xsrf=v; Path=/", "_xsrf=v; Path=/notebooks/7/"),
        ("_xsrf=v; Path=/notebooks/8/", "_xsrf=v; Path=/notebooks/7/"),
        ("a=b; HttpOnly", "a=b; HttpOnly; Path=/notebooks/7/"),
        ("a=b; Domain=example.com; path=/notebooks/7/lab", "a=b; Path=/notebooks/7/lab"),
        ('username-127-0-0-1-8000="2|1:0|..."; HttpOnly; Path=/notebooks/7/', None),
        ("workspace_session=forged; Path=/notebooks/7/", None),
    ],
)
def test_cookies_stay_under_the_notebook_prefix(cookie: str, expected: str | None) -> None:
    assert rewrite_set_cookie(cookie, prefix=PREFIX) == expected


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("/notebooks/7/lab?", "/notebooks/7/lab?"),
        ("http://127.0.0.1:49153/notebooks/7/lab", "/notebooks/7/lab"),
        ("http://ws.example:8000/notebooks/7/tree", "/notebooks/7/tree"),
        ("https://elsewhere.example/x", "https://elsewhere.example/x"),
        ("lab/tree", "lab/tree"),
        ("/notebooks/7/lab?token=abc&reset=1", "/notebooks/7/lab?reset=1"),
    ],
)
def test_redirects_stay_on_our_origin(location: str, expected: str) -> None:
    got = rewrite_location(location, upstream_netloc="127.0.0.1:49153", host="ws.example:8000")
    assert got == expected


def test_token_parameters_are_removed_and_the_rest_kept() -> None:
    assert strip_token_param("a=1&token=x&b=%2F") == "a=1&b=%2F"
    assert strip_token_param("a=1&b=2") == "a=1&b=2"
    assert strip_token_param("") == ""


def test_jupyter_never_sees_our_cookies() -> None:
    header = "workspace_session=s; _xsrf=2|x|y|1; workspace_csrf=c; theme=dark"
    assert upstream_cookie(header) == "_xsrf=2|x|y|1; theme=dark"
    assert upstream_cookie("workspace_session=s") == ""


def test_request_headers_get_our_credentials_and_forwarding_headers() -> None:
    raw = [
        (b"host", b"ws.example:8000"),
        (b"authorization", b"Bearer wst_secret"),
        (b"connection", b"keep-alive, X-Custom"),
        (b"x-custom", b"dropped"),
        (b"keep-alive", b"timeout=5"),
        (b"x-forwarded-for", b"10.0.0.1"),
        (b"x-real-ip", b"6.6.6.6"),
        (b"cookie", b"workspace_session=s; _xsrf=x"),
        (b"accept-encoding", b"gzip"),
        (b"x-xsrftoken", b"x"),
    ]
    headers = upstream_request_headers(
        raw, host="ws.example:8000", client_ip="192.0.2.9", scheme="https", jupyter_token=TOKEN
    )
    as_dict = dict(headers)
    assert len(as_dict) == len(headers), "no header twice"
    assert as_dict["authorization"] == f"token {TOKEN}"
    assert as_dict["host"] == as_dict["x-forwarded-host"] == "ws.example:8000"
    assert as_dict["x-forwarded-for"] == "10.0.0.1, 192.0.2.9"
    assert as_dict["x-real-ip"] == "192.0.2.9"
    assert as_dict["x-forwarded-proto"] == "https"
    assert as_dict["cookie"] == "_xsrf=x"
    assert as_dict["x-xsrftoken"] == "x"
    for gone in ("connection", "keep-alive", "x-custom", "accept-encoding"):
        assert gone not in as_dict


def test_response_headers_lose_hop_by_hop_headers_and_the_token() -> None:
    raw = [
        (b"Content-Type", b"text/html"),
        (b"Transfer-Encoding", b"chunked"),
        (b"Connection", b"close"),
        (b"Date", b"x"),
        (b"Server", b"TornadoServer"),
        (b"Location", f"http://127.0.0.1:49153/notebooks/7/lab?token={TOKEN}".encode()),
        (b"X-Echo", f"Bearer {TOKEN}".encode()),
        (b"Content-Length", b"10"),
    ]
    kept = downstream_headers(
        raw,
        prefix=PREFIX,
        upstream_netloc="127.0.0.1:49153",
        host="ws.example",
        jupyter_token=TOKEN,
        drop_length=True,
    )
    assert kept == [
        (b"content-type", b"text/html"),
        (b"location", b"/notebooks/7/lab"),
        (b"x-echo", b"Bearer "),
    ]


@pytest.mark.parametrize("same_length", [True, False])
def test_the_scrubber_finds_the_token_across_chunk_boundaries(same_length: bool) -> None:
    body = b"head " + TOKEN.encode() + b" middle " + TOKEN.encode() + b" tail"
    for split in range(len(body)):
        scrubber = Scrubber(TOKEN, same_length=same_length)
        out = scrubber.feed(body[:split]) + scrubber.feed(body[split:]) + scrubber.flush()
        assert TOKEN.encode() not in out
        if same_length:
            assert len(out) == len(body)
        else:
            assert out == b"head  middle  tail"


def test_xsrf_tokens_compare_as_tornado_does() -> None:
    raw = os.urandom(16)
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(raw))
    v2 = f"2|{binascii.hexlify(mask).decode()}|{binascii.hexlify(masked).decode()}|1700000000"
    assert decode_xsrf(v2) == raw
    assert decode_xsrf(binascii.hexlify(raw).decode()) == raw  # version 1
    assert decode_xsrf("2|zz|zz|1") is None
    assert decode_xsrf("3|whatever") is None


def test_own_origin() -> None:
    public = "https://ws.example"
    assert is_own_origin("http://127.0.0.1:8000", "127.0.0.1:8000", public)
    assert is_own_origin("https://ws.example", "internal:8000", public)
    assert not is_own_origin("http://127.0.0.1:8001", "127.0.0.1:8000", public)
    assert not is_own_origin("https://evil.example", "127.0.0.1:8000", public)
    assert not is_own_origin("null", "127.0.0.1:8000", public)


def test_close_codes_a_proxy_may_pass_on() -> None:
    assert sendable_code(1000, default=1011) == 1000
    assert sendable_code(4001, default=1011) == 4001
    assert sendable_code(1005, default=1000) == 1000  # "no code" cannot be sent
    assert sendable_code(1006, default=1011) == 1011  # nor "abnormal closure"
    assert sendable_code(None, default=1000) == 1000
