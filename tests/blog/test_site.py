"""The public site: who sees which post, slugs, lists, search, feeds, sitemap, headers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import httpx

from tests.blog.conftest import anonymous_of, browser_of, edit, image_bytes, new_post

FUTURE = (datetime.now(UTC) + timedelta(days=30)).isoformat()


async def posts_in_every_status(alice: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    made = {}
    for status in ("draft", "scheduled", "published", "unlisted"):
        extra = {"publish_at": FUTURE} if status == "scheduled" else {}
        made[status] = await new_post(
            alice,
            f"A {status} post",
            body=f"The {status} body, about zebras.",
            status=status,
            tags=["Zoo"],
            **extra,
        )
    return made


async def test_visibility_for_anonymous_another_user_and_the_author(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    posts = await posts_in_every_status(alice)
    anonymous = anonymous_of(alice)
    bob_browser = await browser_of(bob, "bob")
    alice_browser = await browser_of(alice, "alice")
    expected = {
        "anonymous": {"draft": 404, "scheduled": 404, "published": 200, "unlisted": 200},
        "bob": {"draft": 404, "scheduled": 404, "published": 200, "unlisted": 200},
        "alice": {"draft": 200, "scheduled": 200, "published": 200, "unlisted": 200},
    }
    readers = {"anonymous": anonymous, "bob": bob_browser, "alice": alice_browser}
    for who, reader in readers.items():
        for status, post in posts.items():
            r = await reader.get(f"/blog/{post['slug']}")
            assert r.status_code == expected[who][status], (who, status)
            if r.status_code == 200:
                assert post["title"] in r.text
                preview = "only you can see it" in r.text
                assert preview == (status in ("draft", "scheduled")), (who, status)
                private = r.headers["cache-control"] == "private, no-store"
                assert private == preview
            else:
                assert post["title"] not in r.text
    # Listed only: the published one, on every list, feed, search and the sitemap.
    for path in (
        "/blog",
        "/blog/tags/zoo",
        "/blog/authors/alice",
        "/blog/feed.xml",
        "/blog/tags/zoo/feed.xml",
        "/blog/authors/alice/feed.xml",
        "/blog/search?q=zebras",
        "/sitemap.xml",
    ):
        for reader in readers.values():
            r = await reader.get(path)
            assert r.status_code == 200, path
            assert posts["published"]["slug"] in r.text, path
            for hidden in ("draft", "scheduled", "unlisted"):
                assert posts[hidden]["slug"] not in r.text, (path, hidden)
    for c in (anonymous, bob_browser, alice_browser):
        await c.aclose()


async def test_old_slugs_answer_301_and_a_draft_does_not_leak_through_one(
    backend: str, alice: httpx.AsyncClient
) -> None:
    post = await new_post(alice, "First name", status="published")
    post = await edit(alice, post, slug="second-name")
    post = await edit(alice, post, slug="third-name")
    async with anonymous_of(alice) as anonymous:
        for old in ("first-name", "second-name"):
            r = await anonymous.get(f"/blog/{old}")
            assert r.status_code == 301 and r.headers["location"] == "/blog/third-name"
        assert (await anonymous.get("/blog/third-name")).status_code == 200
        await edit(alice, post, status="draft")
        assert (await anonymous.get("/blog/first-name")).status_code == 404
        assert (await anonymous.get("/blog/no-such-post")).status_code == 404


async def test_pages_carry_meta_canonical_csp_and_answer_304(
    backend: str, alice: httpx.AsyncClient
) -> None:
    image = (await alice.post("/api/posts/images", files={"file": ("c.png", image_bytes())})).json()
    words = " ".join(["word"] * 700)
    post = await new_post(
        alice,
        "Meta <tags> & things",
        body=f"Summary line.\n\n{words}",
        status="published",
        cover_image_id=image["id"],
    )
    async with anonymous_of(alice) as anonymous:
        r = await anonymous.get(f"/blog/{post['slug']}")
        assert r.status_code == 200
        page = r.text
        canonical = f"http://127.0.0.1:8000/blog/{post['slug']}"
        assert f'<link rel="canonical" href="{canonical}">' in page
        assert f'<meta property="og:url" content="{canonical}">' in page
        assert '<meta property="og:title" content="Meta &lt;tags&gt; &amp; things">' in page
        assert '<meta property="og:description" content="Summary line.">' in page
        assert f'<meta property="og:image" content="http://127.0.0.1:8000{image["url"]}">' in page
        assert '<meta name="twitter:card" content="summary_large_image">' in page
        assert "4 min read" in page  # 702 words
        assert "<script" not in page
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        etag, modified = r.headers["etag"], r.headers["last-modified"]
        again = await anonymous.get(f"/blog/{post['slug']}", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        since = await anonymous.get(
            f"/blog/{post['slug']}", headers={"If-Modified-Since": modified}
        )
        assert since.status_code == 304
        await edit(alice, post, body="Changed.")
        changed = await anonymous.get(f"/blog/{post['slug']}", headers={"If-None-Match": etag})
        assert changed.status_code == 200 and changed.headers["etag"] != etag
        for path in ("/blog", "/blog/feed.xml", "/sitemap.xml"):
            first = await anonymous.get(path)
            assert "default-src 'none'" in first.headers["content-security-policy"]
            second = await anonymous.get(path, headers={"If-None-Match": first.headers["etag"]})
            assert second.status_code == 304, path
        img = await anonymous.get(image["url"])
        assert img.status_code == 200 and img.content == image_bytes()
        assert img.headers["content-type"] == "image/png"
        assert img.headers["x-content-type-options"] == "nosniff"
        assert "immutable" in img.headers["cache-control"]
        wrong_ext = image["url"].replace(".png", ".gif")
        assert (await anonymous.get(wrong_ext)).status_code == 404
        assert (await anonymous.get("/blog/images/nope.png")).status_code == 404


async def test_index_is_paged_newest_first(
    backend: str, alice: httpx.AsyncClient, settings: Any
) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for day in range(12):  # page size 10
        when = (base + timedelta(days=day)).isoformat()
        await new_post(alice, f"Day {day:02d}", status="published", publish_at=when)
    async with anonymous_of(alice) as anonymous:
        first = (await anonymous.get("/blog")).text
        assert first.index("Day 11") < first.index("Day 02") and "Day 01" not in first
        assert 'href="/blog?page=2"' in first
        second = (await anonymous.get("/blog?page=2")).text
        assert "Day 01" in second and "Day 00" in second and "Day 02" not in second
        assert (await anonymous.get("/blog?page=3")).status_code == 404
        r = await anonymous.get("/blog?page=zero")
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "page"]


async def test_search_finds_words_inside_bodies_ranked_with_escaped_snippets(
    backend: str, alice: httpx.AsyncClient
) -> None:
    await new_post(
        alice,
        "Gardening",
        status="published",
        body="Tomatoes need sun.\n\nWater the <b>tomatoes</b> every morning.",
    )
    await new_post(alice, "Tomatoes everywhere", status="published", body="A short one.")
    await new_post(alice, "Secret tomatoes", body="tomatoes in a draft")
    async with anonymous_of(alice) as anonymous:
        r = await anonymous.get("/blog/search", params={"q": "tomato"})
        assert r.status_code == 200
        page = r.text
        assert "2 posts found" in page and "Secret tomatoes" not in page
        # The title match ranks first; the body match shows where it matched.
        assert page.index("Tomatoes everywhere") < page.index("Gardening")
        assert "<mark>tomatoes</mark>" in page.lower()
        assert "<b>" not in page  # markup in a body is text in the snippet, never HTML
        assert "noindex" in page
        for odd in ('"unbalanced', "OR AND NOT", "*", "-", "tom*", "a:b", "'; drop"):
            r = await anonymous.get("/blog/search", params={"q": odd})
            assert r.status_code == 200, odd
        assert "0 posts found" in (await anonymous.get("/blog/search?q=zzzqqq")).text


async def test_feeds_and_sitemap_parse(backend: str, alice: httpx.AsyncClient) -> None:
    post = await new_post(
        alice,
        "Feed me",
        body="Some **bold** text <script>x</script>.",
        status="published",
        tags=["Python", "Web"],
    )
    await new_post(alice, "Other", status="published", tags=["web"])
    async with anonymous_of(alice) as anonymous:
        r = await anonymous.get("/blog/feed.xml")
        assert r.headers["content-type"].startswith("application/atom+xml")
        feed = feedparser.parse(r.content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.title == "WorkSpace"
        assert [e.title for e in feed.entries] == ["Other", "Feed me"]
        entry = feed.entries[1]
        assert entry.link == f"http://127.0.0.1:8000/blog/{post['slug']}"
        assert entry.id == f"tag:127.0.0.1,2026:post:{post['id']}"
        assert entry.author == "alice"
        assert {t.term for t in entry.tags} == {"Python", "Web"}
        assert "<strong>bold</strong>" in entry.content[0].value
        assert "<script" not in entry.content[0].value
        python = feedparser.parse((await anonymous.get("/blog/tags/python/feed.xml")).content)
        assert [e.title for e in python.entries] == ["Feed me"]
        web = feedparser.parse((await anonymous.get("/blog/tags/Web/feed.xml")).content)
        assert len(web.entries) == 2
        author = feedparser.parse((await anonymous.get("/blog/authors/alice/feed.xml")).content)
        assert len(author.entries) == 2 and not author.bozo
        assert (await anonymous.get("/blog/tags/nothing/feed.xml")).status_code == 404
        assert (await anonymous.get("/blog/authors/nobody/feed.xml")).status_code == 404
        sitemap = ET.fromstring((await anonymous.get("/sitemap.xml")).content)
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        locs = [u.findtext("s:loc", namespaces=ns) for u in sitemap.findall("s:url", ns)]
        assert locs[0] == "http://127.0.0.1:8000/blog"
        assert f"http://127.0.0.1:8000/blog/{post['slug']}" in locs and len(locs) == 3
        robots = (await anonymous.get("/robots.txt")).text
        assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots


async def test_the_excerpt_and_cover_show_on_the_page_in_lists_and_in_the_feed(
    backend: str, alice: httpx.AsyncClient
) -> None:
    cover = (
        await alice.post("/api/posts/images", files={"file": ("c.png", image_bytes("PNG"))})
    ).json()
    written = await new_post(
        alice,
        "Covered",
        body="Above the fold.\n\n<!--more-->\n\nBelow it.",
        status="published",
        cover_image_id=cover["id"],
    )
    chosen = await new_post(
        alice, "Chosen", body="First paragraph.", excerpt="Hand-written.", status="published"
    )
    async with anonymous_of(alice) as anonymous:
        page = (await anonymous.get(f"/blog/{written['slug']}")).text
        assert f'<img class="cover" src="{cover["url"]}" alt="">' in page
        assert f'content="http://127.0.0.1:8000{cover["url"]}"' in page  # og:image
        assert '<meta name="description" content="Above the fold.">' in page
        index = (await anonymous.get("/blog")).text
        assert "<p>Hand-written.</p>" in index and "<p>Above the fold.</p>" in index
        feed = feedparser.parse((await anonymous.get("/blog/feed.xml")).content)
        assert not feed.bozo, feed.bozo_exception
        entries = {e.title: e for e in feed.entries}
        assert entries["Chosen"].summary == "Hand-written."
        assert "media_thumbnail" not in entries["Chosen"]
        covered = entries["Covered"]
        assert covered.summary == "Above the fold."
        image_url = f"http://127.0.0.1:8000{cover['url']}"
        assert covered.media_thumbnail == [{"url": image_url}]
        content = covered.content[0].value
        # feedparser writes the tag its own way (attributes sorted, self-closed).
        assert content.startswith(f'<p><img alt="" class="cover" src="{image_url}" /></p>')
        assert "Below it." in content
    assert chosen["summary"] == "Hand-written."


async def test_an_author_page_of_someone_with_nothing_published_is_404(
    backend: str, alice: httpx.AsyncClient, bob: httpx.AsyncClient
) -> None:
    await new_post(bob, "Bob's draft")
    async with anonymous_of(alice) as anonymous:
        assert (await anonymous.get("/blog/authors/bob")).status_code == 404
        assert (await anonymous.get("/blog/authors/carol")).status_code == 404
        assert (await anonymous.get("/blog/unknown/deeper")).status_code == 404


async def test_public_pages_answer_head(backend: str, alice: httpx.AsyncClient) -> None:
    post = await new_post(alice, "Headed", status="published")
    async with anonymous_of(alice) as anonymous:
        for path in ("/blog", f"/blog/{post['slug']}", "/blog/feed.xml", "/sitemap.xml"):
            r = await anonymous.head(path)
            assert r.status_code == 200, path
            assert "default-src 'none'" in r.headers["content-security-policy"]
