"""uvicorn's HTTP protocol (httptools) with a response's head and a small body sent in one system call.

uvicorn writes the status line and headers when the app starts its response, and the body when it sends it: two
writes, so two `send` calls, and a client may wake twice for one answer. `OneWriteProtocol` gives uvicorn a transport
that holds a response head back until the next write (the body, or its first chunk) and sends both together; a head
still held at the end of the event loop's turn (a streamed answer waiting for its worker) is sent then, and closing
the connection sends it first, so the bytes and their order never change. `imri-kg serve` runs uvicorn with it.
"""

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from imri_kg.api import fast

_HEAD = b"HTTP/1.1 "  # how every response head uvicorn writes begins
_HOLD_AT_MOST = 16 * 1024
HOLD_BODY = 64 * 1024  # a request body held to be answered here at most (fast.py); a longer one goes to the app


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


    def write_whole(self, data: bytes) -> None:
        """A whole response: straight out (after anything held)."""
        self._release()
        self._transport.write(data)


class OneWriteProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol writing through `_HeadHeld` (pass as `uvicorn.Config(http=...)`), which answers
    a /sparql query of fast.py's common case itself, in the bytes uvicorn would write for what the app sends.

    The app (`config.app`) offers that when `app.state.fast` is its admission gate (create_app: not with CORS).
    A request is held from its headers to its end (its body, at most HOLD_BODY bytes) only when it could be such a
    query: one request at a time on the connection, HTTP/1.1, no Expect or Upgrade, no X-Forwarded-* header (uvicorn
    would rewrite the client), GET, HEAD or POST of /sparql. Whatever fast.py leaves to the app, and anything here
    that fails, is handed to uvicorn as if it had just read the headers, so the app answers as before.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        state = getattr(self.config.app, "state", None)
        plain = (self.config.root_path == "" and self.config.limit_concurrency is None
                 and not (self.access_log and self.access_logger.isEnabledFor(logging.INFO)))
        self._gate = getattr(state, "fast", None) if plain else None
        self._held: bytearray | None = None
        self._asked: tuple | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_HeadHeld(transport, self.loop))  # type: ignore[arg-type]

    def on_headers_complete(self) -> None:
        if self._gate is not None and self._may_answer():
            self._held = bytearray()
            return
        super().on_headers_complete()

    def _may_answer(self) -> bool:
        if (self.cycle is not None and not self.cycle.response_complete) or self.pipeline or self.expect_100_continue:
            return False
        method = self.parser.get_method()
        if method not in (b"GET", b"HEAD", b"POST") or self.parser.get_http_version() != "1.1" \
                or self.parser.should_upgrade() or self.flow.write_paused:
            return False
        parsed = httptools.parse_url(self.url)
        if parsed.path != b"/sparql" or any(name.startswith(b"x-forwarded-") for name, _ in self.headers):
            return False
        scope = self.scope
        scope["method"] = method.decode("ascii")
        scope["path"], scope["raw_path"], scope["query_string"] = "/sparql", b"/sparql", parsed.query or b""
        self._asked = fast.wanted(scope)
        return self._asked is not None

    def on_body(self, body: bytes) -> None:
        if self._held is None:
            super().on_body(body)
            return
        self._held += body
        if len(self._held) > HOLD_BODY:  # too long for a short query: the app reads it
            self._hand_over()

    def on_message_complete(self) -> None:
        if self._held is None:
            super().on_message_complete()
            return
        held, self._held = bytes(self._held), None
        try:
            data = self._answer(held if self.scope["method"] == "POST" else None)
        except Exception:  # noqa: BLE001 - never here: the app answers, as it would have
            data = None
        if data is None:
            self._hand_over(held)
            super().on_message_complete()
            return
        keep_alive = self.parser.should_keep_alive()
        self.transport.write_whole(data)  # type: ignore[attr-defined]
        if not keep_alive:
            self.transport.close()
        self.on_response_complete()

    def shutdown(self) -> None:
        """The server stops: a request held here is handed over first, so that it is answered as uvicorn would."""
        if self._held is not None:
            self._hand_over()
        super().shutdown()

    def _hand_over(self, body: bytes | None = None) -> None:
        """Give the request to uvicorn as if its headers had just been read, with the body read so far."""
        held, self._held = (self._held or b"") if body is None else body, None
        super().on_headers_complete()
        if held:
            super().on_body(bytes(held))

    def _answer(self, body: bytes | None) -> bytes | None:
        out = fast.respond(self.scope, self._gate, getattr(self.config.app.state, "pool", None), self._asked, body)
        if out is None:
            return None
        messages, release = out
        try:
            return self._wire(messages)
        finally:
            release()

    def _wire(self, messages: list) -> bytes:
        """The bytes uvicorn writes for `messages` (RequestResponseCycle.send): status line, its default headers
        (date, server), the app's, connection and transfer encoding, the body (chunked without a length). The
        app's headers here are fast.py's: names and values uvicorn accepts."""
        start, head = messages[0], self.scope["method"] == "HEAD"
        status = start["status"]
        content = [STATUS_LINE[status]]
        chunked = None
        for name, value in [*self.server_state.default_headers, *start["headers"]]:
            if name == b"content-length" and chunked is None:
                chunked = False
            content.extend((name, b": ", value, b"\r\n"))
        if not self.parser.should_keep_alive():
            content.append(b"connection: close\r\n")
        if chunked is None and not head and status not in (204, 304):
            chunked = True
            content.append(b"transfer-encoding: chunked\r\n")
        content.append(b"\r\n")
        for message in messages[1:]:
            body = message.get("body", b"")
            if head:
                continue
            if chunked:
                if body:
                    content.extend((b"%x\r\n" % len(body), body, b"\r\n"))
                if not message.get("more_body", False):
                    content.append(b"0\r\n\r\n")
            else:
                content.append(body)
        return b"".join(content)


__all__ = ["OneWriteProtocol"]
