"""The api's request and response shapes, generated from its OpenAPI schema by
scripts/gen_models.py (scripts/gen-client.sh): do not edit by hand."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class DesiredState(StrEnum):
    running = "running"
    stopped = "stopped"
    deleted = "deleted"


class Status(StrEnum):
    pending = "pending"
    creating = "creating"
    starting = "starting"
    healthy = "healthy"
    unhealthy = "unhealthy"
    stopping = "stopping"
    stopped = "stopped"
    removed = "removed"
    error = "error"


class AdminNotebook(BaseModel):
    id: int
    key: str
    name: str
    image: str
    cpus: float
    memory_mb: int
    env: dict[str, str]
    keep_volume: bool
    idle_timeout_minutes: float
    desired_state: DesiredState
    status: Status
    status_reason: str | None
    health: str | None
    version: int
    url: str
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    last_activity_at: datetime | None
    owner_id: int
    owner: str


class AdminNotebookList(BaseModel):
    data: list[AdminNotebook]
    count: int


class AdminUserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str
    password: str | None = None
    """Omitted: a random one is made and shown once in the answer."""
    is_admin: bool = False


class AdminUserCreated(BaseModel):
    """The answer to a create or a password reset: the generated password, shown this once."""

    id: int
    username: str
    is_admin: bool
    disabled: bool
    created_at: datetime
    notebook_count: int = 0
    initial_password: str | None = None


class AdminUserDeleted(BaseModel):
    id: int
    username: str
    notebooks_removed: int
    volumes_kept: list[str]
    posts: Literal["keep", "remove"]


class AdminUserPublic(BaseModel):
    id: int
    username: str
    is_admin: bool
    disabled: bool
    created_at: datetime
    notebook_count: int = 0


class AdminUserList(BaseModel):
    data: list[AdminUserPublic]
    count: int


class AdminUserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disabled: bool | None = None
    is_admin: bool | None = None


class TokenScope(StrEnum):
    read = "read"
    write = "write"
    full = "full"


class ApiTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    scope: TokenScope = TokenScope.write
    """`read`, `write` (the default) or `full`; at most the creator's own."""
    expires_in_days: int | None = None
    """Days until the token stops working; never when null."""


class ApiTokenCreated(BaseModel):
    """Returned once, at creation: the only time the secret is shown."""

    id: int
    name: str
    prefix: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    token: str


class ApiTokenPublic(BaseModel):
    id: int
    name: str
    prefix: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class AuditEntryPublic(BaseModel):
    id: int
    created_at: datetime
    actor_id: int | None
    actor: str
    action: str
    target: str
    details: Any


class AuditPage(BaseModel):
    data: list[AuditEntryPublic]
    count: int


class Body_upload_image(BaseModel):
    file: str
    """A PNG, JPEG, GIF or WebP image."""


class Body_upload_notebook(BaseModel):
    file: str
    """An .ipynb file."""
    show_input: bool = True
    title: str | None = None


class ImageBuild(BaseModel):
    """Progress of an image build by scripts/build-images.sh, as the worker last read it."""

    image: str
    state: Literal["preparing", "building", "done", "failed"]
    step: int | None = None
    total: int | None = None
    detail: str | None = None
    updated_at: datetime | None = None


class ImageChoice(BaseModel):
    """One image of the allow-list, with what a new notebook of it starts with."""

    model_config = ConfigDict(extra="forbid")
    image: str
    description: str = ""
    default_cpus: float | None = None
    default_memory_mb: int | None = None


class ImageStatus(BaseModel):
    model_config = ConfigDict(extra="forbid")
    image: str
    description: str = ""
    default_cpus: float | None = None
    default_memory_mb: int | None = None
    present: bool | None
    """On the Docker engine; null: no worker reports."""
    build: ImageBuild | None = None


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str
    password: str


class NotebookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    image: str | None = None
    cpus: float | None = None
    memory_mb: int | None = None
    env: dict[str, str] | None = None
    idle_timeout_minutes: float | None = None
    name: str
    keep_volume: bool = True


class NotebookFile(BaseModel):
    name: str
    path: str
    type: str
    """`directory` or `notebook`."""
    last_modified: datetime | None


class NotebookFiles(BaseModel):
    path: str
    data: list[NotebookFile]


class NotebookImport(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notebook_id: int
    """One of your notebook servers."""
    path: str
    """The .ipynb, relative to Jupyter's root."""
    show_input: bool = True
    """Show code cells' source."""
    title: str | None = None


class NotebookPublic(BaseModel):
    id: int
    key: str
    name: str
    image: str
    cpus: float
    memory_mb: int
    env: dict[str, str]
    keep_volume: bool
    idle_timeout_minutes: float
    desired_state: DesiredState
    status: Status
    status_reason: str | None
    health: str | None
    version: int
    url: str
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    last_activity_at: datetime | None


class NotebookList(BaseModel):
    data: list[NotebookPublic]
    count: int


class NotebookOptions(BaseModel):
    notebook_url_template: str
    images: list[str]
    default_image: str
    max_cpus: float
    max_memory_mb: int
    default_cpus: float
    default_memory_mb: int
    default_idle_timeout_minutes: float
    docker_available: bool
    docker_error: str | None
    image_choices: list[ImageStatus] | None = None
    image_build: ImageBuild | None = None
    quota_notebooks: int = 0
    quota_running_cpus: float = 0
    quota_running_memory_mb: int = 0


class NotebookRefresh(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    """The post version this is based on."""
    show_input: bool | None = None


class NotebookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    image: str | None = None
    cpus: float | None = None
    memory_mb: int | None = None
    env: dict[str, str] | None = None
    idle_timeout_minutes: float | None = None
    name: str | None = None
    keep_volume: bool | None = None


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: str
    new_password: str


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str | None = None
    """Omitted: a random one."""


class PostAuthor(BaseModel):
    id: int
    username: str


class PostStatus(StrEnum):
    draft = "draft"
    scheduled = "scheduled"
    published = "published"
    unlisted = "unlisted"


class PostCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    body: str = ""
    """Markdown (CommonMark and a few extensions)."""
    slug: str | None = None
    """Default: made from the title."""
    tags: list[str] | None = None
    """Public tags, in this order."""
    status: PostStatus = PostStatus.draft
    publish_at: datetime | None = None
    """`scheduled`: when it goes live (in the future). `published`: the date shown (default: now).
    """
    excerpt: str | None = None
    """Default: the text above `<!--more-->`, or the first paragraph."""
    cover_image_id: int | None = None
    """One of your post images."""


class PostHtml(BaseModel):
    html: str
    """Sanitized HTML, exactly as the public page shows it."""


class PostImagePublic(BaseModel):
    id: int
    url: str
    """Public URL; use it in Markdown as `![alt](url)`."""
    content_type: str
    size: int
    width: int
    height: int
    created_at: datetime


class PostImagesPublic(BaseModel):
    data: list[PostImagePublic]
    count: int


class PostNotebookInfo(BaseModel):
    """Where a notebook post's snapshot came from."""

    notebook_id: int | None
    """null: uploaded, or the notebook is gone."""
    path: str
    show_input: bool
    cells: list[str]
    """Ids of the cells that have output (for embedding)."""
    imported_at: datetime


class PostPreview(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str
    post_id: int | None = None
    """A post of yours: the preview ends with its notebook snapshot, as its page does. Another's is
    a 404.
    """


class PostPublic(BaseModel):
    id: int
    author: PostAuthor
    title: str
    slug: str
    summary: str
    """The excerpt as plain text."""
    tags: list[str]
    status: PostStatus
    publish_at: datetime | None
    published_at: datetime | None
    cover_image_id: int | None
    cover_image_url: str | None
    reading_minutes: int
    version: int
    """+1 on every change; live events carry it too."""
    created_at: datetime
    updated_at: datetime
    url: str
    """This post in the API."""
    public_url: str
    """Its public page (404 to others unless published)."""
    notebook: PostNotebookInfo | None = None
    body: str
    excerpt: str | None
    """As written; null: derived from the body."""
    html: str


class PostSummary(BaseModel):
    """A post in a list: everything but its body and HTML."""

    id: int
    author: PostAuthor
    title: str
    slug: str
    summary: str
    """The excerpt as plain text."""
    tags: list[str]
    status: PostStatus
    publish_at: datetime | None
    published_at: datetime | None
    cover_image_id: int | None
    cover_image_url: str | None
    reading_minutes: int
    version: int
    """+1 on every change; live events carry it too."""
    created_at: datetime
    updated_at: datetime
    url: str
    """This post in the API."""
    public_url: str
    """Its public page (404 to others unless published)."""
    notebook: PostNotebookInfo | None = None


class PostUpdate(BaseModel):
    """Partial: only the fields sent change; `version` is the version this edit is based on."""

    model_config = ConfigDict(extra="forbid")
    version: int
    """A stale version answers 409."""
    title: str | None = None
    body: str | None = None
    slug: str | None = None
    """The old slug then redirects here."""
    tags: list[str] | None = None
    status: PostStatus | None = None
    publish_at: datetime | None = None
    """null clears it."""
    excerpt: str | None = None
    """null: derived from the body."""
    cover_image_id: int | None = None
    """null removes the cover."""


class PostsPublic(BaseModel):
    data: list[PostSummary]
    count: int
    """All posts matching the filters, not only this page."""


class Priority(StrEnum):
    none = "none"
    low = "low"
    medium = "medium"
    high = "high"


class RevisionPublic(BaseModel):
    version: int
    title: str
    created_at: datetime
    size: int
    """Length of the body in characters."""
    body: str
    diff: str
    """Unified diff from this revision's body to the current one."""


class RevisionRestore(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    """The post version this restore replaces; stale: 409."""


class RevisionSummary(BaseModel):
    version: int
    title: str
    created_at: datetime
    size: int
    """Length of the body in characters."""


class RevisionsPublic(BaseModel):
    data: list[RevisionSummary]
    count: int


class SessionPublic(BaseModel):
    id: int
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime | None
    user_agent: str | None
    address: str | None
    current: bool = False


class SiteValues(BaseModel):
    """Every admin-editable setting with a value: what wins, or what the environment says."""

    notebook_images: list[ImageChoice]
    notebook_max_cpus: float
    notebook_max_memory_mb: int
    notebook_idle_timeout_minutes: float
    quota_notebooks: int
    """Notebooks per user; 0: no limit."""
    quota_running_cpus: float
    """CPUs of a user's running notebooks; 0: no limit."""
    quota_running_memory_mb: int
    """Memory of a user's running notebooks; 0: no limit."""


class SiteSettingsPublic(BaseModel):
    effective: SiteValues
    environment: SiteValues
    database: Any
    """The stored values (names absent: none)."""
    source: dict[str, Literal["database", "environment"]]
    """Per setting, which value wins."""
    images: list[ImageStatus]
    docker_available: bool
    docker_error: str | None


class SiteSettingsUpdate(BaseModel):
    """Partial: a field sent with a value is stored; sent as null, the stored value is dropped
    and the environment's wins again; a field left out is unchanged.
    """

    model_config = ConfigDict(extra="forbid")
    notebook_images: list[ImageChoice] | None = None
    notebook_max_cpus: float | None = None
    notebook_max_memory_mb: int | None = None
    notebook_idle_timeout_minutes: float | None = None
    quota_notebooks: int | None = None
    quota_running_cpus: float | None = None
    quota_running_memory_mb: int | None = None


class TagCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    """Trimmed, at most 40 characters, no commas."""
    color: str = "#64748b"


class TagPublic(BaseModel):
    id: int
    name: str
    color: str
    todo_count: int


class TagUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    color: str | None = None


class TagsPublic(BaseModel):
    data: list[TagPublic]
    count: int


class TodoCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    notes: str = ""
    """Markdown."""
    completed: bool = False
    due: date | datetime | None = None
    priority: Priority = Priority.none
    tags: list[str] | None = None
    """Tag names; unknown ones are created."""
    list_id: int | None = None
    """null: the Inbox."""
    order: int | None = None
    """Position in the list; default: at the end."""


class TodoListCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    """Unique among the user's lists (trimmed)."""
    color: str = "#6366f1"


class TodoListDeleted(BaseModel):
    id: int
    todos_moved: int
    """Todos moved to the Inbox (`todos=move`)."""
    todos_deleted: int
    """Todos deleted with the list (`todos=delete`)."""


class TodoListPublic(BaseModel):
    id: int
    name: str
    color: str
    created_at: datetime
    updated_at: datetime
    todo_count: int
    """All todos in the list."""
    open_count: int
    """Todos in the list not completed yet."""


class TodoListUpdate(BaseModel):
    """Partial: only the fields sent change."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    color: str | None = None


class TodoListsPublic(BaseModel):
    data: list[TodoListPublic]
    count: int


class TodoMove(BaseModel):
    model_config = ConfigDict(extra="forbid")
    position: int
    """0-based index in the target list; clamped."""
    list_id: int | None = None
    """Target list (null: the Inbox); omitted: the todo's own list."""


class TodoPublic(BaseModel):
    id: int
    list_id: int | None
    title: str
    notes: str
    completed: bool
    completed_at: datetime | None
    due: date | datetime | None
    priority: Priority
    tags: list[str]
    """Tag names, sorted."""
    order: int
    version: int
    """+1 on every change; live events carry it too."""
    created_at: datetime
    updated_at: datetime
    url: str
    """This todo in the API."""


class TodoQuickAdd(BaseModel):
    """One line in the quick-add syntax: `Buy milk #home !high due:tomorrow`."""

    model_config = ConfigDict(extra="forbid")
    text: str
    """Words; `#tag`, `!high`/`!medium`/`!low` (or `!h`, `!m`, `!l`) and `due:today`,
    `due:tomorrow` or `due:YYYY-MM-DD` set those fields, the rest is the title.
    """
    list_id: int | None = None
    """null: the Inbox."""
    today: date | None = None
    """The client's local date, which `today` and `tomorrow` count from (default: today in UTC)."""


class TodoUpdate(BaseModel):
    """Partial: only the fields sent change; `due` and `list_id` are cleared with null."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = None
    notes: str | None = None
    """null clears the notes."""
    completed: bool | None = None
    due: date | datetime | None = None
    priority: Priority | None = None
    tags: list[str] | None = None
    """Replaces the todo's tags."""
    list_id: int | None = None
    """Moves the todo (to its end)."""
    order: int | None = None
    """Moves the todo within its list."""


class TodosDeleted(BaseModel):
    deleted: int


class TodosPublic(BaseModel):
    data: list[TodoPublic]
    count: int
    """All todos matching the filters, not only this page."""


class UserPublic(BaseModel):
    id: int
    username: str
    is_admin: bool
    created_at: datetime


__all__ = [
    "AdminNotebook",
    "AdminNotebookList",
    "AdminUserCreate",
    "AdminUserCreated",
    "AdminUserDeleted",
    "AdminUserList",
    "AdminUserPublic",
    "AdminUserUpdate",
    "ApiTokenCreate",
    "ApiTokenCreated",
    "ApiTokenPublic",
    "AuditEntryPublic",
    "AuditPage",
    "Body_upload_image",
    "Body_upload_notebook",
    "DesiredState",
    "ImageBuild",
    "ImageChoice",
    "ImageStatus",
    "LoginRequest",
    "NotebookCreate",
    "NotebookFile",
    "NotebookFiles",
    "NotebookImport",
    "NotebookList",
    "NotebookOptions",
    "NotebookPublic",
    "NotebookRefresh",
    "NotebookUpdate",
    "PasswordChange",
    "PasswordReset",
    "PostAuthor",
    "PostCreate",
    "PostHtml",
    "PostImagePublic",
    "PostImagesPublic",
    "PostNotebookInfo",
    "PostPreview",
    "PostPublic",
    "PostStatus",
    "PostSummary",
    "PostUpdate",
    "PostsPublic",
    "Priority",
    "RevisionPublic",
    "RevisionRestore",
    "RevisionSummary",
    "RevisionsPublic",
    "SessionPublic",
    "SiteSettingsPublic",
    "SiteSettingsUpdate",
    "SiteValues",
    "Status",
    "TagCreate",
    "TagPublic",
    "TagUpdate",
    "TagsPublic",
    "TodoCreate",
    "TodoListCreate",
    "TodoListDeleted",
    "TodoListPublic",
    "TodoListUpdate",
    "TodoListsPublic",
    "TodoMove",
    "TodoPublic",
    "TodoQuickAdd",
    "TodoUpdate",
    "TodosDeleted",
    "TodosPublic",
    "TokenScope",
    "UserPublic",
]
