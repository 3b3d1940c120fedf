"""Cutting container output into bounded log lines (pure logic)."""

from __future__ import annotations

from app.services.notebooks.logs import TRUNCATED, LineSplitter


def test_lines_are_split_across_chunks_and_carriage_returns_dropped() -> None:
    splitter = LineSplitter(limit=100)
    assert splitter.feed("one\r\ntw") == ["one"]
    assert splitter.feed("o\nthree\n") == ["two", "three"]
    assert splitter.flush() is None


def test_a_line_without_end_is_kept_to_the_limit_and_marked() -> None:
    splitter = LineSplitter(limit=10)
    for _ in range(1000):
        assert splitter.feed("x" * 1000) == []
    assert splitter.feed("tail\nnext") == ["x" * 10 + TRUNCATED]
    assert splitter.flush() == "next"
