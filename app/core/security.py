"""Password hashing (argon2) and high-entropy secrets (stored as SHA-256 digests)."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the username is unknown, so timing does not reveal which users exist.
_DUMMY_HASH = _hasher.hash("workspace-dummy-password")


# Argon2 takes tens of milliseconds of CPU and 64 MiB per hash: it runs on threads of its
# own (the C code releases the GIL), so the event loop never stalls on it, and at most two
# at once per process, so a burst of sign-ins queues instead of exhausting memory.
_HASHING = ThreadPoolExecutor(max_workers=2, thread_name_prefix="argon2")


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_HASHING, _hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_HASHING, _verify, password_hash, password)


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """Secrets we generate carry 256 bits, so a fast hash is enough (no salt/stretching)."""
    return hashlib.sha256(secret.encode()).hexdigest()
