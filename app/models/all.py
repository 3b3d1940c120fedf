"""Imports every table module, so SQLModel.metadata knows them all (Alembic, tests)."""

from app.models import user

__all__ = ["user"]
