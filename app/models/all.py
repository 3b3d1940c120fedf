"""Imports every table module, so SQLModel.metadata knows them all (Alembic, tests)."""

from app.models import tag, todo, todo_list, user

__all__ = ["tag", "todo", "todo_list", "user"]
