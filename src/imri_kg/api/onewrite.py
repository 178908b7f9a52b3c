"""uvicorn's HTTP protocol (httptools) with a response's head and a small body sent in one system call.

uvicorn writes the status line and headers when the app starts its response, and the body when it sends it: two
writes, so two `send` calls, and a client may wake twice for one answer. `OneWriteProtocol` gives uvicorn a transport
that holds a response head back until the next write (the body, or its first chunk) and sends both together; a head
still held at the end of the event loop's turn (a streamed answer waiting for its worker) is sent then, and closing
the connection sends it first, so the bytes and their order never change. `imri-kg serve` runs uvicorn with it.
"""

import asyncio
from collections.abc import Iterable
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_HEAD = b"HTTP/1.1 "  # how every response head uvicorn writes begins
_HOLD_AT_MOST = 16 * 1024


class _HeadHeld:
    """A transport whose `write` keeps a response head until the next write; everything else is the real one's."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport, self._loop = transport, loop
        self._held: bytes | None = None

    def write(self, data: bytes) -> None:
        held = self._held
        if held is not None:
            self._held = None
            self._transport.write(held + data)
        elif data.startswith(_HEAD) and len(data) <= _HOLD_AT_MOST:
            self._held = bytes(data)
            self._loop.call_soon(self._release)
        else:
            self._transport.write(data)

    def writelines(self, data: Iterable[bytes]) -> None:
        self._release()
        self._transport.writelines(data)

    def _release(self) -> None:
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

    def close(self) -> None:
        self._release()
        self._transport.close()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class OneWriteProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol writing through `_HeadHeld` (pass as `uvicorn.Config(http=...)`)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_HeadHeld(transport, self.loop))  # type: ignore[arg-type]


__all__ = ["OneWriteProtocol"]
