"""The server's app as `imri-kg serve` runs it: answering before FastAPI is imported (issue 18, start-up).

Importing FastAPI and building the app cost the web process about 0.45 s of CPU, most of its start-up, yet a short
/sparql query needs only the pool and the admission gate (fast.py). `EarlyApp` starts the workers and the pool
without FastAPI, so the server listens and the protocol (onewrite.py) answers such queries once the workers are
ready; meanwhile the FastAPI app is built in a thread and started with that pool and gate (create_app). Every other
request waits until it is, then goes to it. Stopping the server stops the app, then the pool.
"""

import asyncio
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from starlette.types import Message, Receive, Scope, Send

from imri_kg.api.admission import gates_for
from imri_kg.api.pool import Pool
from imri_kg.api.worker import spawn_process, worker_config

if TYPE_CHECKING:
    from pyoxigraph import Store

    from imri_kg.api.settings import Settings


class EarlyApp:
    """ASGI app: the pool and gate from the start (`state.fast`, `state.pool` for onewrite.py), the FastAPI app
    once built. The workers are launched at once (they open the store while this process goes on)."""

    def __init__(self, settings: "Settings", local: "Store | None") -> None:
        self.settings, self.local = settings, local
        self.spawned = [spawn_process(worker_config(settings)) for _ in range(settings.workers)]
        self.gates = gates_for(settings.workers, settings.timeout)
        self.state = SimpleNamespace(fast=None, pool=None)  # what onewrite.py reads
        self.app: Callable[[Scope, Receive, Send], Awaitable[None]] | None = None
        self._ready: asyncio.Future | None = None
        self._stop: Callable[[], Awaitable[None]] | None = None
        self.failure: BaseException | None = None  # why the app could not be built or started
        self.on_failure: Callable[[], None] = lambda: None  # serve: stop the server (it then says why)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if self.app is None:
            assert self._ready is not None
            await asyncio.shield(self._ready)  # raises what building or starting the app raised
        await self.app(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self._start()
                except Exception as exc:  # noqa: BLE001 - uvicorn reports it and stops
                    await send({"type": "lifespan.startup.failed", "message": f"{type(exc).__name__}: {exc}"})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self._close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _start(self) -> None:
        """The pool, started (uvicorn listens after this); the app built and started in the background."""
        from imri_kg.api.pool import open_read_store

        local = self.local if self.local is not None else open_read_store(self.settings)
        pool = Pool(self.settings, local, self.spawned)
        self.spawned = []
        await pool.start()
        self.pool = pool
        self.state.pool, self.state.fast = pool, None if self.settings.cors_origins else self.gates[0]
        self._ready = asyncio.ensure_future(self._build())

    async def _build(self) -> None:
        try:
            from imri_kg.api import create_app

            app = await asyncio.get_running_loop().run_in_executor(
                None, lambda: create_app(self.settings, local=self.pool.local, pool=self.pool, gates=self.gates))
            self._stop = await _started(app)
        except Exception as exc:  # a broken install, say: the server must not stay up answering half its routes
            self.failure = exc
            self.on_failure()
            raise
        self.app = app

    async def _close(self) -> None:
        if self._ready is not None and not self._ready.done():
            self._ready.cancel()
        if self._stop is not None:
            await self._stop()
        self.state.fast = None
        if getattr(self, "pool", None) is not None:
            await self.pool.close()
            self.pool.local = self.pool.aggregates = self.pool.snapshot = None
        for process, parent in self.spawned:  # launched but never started
            process.kill()
            process.wait(5)
            parent.close()


async def _started(app: Any) -> Callable[[], Awaitable[None]]:
    """Run `app`'s lifespan until it has started; returns what stops it."""
    inbox: asyncio.Queue[Message] = asyncio.Queue()
    started, stopped = asyncio.get_running_loop().create_future(), asyncio.get_running_loop().create_future()

    async def send(message: Message) -> None:
        kind = message["type"]
        if kind == "lifespan.startup.complete":
            started.set_result(None)
        elif kind == "lifespan.startup.failed":
            started.set_exception(RuntimeError(message.get("message", "the app did not start")))
        elif kind.startswith("lifespan.shutdown") and not stopped.done():
            stopped.set_result(None)

    task = asyncio.ensure_future(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, inbox.get, send))
    await inbox.put({"type": "lifespan.startup"})
    await started

    async def stop() -> None:
        await inbox.put({"type": "lifespan.shutdown"})
        await stopped
        await task

    return stop


__all__ = ["EarlyApp"]
