"""Imports every table module, so SQLModel.metadata knows them all (Alembic, tests).

It also holds the one rule every table follows on SQLite: ids are never reused. SQLite
hands out the highest id again once that row is deleted, unless the table is declared
AUTOINCREMENT; an id that comes back is another user's object under an old name (a kept
volume, a cached link, a queued job). PostgreSQL's sequences never go back by themselves.
"""

from sqlalchemy import Integer, Table
from sqlmodel import SQLModel

from app.models import audit, notebook, post, post_parts, site_setting, tag, todo, todo_list, user

__all__ = [
    "audit",
    "notebook",
    "post",
    "post_parts",
    "site_setting",
    "tag",
    "todo",
    "todo_list",
    "user",
]


def _has_integer_id(table: Table) -> bool:
    """Its key is an integer the database hands out (not one copied from another table)."""
    columns = list(table.primary_key.columns)
    return (
        len(columns) == 1 and isinstance(columns[0].type, Integer) and not columns[0].foreign_keys
    )


for _table in SQLModel.metadata.tables.values():
    if _has_integer_id(_table):
        _table.dialect_kwargs["sqlite_autoincrement"] = True
