"""Imports every table module, so SQLModel.metadata knows them all (Alembic, tests)."""

from app.models import audit, notebook, site_setting, tag, todo, todo_list, user

__all__ = ["audit", "notebook", "site_setting", "tag", "todo", "todo_list", "user"]
