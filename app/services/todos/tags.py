"""Tags: CRUD, names to rows (created on the fly), and the tags of many todos at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from redis.asyncio import Redis
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import Conflict, NotFound
from app.core.time import utcnow
from app.live.events import Event, event, publish
from app.models.tag import Tag, TagCreate, TagPublic, TagsPublic, TagUpdate, TodoTag
from app.models.todo import Todo
from app.models.todo_fields import DEFAULT_TAG_COLOR, tag_key
from app.models.user import User
from app.services.todos.events import partial
from app.services.todos.order import lock_todo_order


def sort_names(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda name: (tag_key(name), name))


async def names_by_todo(db: AsyncSession, todo_ids: Sequence[int]) -> dict[int, list[str]]:
    """The sorted tag names of each todo, in one query."""
    if not todo_ids:
        return {}
    rows = await db.exec(
        select(TodoTag.todo_id, Tag.name)
        .join(Tag, col(Tag.id) == col(TodoTag.tag_id))
        .where(col(TodoTag.todo_id).in_(todo_ids))
    )
    found: dict[int, list[str]] = defaultdict(list)
    for todo_id, name in rows:
        found[todo_id].append(name)
    return {todo_id: sort_names(names) for todo_id, names in found.items()}


async def resolve(
    db: AsyncSession, user_id: int, names: Sequence[str]
) -> tuple[list[Tag], set[int]]:
    """The user's tags with these names (ignoring case), creating the missing ones;
    with the ids of those created."""
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(tag_key(name), name)
    if not wanted:
        return [], set()
    now = utcnow()
    rows = [
        {
            "user_id": user_id,
            "name": name,
            "name_key": key,
            "color": DEFAULT_TAG_COLOR,
            "created_at": now,
            "updated_at": now,
        }
        for key, name in wanted.items()
    ]
    # Race-free on both databases: a tag made meanwhile by another request is kept.
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    inserted = await db.exec(
        insert(Tag)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["user_id", "name_key"])
        .returning(col(Tag.id))
    )
    created = {row[0] for row in inserted.all()}
    found = await db.exec(
        select(Tag).where(col(Tag.user_id) == user_id, col(Tag.name_key).in_(list(wanted)))
    )
    return list(found.all()), created


def created_events(user_id: int, tags: Sequence[Tag], created: set[int]) -> list[Event]:
    """`tag created` for the tags a todo brought into being (carried by that todo only)."""
    return [
        event(
            user_id,
            "tag",
            "created",
            tag.id,
            data=TagPublic(id=tag.id, name=tag.name, color=tag.color, todo_count=1).model_dump(),
        )
        for tag in tags
        if tag.id is not None and tag.id in created
    ]


async def set_todo_tags(
    db: AsyncSession, todo_id: int, tags: Sequence[Tag], *, new: bool = False
) -> None:
    """Give a todo exactly these tags (`new`: it has none yet, no need to look)."""
    wanted = {tag.id for tag in tags if tag.id is not None}
    current: set[int] = set()
    if not new:
        query = select(TodoTag.tag_id).where(col(TodoTag.todo_id) == todo_id)
        current = set((await db.exec(query)).all())
    if current - wanted:
        await db.exec(
            delete(TodoTag).where(
                col(TodoTag.todo_id) == todo_id, col(TodoTag.tag_id).in_(current - wanted)
            )
        )
    for tag_id in sorted(wanted - current):
        db.add(TodoTag(todo_id=todo_id, tag_id=tag_id))


async def _owned(db: AsyncSession, user: User, tag_id: int) -> Tag:
    tag = await db.get(Tag, tag_id)
    if tag is None or tag.user_id != user.id:
        raise NotFound("tag not found")
    return tag


async def _public(db: AsyncSession, tag: Tag) -> TagPublic:
    assert tag.id is not None
    query = select(func.count()).where(col(TodoTag.tag_id) == tag.id)
    count = int((await db.exec(query)).one())
    return TagPublic(id=tag.id, name=tag.name, color=tag.color, todo_count=count)


async def list_tags(db: AsyncSession, user: User) -> TagsPublic:
    counts = (
        select(TodoTag.tag_id, func.count().label("n")).group_by(col(TodoTag.tag_id)).subquery()
    )
    rows = await db.exec(
        select(Tag.id, Tag.name, Tag.color, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.tag_id == col(Tag.id))
        .where(col(Tag.user_id) == user.id)
        .order_by(col(Tag.name_key), col(Tag.id))
    )
    data = [TagPublic(id=i, name=n, color=c, todo_count=k) for i, n, c, k in rows if i]
    return TagsPublic(data=data, count=len(data))


async def get_tag(db: AsyncSession, user: User, tag_id: int) -> TagPublic:
    return await _public(db, await _owned(db, user, tag_id))


async def _save_name(db: AsyncSession, name: str) -> None:
    """Flush the tag now: a name taken (ignoring case) is a 409, not an error at commit."""
    try:
        await db.flush()
    except IntegrityError:
        await db.rollback()
        raise Conflict(
            f"a tag named {name!r} exists already (tag names ignore case)", field="name"
        ) from None


async def create_tag(db: AsyncSession, redis: Redis, user: User, body: TagCreate) -> TagPublic:
    assert user.id is not None
    tag = Tag(user_id=user.id, name=body.name, name_key=tag_key(body.name), color=body.color)
    db.add(tag)
    await _save_name(db, body.name)
    await db.commit()
    public = await _public(db, tag)
    await publish(redis, event(user.id, "tag", "created", public.id, data=_json(public)))
    return public


async def update_tag(
    db: AsyncSession, redis: Redis, user: User, tag_id: int, body: TagUpdate
) -> TagPublic:
    assert user.id is not None
    await lock_todo_order(db, user.id)  # its todos change: not while a todo request runs
    tag = await _owned(db, user, tag_id)
    renamed = body.name is not None and body.name != tag.name
    if body.name is not None:
        tag.name, tag.name_key = body.name, tag_key(body.name)
    if body.color is not None:
        tag.color = body.color
    tag.updated_at = utcnow()
    db.add(tag)
    await _save_name(db, tag.name)
    touched = await _touch_todos_of(db, tag_id) if renamed else []
    await db.commit()
    public = await _public(db, tag)
    events = [event(user.id, "tag", "updated", tag_id, data=_json(public))]
    events += await _tag_events(db, user.id, touched)
    await publish(redis, *events)
    return public


async def delete_tag(db: AsyncSession, redis: Redis, user: User, tag_id: int) -> None:
    assert user.id is not None
    await lock_todo_order(db, user.id)  # not between a todo's tag lookup and its links
    tag = await _owned(db, user, tag_id)
    touched = await _touch_todos_of(db, tag_id)
    await db.exec(delete(TodoTag).where(col(TodoTag.tag_id) == tag_id))
    await db.delete(tag)
    await db.commit()
    events = [event(user.id, "tag", "deleted", tag_id)]
    events += await _tag_events(db, user.id, touched)
    await publish(redis, *events)


async def _touch_todos_of(db: AsyncSession, tag_id: int) -> list[tuple[int, int]]:
    """Bump the version of the todos carrying this tag; their (id, new version)."""
    tagged = select(TodoTag.todo_id).where(col(TodoTag.tag_id) == tag_id)
    result = await db.exec(
        update(Todo)
        .where(col(Todo.id).in_(tagged))
        .values(version=col(Todo.version) + 1)
        .returning(col(Todo.id), col(Todo.version))
        .execution_options(synchronize_session=False)
    )
    return [(row[0], row[1]) for row in result.all()]


async def _tag_events(
    db: AsyncSession, user_id: int, touched: list[tuple[int, int]]
) -> list[Event]:
    names = await names_by_todo(db, [todo_id for todo_id, _ in touched])
    return [
        partial(user_id, todo_id, version, tags=names.get(todo_id, []))
        for todo_id, version in touched
    ]


def _json(public: TagPublic) -> dict[str, object]:
    return public.model_dump(mode="json")
