"""Publication rules: what `status` and `publish_at` may be together, and the dates they set.

- `draft`: nobody but the author sees it.
- `scheduled`: needs a `publish_at` in the future; the worker publishes it then.
- `published` / `unlisted`: `published_at` is `publish_at` when given (not in the future),
  else the first time it went out, else now. It is kept through unpublishing, so a post
  published again keeps its date and its place in feeds.
"""

from __future__ import annotations

from datetime import datetime

from app.core.errors import Invalid
from app.models.post import VISIBLE, Post, PostStatus


def apply(post: Post, status: PostStatus, publish_at: datetime | None, *, now: datetime) -> None:
    """Set the post's status and dates; 422 on a combination that makes no sense."""
    if status == PostStatus.scheduled:
        if publish_at is None:
            raise Invalid("a scheduled post needs publish_at", field="publish_at")
        if publish_at <= now:
            raise Invalid(
                "publish_at of a scheduled post must be in the future", field="publish_at"
            )
        post.publish_at = publish_at
    elif status in VISIBLE:
        if publish_at is not None and publish_at > now:
            raise Invalid("publish_at is in the future: use status 'scheduled'", field="publish_at")
        post.published_at = publish_at or post.published_at or now
        post.publish_at = None
    else:
        post.publish_at = publish_at
    post.status = status.value


def is_public(status: str) -> bool:
    """Reachable by anyone with the link (listed or not)."""
    return status in VISIBLE
