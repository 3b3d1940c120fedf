"""blog: posts, tags, old slugs, revisions, images, notebook snapshots

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:39:37.376683
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.types

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('post_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('post_images', schema=None) as batch_op:
        batch_op.create_index('ix_post_images_owner_id_sha256', ['owner_id', 'sha256'], unique=False)

    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=True),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('word_count', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('publish_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cover_image_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cover_image_id'], ['post_images.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_author_id_updated_at', ['author_id', 'updated_at'], unique=False)
        batch_op.create_index('ix_posts_status_publish_at', ['status', 'publish_at'], unique=False)
        batch_op.create_index('ix_posts_status_published_at', ['status', 'published_at'], unique=False)

    op.create_table('post_notebooks',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('notebook_id', sa.Integer(), nullable=True),
    sa.Column('path', sqlmodel.sql.sqltypes.AutoString(length=1024), nullable=False),
    sa.Column('show_input', sa.Boolean(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('cells', sa.JSON(), nullable=False),
    sa.Column('imported_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['notebook_id'], ['notebooks.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id')
    )
    op.create_table('post_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('post_id', 'version', name='uq_post_revisions_post_id_version'),
    sqlite_autoincrement=True
    )
    op.create_table('post_slugs',
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slug')
    )
    with op.batch_alter_table('post_slugs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_slugs_post_id'), ['post_id'], unique=False)

    op.create_table('post_tags',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'slug')
    )
    with op.batch_alter_table('post_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_tags_slug'), ['slug'], unique=False)

    # Full-text search (app/services/blog/search.py), outside the models: a GIN index on
    # PostgreSQL, an FTS5 table kept in step by triggers on SQLite (alembic/env.py skips them).
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_posts_search ON posts USING gin (("
            "setweight(to_tsvector('english', title), 'A') || "
            "setweight(to_tsvector('english', body), 'B')))"
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE posts_fts USING fts5(title, body, content='posts', "
            "content_rowid='id', tokenize='porter unicode61')"
        )
        op.execute(
            "CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN "
            "INSERT INTO posts_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END"
        )
        op.execute(
            "CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN "
            "INSERT INTO posts_fts(posts_fts, rowid, title, body) "
            "VALUES ('delete', old.id, old.title, old.body); END"
        )
        op.execute(
            "CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, body ON posts BEGIN "
            "INSERT INTO posts_fts(posts_fts, rowid, title, body) "
            "VALUES ('delete', old.id, old.title, old.body); "
            "INSERT INTO posts_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END"
        )



def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_posts_search")
    else:
        for trigger in ("posts_fts_insert", "posts_fts_delete", "posts_fts_update"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE posts_fts")
    with op.batch_alter_table('post_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_tags_slug'))

    op.drop_table('post_tags')
    with op.batch_alter_table('post_slugs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_slugs_post_id'))

    op.drop_table('post_slugs')
    op.drop_table('post_revisions')
    op.drop_table('post_notebooks')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_status_published_at')
        batch_op.drop_index('ix_posts_status_publish_at')
        batch_op.drop_index('ix_posts_author_id_updated_at')

    op.drop_table('posts')
    with op.batch_alter_table('post_images', schema=None) as batch_op:
        batch_op.drop_index('ix_post_images_owner_id_sha256')

    op.drop_table('post_images')
