"""Blog posts: write, list, publish, delete; a notebook of a server of yours as a post."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from workspace.models import (
    NotebookImport,
    PostCreate,
    PostPublic,
    PostsPublic,
    PostStatus,
)

if TYPE_CHECKING:
    from workspace._async.client import AsyncClient


class AsyncPosts:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(
        self,
        *,
        status: PostStatus | str | None = None,
        q: str | None = None,
        tag: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> PostsPublic:
        """Your posts, most recently changed first; `count` is the total."""
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        for name, value in {"status": status, "q": q, "tag": tag}.items():
            if value is not None:
                params[name] = str(value)
        return await self._client.call(PostsPublic, "GET", "/api/posts", params=params)

    async def get(self, post: int | str) -> PostPublic:
        """By id, or by slug."""
        return await self._client.call(PostPublic, "GET", f"/api/posts/{await self._id(post)}")

    async def _id(self, post: int | str | PostPublic) -> int:
        if isinstance(post, PostPublic):
            return post.id
        if isinstance(post, int):
            return post
        from workspace.errors import NotFound, Problem

        offset = 0
        while True:
            page = await self.list(limit=200, offset=offset)
            for summary in page.data:
                if summary.slug == post:
                    return summary.id
            offset += len(page.data)
            if not page.data or offset >= page.count:
                break
        raise NotFound(404, [Problem("slug", f"no post of yours with the slug {post!r}")])

    async def create(self, post: PostCreate | Mapping[str, Any]) -> PostPublic:
        body = (
            post.model_dump(mode="json", exclude_unset=True)
            if isinstance(post, PostCreate)
            else dict(post)
        )
        return await self._client.call(PostPublic, "POST", "/api/posts", json=body)

    async def update(self, post: int | str | PostPublic, changes: Mapping[str, Any]) -> PostPublic:
        """`changes` must carry the `version` it is based on (a stale one answers 409);
        without one, the post's current version is read first."""
        post_id = await self._id(post)
        body = dict(changes)
        if "version" not in body:
            body["version"] = (await self.get(post_id)).version
        return await self._client.call(PostPublic, "PATCH", f"/api/posts/{post_id}", json=body)

    async def publish(self, post: int | str | PostPublic) -> PostPublic:
        return await self.update(post, {"status": PostStatus.published.value})

    async def delete(self, post: int | str | PostPublic) -> None:
        await self._client.request("DELETE", f"/api/posts/{await self._id(post)}")

    async def from_notebook(
        self, notebook_id: int, path: str, *, title: str | None = None, show_input: bool = True
    ) -> PostPublic:
        """A new draft post from an .ipynb in a running notebook server of yours."""
        body = NotebookImport(
            notebook_id=notebook_id, path=path, show_input=show_input, title=title
        ).model_dump(exclude_none=True)
        return await self._client.call(PostPublic, "POST", "/api/posts/notebooks", json=body)
