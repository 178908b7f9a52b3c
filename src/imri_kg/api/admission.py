"""Fair use of the workers: a per-client concurrency limit and a bounded queue in front of them, 429 when full.

Queries run in a few worker processes. Without a gate, two clients looping runaway queries hold every worker and
everyone else waits or gets 503. The gate admits at most as many requests as there are workers; each client may
hold at most `per_client` of them; the others wait in a queue with a bound per client and in all. When a slot
frees, it goes to the waiting client that holds the fewest slots, and among those to the one served least
recently. A client whose query was stopped at the time limit is "heavy" for a while (PENALTY time limits):
heavy clients together hold at most all slots but one, and wait behind the others, so a light client finds a
worker even while two others loop runaway queries (whose workers are being replaced). A full queue answers
429 Too Many Requests with Retry-After (RFC 6585 section 4). Clients are told apart by their address;
behind a reverse proxy every client shares one address, and the proxy should do this instead.

Uploads (validation and import of sheets) pass through a gate of their own with one slot: they run in one
bounded checker process (uploads.py).
"""

import asyncio
import itertools
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Full(Exception):
    """The queue holds as many requests as it may (for this client, or in all)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class _Client:
    active: int = 0
    waiting: deque = field(default_factory=deque)
    served: int = 0  # the tick of the last admission: least recently served goes first


PENALTY = 15  # time limits during which a client whose query was stopped counts as heavy
STOPPED = b"x-imri-stopped"  # the response header by which dependencies.py says a query hit the time limit


class Gate:
    """At most `slots` requests at once, `per_client` of them from one client, the rest queued (bounded)."""

    def __init__(self, *, slots: int, per_client: int, max_waiting: int, max_waiting_per_client: int,
                 max_wait: float, penalty: float = 0.0) -> None:
        self.slots, self.per_client = slots, per_client
        self.max_waiting, self.max_waiting_per_client = max_waiting, max_waiting_per_client
        self.max_wait, self.penalty = max_wait, penalty
        self.active = 0
        self._clients: dict[str, _Client] = {}
        self._heavy_until: dict[str, float] = {}
        self._tick = itertools.count(1)

    def penalize(self, client: str) -> None:
        """Count `client` as heavy for the penalty time: its query ran to the time limit."""
        now = time.monotonic()
        self._heavy_until = {c: t for c, t in self._heavy_until.items() if t > now}
        self._heavy_until[client] = now + self.penalty

    def _heavy(self, client: str) -> bool:
        return self._heavy_until.get(client, 0.0) > time.monotonic()

    def _heavy_active(self) -> int:
        return sum(c.active for name, c in self._clients.items() if self._heavy(name))

    def _may_run(self, client: str, state: _Client) -> bool:
        if self.active >= self.slots or state.active >= self.per_client:
            return False
        return not self._heavy(client) or self.slots == 1 or self._heavy_active() < self.slots - 1

    @property
    def waiting(self) -> int:
        return sum(len(c.waiting) for c in self._clients.values())

    def try_admit(self, client: str) -> "_Client | None":
        """Admit `client` at once when `enter` would admit it without waiting; else None (nothing changed). The
        caller must `leave` with what this returns (api/fast.py: an answer given without any wait)."""
        state = self._clients.setdefault(client, _Client())
        if any(c.waiting and self._may_run(name, c) for name, c in self._clients.items()) \
                or not self._may_run(client, state):
            self._forget(client)
            return None
        self._admit(state)
        return state

    def leave(self, client: str, state: "_Client") -> None:
        """Give back the slot `try_admit` gave."""
        self._release(state)
        self._forget(client)

    @asynccontextmanager
    async def enter(self, client: str) -> AsyncIterator[None]:
        """Hold one slot for `client` while the block runs; raises Full when it may not even wait."""
        state = self._clients.setdefault(client, _Client())
        ahead = any(c.waiting and self._may_run(name, c) for name, c in self._clients.items())
        must_wait = ahead or not self._may_run(client, state)
        if must_wait and len(state.waiting) >= self.max_waiting_per_client:
            self._forget(client)
            raise Full(f"Too many requests from your address at once: at most {self.per_client} run and "
                       f"{self.max_waiting_per_client} wait. Wait for an answer before sending more.", 2)
        if must_wait and self.waiting >= self.max_waiting:
            self._forget(client)
            raise Full(f"The server's queue is full ({self.max_waiting} requests wait). Try again shortly.", 5)
        if not must_wait:  # a slot is free and nobody it must let go first is waiting: admitted at once
            self._admit(state)
            try:
                yield
            finally:
                self._release(state)
                self._forget(client)
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        state.waiting.append(turn)
        self._next()
        if not turn.done():
            try:
                await asyncio.wait_for(asyncio.shield(turn), self.max_wait)
            except (TimeoutError, asyncio.CancelledError):
                if turn.done() and not turn.cancelled():
                    self._release(state)  # admitted just as the wait ended: give the slot on
                else:
                    turn.cancel()
                    state.waiting.remove(turn)
                self._forget(client)
                raise Full(f"Your request waited {self.max_wait:g} s for a free worker. Try again shortly.",
                           5) from None
        try:
            yield
        finally:
            self._release(state)
            self._forget(client)

    def _admit(self, state: _Client) -> None:
        self.active += 1
        state.active += 1
        state.served = next(self._tick)

    def _release(self, state: _Client) -> None:
        self.active -= 1
        state.active -= 1
        self._next()

    def _next(self) -> None:
        """Give free slots to waiting clients: light before heavy, fewest slots held, least recently served."""
        while self.active < self.slots:
            ready = [(name, c) for name, c in self._clients.items() if c.waiting and self._may_run(name, c)]
            if not ready:
                return
            _, chosen = min(ready, key=lambda nc: (self._heavy(nc[0]), nc[1].active, nc[1].served))
            turn = chosen.waiting.popleft()
            if turn.cancelled():
                continue
            self._admit(chosen)
            turn.set_result(None)

    def _forget(self, client: str) -> None:
        state = self._clients.get(client)
        if state is not None and not state.active and not state.waiting:
            del self._clients[client]


# Paths that never reach a worker or the checker: static files and the API's own documentation.
_FREE = ("/ui/static/", "/docs", "/redoc", "/openapi.json", "/favicon.ico")


class AdmissionMiddleware:
    """ASGI middleware: each HTTP request (but static files) holds a slot of the query gate, uploads of the
    upload gate, from the moment it is admitted (its body read first, up to READ_AHEAD) until its response is
    sent."""

    def __init__(self, app: ASGIApp, *, queries: Gate, uploads: Gate) -> None:
        self.app, self.queries, self.uploads = app, queries, uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(_FREE):
            await self.app(scope, receive, send)
            return
        upload = scope.get("method") == "POST" and path.startswith(("/ui/validate", "/api/refiqda/"))  # one at a time
        gate = self.uploads if upload else self.queries
        client = (scope.get("client") or ("?", 0))[0]
        if not upload and scope.get("method") not in ("GET", "HEAD"):
            receive = await _read_ahead(receive)  # a client stalling its body holds no slot meanwhile
            if receive is None:  # it went away before its body came: nobody to answer
                return

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start" and any(k.lower() == STOPPED for k, _ in
                                                                 message.get("headers", [])):
                gate.penalize(client)
            await send(message)

        try:
            async with gate.enter(client):
                await self.app(scope, receive, watched)
        except Full as exc:
            await _refuse(send, str(exc), exc.retry_after)


READ_AHEAD = 1 << 20  # bytes of a request's body read before it takes a slot (a query or an update's text)


async def _read_ahead(receive: Receive) -> Receive | None:
    """Read a request's body (its first READ_AHEAD bytes) before the request is admitted, so that a client that
    sends its headers and then stalls waits without a slot; the app then receives the same messages. None when
    the client went away first."""
    held: list[Message] = []
    size = 0
    while True:
        message = await receive()
        held.append(message)
        size += len(message.get("body", b""))
        if message["type"] == "http.disconnect":
            return None
        if message["type"] != "http.request" or not message.get("more_body", False) or size >= READ_AHEAD:
            break

    async def replay() -> Message:
        return held.pop(0) if held else await receive()

    return replay


async def _refuse(send: Send, message: str, retry_after: int) -> None:
    body = (message + "\n").encode()
    await send({"type": "http.response.start", "status": 429, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(retry_after).encode())]})
    await send({"type": "http.response.body", "body": body})


def gates_for(workers: int, timeout: float) -> tuple[Gate, Gate]:
    """The query gate and the upload gate for a server with `workers` query workers and a time limit."""
    queries = Gate(slots=workers, per_client=max(1, workers // 2), max_waiting=8 * workers + 16,
                   max_waiting_per_client=4, max_wait=6 * timeout + 10, penalty=PENALTY * timeout)
    uploads = Gate(slots=1, per_client=1, max_waiting=4, max_waiting_per_client=2, max_wait=120)
    return queries, uploads
