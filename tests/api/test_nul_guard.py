"""The NUL scan over JSON bodies: paths found at any depth, without recursion."""

from __future__ import annotations

import json

from app.api.nul_guard import MAX_DEPTH, scan


def test_paths_of_values_and_keys_holding_nul() -> None:
    body = json.dumps({"a": ["x", "y\x00"], "b\x00": 1, "c": {"d": "\x00"}}).encode()
    paths, too_deep = scan(body)
    assert paths == [("a", 1), ("b\x00",), ("c", "d")] and not too_deep


def test_an_escaped_backslash_before_u0000_is_no_nul() -> None:
    assert scan(b'{"a": "\\\\u0000"}') == ([], False)


def test_nesting_past_the_limit_is_reported_however_deep() -> None:
    deep = b'{"a": ' + b"[" * 100_000 + b'"\\u0000"' + b"]" * 100_000 + b"}"
    assert scan(deep) == ([], True)
    at_limit = b"[" * MAX_DEPTH + b'"\\u0000"' + b"]" * MAX_DEPTH
    paths, too_deep = scan(at_limit)
    assert paths == [(0,) * MAX_DEPTH] and not too_deep
