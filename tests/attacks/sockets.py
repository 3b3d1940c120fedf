"""Raw HTTP over a socket, for requests a well-behaved client library would not send, and
the resident memory of a process tree (to see what a request made a server hold)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path


def rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and its descendants (uvicorn may run worker processes)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


async def chunked_flood(
    port: int, path: str, total: int, *, chunk: int = 1024 * 1024, headers: str = ""
) -> tuple[bytes, int]:
    """POST `total` bytes of chunked body to `path`, stopping when the server answers or
    hangs up; the response's first bytes and how much of the body was sent."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Transfer-Encoding: chunked\r\n{headers}\r\n".encode()
    )
    piece = b"%x\r\n%b\r\n" % (chunk, b"[" * chunk)
    sent = 0
    answer = asyncio.create_task(_read_response(reader))
    try:
        while sent < total and not answer.done():
            writer.write(piece)
            try:
                await asyncio.wait_for(writer.drain(), 30)
            except (ConnectionError, TimeoutError):
                break
            sent += chunk
        if not answer.done() and sent >= total:
            writer.write(b"0\r\n\r\n")
            with contextlib.suppress(ConnectionError):
                await writer.drain()
        try:
            response = await asyncio.wait_for(answer, 60)
        except (ConnectionError, TimeoutError):
            response = b""
    finally:
        answer.cancel()
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    return response, sent


def json_request(
    method: str, path: str, *, length: int, body: bytes = b"", headers: str = ""
) -> bytes:
    """A JSON request's bytes declaring `length` (the body sent may be shorter, or none)."""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n{headers}\r\n"
    )
    return head.encode() + body


async def raw_request(port: int, request: bytes, *, timeout: float = 30) -> bytes:
    """Send `request` as is; everything the server answers until it closes (or `timeout`)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        chunks = []
        with contextlib.suppress(TimeoutError, ConnectionError):
            async with asyncio.timeout(timeout):
                while data := await reader.read(65536):
                    chunks.append(data)
                    if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                        break
        return b"".join(chunks)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _read_response(reader: asyncio.StreamReader) -> bytes:
    """One response, whole (its head may outgrow a single read), or what came before EOF."""
    data = b""
    while chunk := await reader.read(65536):
        data += chunk
        if b"\r\n\r\n" in data and _complete(data):
            break
    return data


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False
