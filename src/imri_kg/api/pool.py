"""Worker processes that hold the store and answer requests, so that a query past its time limit can be stopped.

pyoxigraph cannot cancel a running query, and a thread cannot be killed, so each worker is a process with its own
store: the knowledge base built in memory, or the on-disk store opened read-only. A request goes to an idle
worker; if no answer comes within the time limit the worker is killed and a fresh one takes its place, while the
other workers go on serving. Updates (only with a write token) go to every worker in turn and are replayed by
any worker started later, so all workers hold the same data.
"""

import asyncio
import multiprocessing
import secrets
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING

from imri_kg.api.engine import Answer, Request, UpdateRequest, error
from imri_kg.api.settings import Settings

if TYPE_CHECKING:
    from pyoxigraph import Store

_CONTEXT = multiprocessing.get_context("spawn")  # no fork of a threaded server


def open_read_store(settings: Settings) -> "Store":
    """The store to read: the on-disk one opened read-only, or a fresh in-memory build."""
    from pyoxigraph import Store

    from imri_kg.remote import is_remote
    from imri_kg.store import build_store

    if is_remote(settings.store_dir):  # a SPARQL engine, read through the protocol
        from imri_kg.store import open_store

        return open_store(settings.store_dir, base=settings.base)
    if settings.store_dir is not None:
        from imri_kg.bulk import recover

        recover(settings.store_dir)  # finish or forget a bulk load that was killed
        return Store.read_only(str(settings.store_dir))
    return build_store(base=settings.base)


def _serve(conn: Connection, settings: Settings, updates: list[UpdateRequest]) -> None:
    """The body of a worker process: build or open the store, then answer requests until the pipe closes."""
    from imri_kg.api.engine import Engine
    from imri_kg.api.guard import install_socket_guard
    from imri_kg.api.sandbox import isolate_worker  # issue 17 hook: below the parser, no network at all
    from imri_kg.api.snapshot import Snapshot  # issue 17 hook
    from imri_kg.queries import library

    isolate_worker(settings.store_dir)  # issue 17 hook
    install_socket_guard()
    snapshot = Snapshot(settings)  # issue 17 hook: reopened when a writer changes the on-disk store
    store = snapshot.store
    engine = Engine(store, library(), settings.base, settings.max_rows)
    for update in updates:
        engine.handle(update)
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if snapshot.changed():  # issue 17 hook: one consistent snapshot per request, the newest one
            engine = Engine(snapshot.fresh(), library(), settings.base, settings.max_rows)
        try:
            answer = engine.handle(request)
        except (OSError, RuntimeError, ValueError) as exc:  # issue 17 hook: an evaluation error (a failed SERVICE
            answer = error(400, f"The query could not be evaluated: {exc}")  # ...) is the query's, not a bug
        except Exception as exc:  # noqa: BLE001 - a bug must not take the worker down; say what happened
            answer = error(500, f"Internal error while answering: {type(exc).__name__}: {exc}")
        conn.send(answer)


class Worker:
    def __init__(self, settings: Settings, updates: list[UpdateRequest]) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process: BaseProcess = _CONTEXT.Process(target=_serve, args=(child, settings, list(updates)),
                                                     daemon=True, name="imri-kg-worker")
        self.process.start()
        child.close()
        try:
            ready = self.conn.poll(120) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.stop()
            raise RuntimeError(f"a query worker did not start (exit code {self.process.exitcode})")

    def call(self, request: Request, timeout: float) -> Answer | None:
        """The answer, or None when the time limit passed (the caller then stops this worker)."""
        self.conn.send(request)
        if not self.conn.poll(timeout):
            return None
        return self.conn.recv()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class TimeLimitExceeded(Exception):
    """The request ran past the time limit; its worker was stopped."""


class Busy(Exception):
    """Every worker stayed busy for a whole time limit, so the request was not started."""


class Pool:
    """A fixed number of workers; `answer()` awaits one without blocking the event loop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.updates: list[UpdateRequest] = []
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._write = asyncio.Lock()
        self._instance = secrets.token_hex(6)  # answers of an earlier run of the server never match this one's
        self._writes = 0

    @property
    def data_version(self) -> str:
        """A name for the data the workers hold now; every write (update) changes it."""
        return f"{self._instance}.{self._writes}"

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(*(loop.run_in_executor(None, self._spawn)
                                         for _ in range(self.settings.workers)))
        for w in workers:
            self.idle.put_nowait(w)

    def _spawn(self) -> Worker:
        worker = Worker(self.settings, self.updates)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()

    async def _acquire(self, deadline: float) -> Worker:
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(self.idle.get(), max(0.01, deadline - loop.time()))
        except TimeoutError:
            raise Busy from None

    async def _run(self, worker: Worker, request: Request, deadline: float) -> Answer:
        """Run on `worker`; give it back when done, or replace it when it ran out of time or died."""
        loop = asyncio.get_running_loop()
        try:
            answer = await loop.run_in_executor(None, worker.call, request, max(0.01, deadline - loop.time()))
        except (EOFError, OSError, BrokenPipeError):
            answer = error(503, "A query worker stopped unexpectedly; it is being replaced. Try again.")
        if answer is None or answer.status == 503:
            self._retire(worker)
            asyncio.ensure_future(self._replace())
            if answer is None:
                raise TimeLimitExceeded
            return answer
        self.idle.put_nowait(worker)
        return answer

    async def _replace(self) -> None:
        loop = asyncio.get_running_loop()
        worker = await loop.run_in_executor(None, self._spawn)
        self.idle.put_nowait(worker)

    async def answer(self, request: Request) -> Answer:
        """The worker's answer to `request`.

        Raises Busy when no worker came free within one time limit, and TimeLimitExceeded when the request ran
        longer than the time limit once started.
        """
        loop = asyncio.get_running_loop()
        if isinstance(request, UpdateRequest):
            async with self._write:
                return await self._update(request, loop.time() + self.settings.timeout)
        worker = await self._acquire(loop.time() + self.settings.timeout)
        return await self._run(worker, request, loop.time() + self.settings.timeout)

    async def _update(self, request: UpdateRequest, deadline: float) -> Answer:
        """Apply an update to every worker: all are taken first, so no query sees half-applied data."""
        loop = asyncio.get_running_loop()
        taken: list[Worker] = []
        try:
            for _ in range(self.settings.workers):
                taken.append(await self._acquire(deadline))
        except Busy:
            for w in taken:
                self.idle.put_nowait(w)
            raise
        first, rest = taken[0], taken[1:]
        try:
            answer = await self._run(first, request, loop.time() + self.settings.timeout)
        except TimeLimitExceeded:
            for w in rest:
                self.idle.put_nowait(w)
            raise
        finally:
            # Whatever the outcome, the data may have changed: a new version, so no answer kept before is reused.
            # No query runs meanwhile (this update holds every worker but `first`, which already holds the update).
            self._writes += 1
        if answer.status != 200:
            for w in rest:
                self.idle.put_nowait(w)
            return answer
        self.updates.append(request)  # workers started from now on replay it (with its base IRI)
        for w in rest:
            try:
                await self._run(w, request, loop.time() + self.settings.timeout)
            except TimeLimitExceeded:
                continue  # that worker was replaced by one that replays the update
        return answer

    async def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()

