"""The quick-add syntax: one line becomes a todo. The only parser of it: the dashboard and the
`workspace` command both send the line to `POST /api/todos/quick-add`.

"Buy milk #home !high due:tomorrow" → title "Buy milk", tag `home`, priority high, due the
next day. A word that is not valid syntax (`#`, `!urgent`, `due:someday`) stays in the title.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import ValidationError

from app.core.errors import Invalid
from app.models.todo import Priority, TodoCreate

PRIORITY_WORDS = {
    "!high": Priority.high,
    "!h": Priority.high,
    "!medium": Priority.medium,
    "!med": Priority.medium,
    "!m": Priority.medium,
    "!low": Priority.low,
    "!l": Priority.low,
}


def _due_word(word: str, today: date) -> date | None:
    value = word.lower()
    if value == "today":
        return today
    if value == "tomorrow":
        return today + timedelta(days=1)
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def parse(text: str, today: date) -> dict[str, object]:
    """The fields the line sets: `title`, and `tags`, `priority`, `due` when present."""
    title: list[str] = []
    tags: list[str] = []
    priority: Priority | None = None
    due: date | None = None
    for word in text.split():
        lower = word.lower()
        if len(word) > 1 and word.startswith("#") and "," not in word:
            if word[1:] not in tags:
                tags.append(word[1:])
        elif lower in PRIORITY_WORDS:
            priority = PRIORITY_WORDS[lower]
        elif lower.startswith("due:") and (day := _due_word(word[4:], today)) is not None:
            due = day
        else:
            title.append(word)
    fields: dict[str, object] = {"title": " ".join(title)}
    if tags:
        fields["tags"] = tags
    if priority is not None:
        fields["priority"] = priority
    if due is not None:
        fields["due"] = due
    return fields


def to_create(text: str, today: date, list_id: int | None) -> TodoCreate:
    """The todo the line describes; a 422 on `text` when it does not make a valid one."""
    fields = parse(text, today)
    if not fields["title"]:
        raise Invalid("give a title besides #tags, !priority and due:", field="text")
    try:
        return TodoCreate.model_validate({**fields, "list_id": list_id})
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise Invalid(f"{where}: {error['msg']}", field="text") from None
