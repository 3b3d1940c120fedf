"""Imports every table module, so SQLModel.metadata knows them all (Alembic, tests)."""

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
