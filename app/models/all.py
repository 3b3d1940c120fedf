"""Imports every table module, so SQLModel.metadata knows them all (Alembic, tests)."""

from app.models import notebook, post, post_parts, tag, todo, todo_list, user

__all__ = ["notebook", "post", "post_parts", "tag", "todo", "todo_list", "user"]
