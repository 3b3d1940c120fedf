"""Field types shared by the todo family (lists, tags, todos): ids, colors, names, due dates.

Input fields are strict about JSON types (`"5"` is not an id, `"yes"` is not a boolean) and
trim text before checking its length, so `"   "` is an empty title.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)

from app.models.types import MAX_ID

# Primary keys are PostgreSQL INTEGERs (MAX_ID): anything larger is refused as input.
DbId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Position = Annotated[StrictInt, Field(ge=0, le=MAX_ID, description="0-based index in a list")]

DEFAULT_LIST_COLOR = "#6366f1"
DEFAULT_TAG_COLOR = "#64748b"
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def _check_color(value: str) -> str:
    if not _COLOR.fullmatch(value):
        raise ValueError("a color is '#rrggbb', e.g. '#3b82f6'")
    return value.lower()


Color = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_check_color),
    WithJsonSchema({"type": "string", "pattern": "^#[0-9a-fA-F]{6}$", "examples": ["#3b82f6"]}),
]

ListName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]

TAG_NAME_MAX = 40


def _check_tag_name(value: str) -> str:
    if "," in value:
        raise ValueError("a tag name may not contain commas")
    return value


TagName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=TAG_NAME_MAX),
    AfterValidator(_check_tag_name),
]


def tag_key(name: str) -> str:
    """What makes two tag names the same: case-insensitive (Unicode case folding)."""
    return name.casefold()


def reject_null(value: Any) -> Any:
    """For PATCH schemas: a field that may be omitted but not set to null."""
    if value is None:
        raise ValueError("may not be null")
    return value


# ---------------------------------------------------------------- due: a day or an instant

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DUE_HELP = (
    "a date (YYYY-MM-DD) or a datetime with a timezone (e.g. 2026-12-01T09:00:00Z or "
    "2026-12-01T09:00:00+02:00)"
)


def parse_due(value: object) -> date | datetime:
    """A date means "some time that day"; a datetime must carry its timezone."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        text = value.strip()
        try:
            if _DATE.fullmatch(text):
                return date.fromisoformat(text)
            if "T" not in text.upper() and " " not in text:
                raise ValueError
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expected {_DUE_HELP}") from None
    else:
        raise ValueError(f"expected {_DUE_HELP}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("include a timezone, e.g. 2026-12-01T09:00:00Z or +02:00")
    return moment


def format_due(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


_DUE_SCHEMA: dict[str, Any] = {
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
    "description": "A day (`YYYY-MM-DD`) or a timezone-aware datetime (answered in UTC).",
}

Due = Annotated[
    date | datetime,
    PlainValidator(parse_due),
    PlainSerializer(format_due, return_type=str),
    WithJsonSchema(_DUE_SCHEMA),
]

# ---------------------------------------------------------------- list filter: an id or the Inbox


def parse_list_ref(value: object) -> int | Literal["inbox"]:
    if value == "inbox":
        return "inbox"
    text = str(value).strip() if isinstance(value, str | int) else ""
    if text.isdigit() and 1 <= int(text) <= MAX_ID:
        return int(text)
    raise ValueError("a list id (a positive integer) or 'inbox' for todos without a list")


ListRef = Annotated[
    int | Literal["inbox"],
    PlainValidator(parse_list_ref),
    WithJsonSchema(
        {
            "anyOf": [{"type": "integer", "minimum": 1}, {"const": "inbox"}],
            "description": "A list id, or `inbox` for todos without a list.",
        }
    ),
]
