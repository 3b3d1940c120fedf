"""credentials: token scope and expiry; what a session list shows

Revision ID: 0005_credentials
Revises: 0004_admin
Create Date: 2026-12-01 10:35:38.956126
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.types

revision: str = '0005_credentials'
down_revision: str | None = '0004_admin'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        # Tokens made before scopes could do everything: they keep that.
        batch_op.add_column(sa.Column('scope', sa.Enum('read', 'write', 'full', name='tokenscope', native_enum=False, length=16), nullable=False, server_default='full'))
        batch_op.add_column(sa.Column('expires_at', app.models.types.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('scope', server_default=None)
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('user_agent', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('address')
        batch_op.drop_column('user_agent')
        batch_op.drop_column('last_seen_at')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scope')
