"""Password hashing runs off the event loop: other coroutines keep running meanwhile."""

from __future__ import annotations

import asyncio

from app.core.security import hash_password, verify_password


async def test_the_loop_keeps_turning_while_passwords_are_hashed() -> None:
    ticks = 0
    hashing = asyncio.ensure_future(
        asyncio.gather(*(hash_password(f"password-{i}") for i in range(4)))
    )

    async def ticker() -> None:
        nonlocal ticks
        while not hashing.done():
            ticks += 1
            await asyncio.sleep(0)

    await asyncio.gather(hashing, ticker())
    hashes = hashing.result()
    assert ticks > 10, "the loop stalled while hashing"
    assert await verify_password(hashes[0], "password-0")
    assert not await verify_password(hashes[0], "password-1")
    assert not await verify_password(None, "password-0")
