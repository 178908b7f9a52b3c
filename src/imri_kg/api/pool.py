"""Worker processes that hold the store and answer requests, so that a query past its time limit can be stopped.

pyoxigraph cannot cancel a running query, and a thread cannot be killed, so each worker is a process with its own
store (worker.py). In memory, the knowledge base is built once, in the web process, and each worker receives it as
N-Quads (a snapshot of the web process's store); an on-disk store is opened read-only by every worker. A request goes
to an idle worker; if no answer comes within the time limit the worker is killed and a fresh one takes its place,
while the other workers go on serving.

Updates (only with a write token) are evaluated once, by one worker, which returns what they changed (N-Quads
removed and added, blank node labels kept). The changes are applied to the web process's store and shipped to every
other worker, so all hold the same data even when the update calls STRUUID(), UUID(), NOW(), RAND() or BNODE();
a worker started later receives a snapshot that already holds them. No query runs while an update is applied.

A query whose cost its own text bounds (one triple pattern, bounded.py) is answered by the web process itself when
its result is small (`inline_answer`: at most INLINE_ROWS rows, under INLINE_BYTES), from the store the workers read,
with the bytes and headers a worker would give; a bigger one, and every other request, goes to a worker. The
setting `inline` (IMRI_KG_INLINE=0) turns that off.

Two functions are the places for checks around workers: `start_worker` (every worker process starts there) and
`Pool.dispatch` (every request passes there).
"""

import asyncio
import contextlib
import pickle
import secrets
import socket
import struct
import subprocess
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from imri_kg.api.bounded import is_bounded
from imri_kg.api.engine import (
    Answer,
    Changes,
    Engine,
    QueryRequest,
    QuestionRequest,
    Request,
    UpdateRequest,
    apply_changes,
    error,
)
from imri_kg.api.settings import Settings
from imri_kg.api.snapshot import Snapshot, open_read_store, store_version
from imri_kg.api.worker import (
    BODY,
    HEAD,
    PIECE,
    READY,
    REQUEST,
    SMALL,
    SNAPSHOT,
    spawn_process,
    worker_config,
)
from imri_kg.questions.aggregates import HELD

if TYPE_CHECKING:
    from pyoxigraph import Store

    from imri_kg.questions.aggregates import Aggregates

_FRAME = struct.Struct(">cI")

START_SECONDS = 120  # a worker opening a large store, or loading a large snapshot, may take a while
INLINE_ROWS = 1000  # a query bounded by its text is answered here when its result has at most this many rows
INLINE_BYTES = 64 * 1024  # ... and fewer bytes than this (below worker.PIECE_BYTES: see Engine.small_answer)


def _is_url(location: object) -> bool:
    """Whether the store is a SPARQL engine over HTTP (store.remote.is_remote, without importing httpx)."""
    return str(location or "").lower().startswith(("http://", "https://"))


def to_snapshot(store: "Store") -> bytes:
    """The store as N-Quads, to hand to a worker."""
    from pyoxigraph import RdfFormat

    return store.dump(format=RdfFormat.N_QUADS)


class Worker:
    """One worker process and the parent's end of its socket."""

    def __init__(self, process: subprocess.Popen, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.process, self.reader, self.writer = process, reader, writer

    async def _frame(self) -> tuple[bytes, bytes]:
        kind, n = _FRAME.unpack(await self.reader.readexactly(_FRAME.size))
        return kind, (await self.reader.readexactly(n) if n else b"")

    def _send(self, kind: bytes, payload: bytes = b"") -> None:
        if len(payload) <= SMALL:  # one write: the worker wakes once
            self.writer.write(_FRAME.pack(kind, len(payload)) + payload)
        else:
            self.writer.writelines((_FRAME.pack(kind, len(payload)), payload))

    async def call(self, request: Request | Changes, timeout: float
                   ) -> tuple[Answer, Changes | None, bool] | None:
        """The answer (and, for an update, its changes; and whether its body is still to come as pieces, see
        `pieces`), or None when the time limit passed.

        Raises EOFError or OSError when the worker died.
        """
        self._send(REQUEST, pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
        try:
            async with asyncio.timeout(timeout):
                await self.writer.drain()
                kind, head = await self._frame()
                if kind != HEAD:
                    raise OSError("a worker broke the protocol")
                status, media_type, headers, changes, streamed = pickle.loads(head)
                body = b""
                if not streamed:
                    kind, body = await self._frame()
                    if kind != BODY:
                        raise OSError("a worker broke the protocol")
        except TimeoutError:
            return None
        except asyncio.IncompleteReadError:
            raise EOFError from None
        return Answer(status, media_type, body, headers), changes, streamed

    async def pieces(self, deadline: float) -> AsyncIterator[bytes]:
        """The pieces of a streamed body until its end. Raises TimeoutError past `deadline`, OSError when the
        worker failed half way or broke the protocol, EOFError when it died."""
        loop = asyncio.get_running_loop()
        while True:
            try:
                async with asyncio.timeout(max(0.01, deadline - loop.time())):
                    kind, data = await self._frame()
            except asyncio.IncompleteReadError:
                raise EOFError from None
            if kind not in (PIECE, BODY):
                raise OSError(f"a worker could not finish writing the result: {data.decode('utf-8', 'replace')}")
            if data:
                yield data
            if kind == BODY:
                return

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.writer.close()


async def start_worker(settings: Settings, snapshot: bytes | None,
                       spawned: tuple[subprocess.Popen, socket.socket] | None = None) -> Worker:
    """Start one worker process on the store of `settings` (or `snapshot`, in memory) and wait until it is ready.

    The worker runs `python -m imri_kg.api.worker FD` and imports nothing of the web application. `spawned` is a
    process launched earlier by `worker.spawn_process` with the same settings (the server launches its first
    workers before importing the web framework, so that both start at once).
    """
    process, parent = spawned or spawn_process(worker_config(settings))
    reader, writer = await asyncio.open_connection(sock=parent)
    worker = Worker(process, reader, writer)
    try:
        if settings.store_dir is None:
            worker._send(SNAPSHOT, snapshot or b"")
        async with asyncio.timeout(START_SECONDS):
            await writer.drain()
            kind, _ = await worker._frame()
        if kind != READY:
            raise OSError("a worker broke the protocol")
    except (TimeoutError, EOFError, OSError, asyncio.IncompleteReadError):
        worker.stop()
        raise RuntimeError(f"a query worker did not start (exit code {process.poll()})") from None
    return worker


async def _after(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if first:
        yield first
    async for piece in rest:
        yield piece


class TimeLimitExceeded(Exception):
    """The request ran past the time limit; its worker was stopped."""


class Busy(Exception):
    """Every worker stayed busy for a whole time limit, so the request was not started."""


class Pool:
    """A fixed number of workers; `dispatch()` awaits an answer without blocking the event loop.

    `local` is the web process's own store: in memory it is the one build, which follows every update and from
    which new workers are started. `aggregates` (aggregates.py), when set, answer the questions they hold.
    """

    def __init__(self, settings: Settings, local: "Store | None" = None,
                 spawned: list[tuple[subprocess.Popen, socket.socket]] | None = None) -> None:
        self.settings = settings
        self.local = local
        self._spawned = list(spawned or [])
        self.aggregates: Aggregates | None = None
        self._aggregating: tuple[str, bool, asyncio.Future] | None = None  # version, from a kept file, the task
        self.snapshot: Snapshot | None = None  # on disk: the web process's store, reopened after a write (snapshot.py)
        if settings.store_dir is not None and local is not None and not _is_url(settings.store_dir):
            self.snapshot = Snapshot(settings, local)
        # Bounded queries answered in this process (`_inline`): from the store the workers read, never a remote one.
        self.inline = settings.inline and local is not None and not _is_url(settings.store_dir)
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._all: set[Worker] = set()
        self._write = asyncio.Lock()
        self._instance = secrets.token_hex(6)  # answers of an earlier run of the server never match this one's
        self._writes = 0
        self._tasks: set[asyncio.Task] = set()

    @property
    def data_version(self) -> str:
        """A name for the data the workers hold now; every write (update) changes it."""
        return f"{self._instance}.{self._writes}"

    def _snapshot(self) -> bytes | None:
        if self.settings.store_dir is not None or self.local is None:
            return None
        return to_snapshot(self.local)

    async def start(self) -> None:
        snapshot = self._snapshot()
        spawned = self._spawned + [None] * (self.settings.workers - len(self._spawned))
        self._spawned = []
        workers = await asyncio.gather(*(start_worker(self.settings, snapshot, early) for early in spawned))
        for w in workers:
            self._all.add(w)
            self.idle.put_nowait(w)

    def _retire(self, worker: Worker) -> None:
        self._all.discard(worker)
        worker.stop()
        task = asyncio.ensure_future(self._replace())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self) -> None:
        worker = await start_worker(self.settings, self._snapshot())
        self._all.add(worker)
        self.idle.put_nowait(worker)

    async def _acquire(self, deadline: float) -> Worker:
        if not self.idle.empty():  # the usual case (the admission gate lets in as many requests as there are
            return self.idle.get_nowait()  # workers): no task and no timer for a wait that will not happen
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(self.idle.get(), max(0.01, deadline - loop.time()))
        except TimeoutError:
            raise Busy from None

    async def _run(self, worker: Worker, request: Request | Changes, deadline: float, *, release: bool = True
                   ) -> tuple[Answer, Changes | None]:
        """Run on `worker`; give it back when done (unless `release` is off), or replace it when it ran out of time
        or died. A streamed answer holds its worker until its last piece is read (`_streamed`)."""
        loop = asyncio.get_running_loop()
        try:
            result = await worker.call(request, max(0.01, deadline - loop.time()))
        except (EOFError, OSError):
            self._retire(worker)
            return error(503, "A query worker stopped unexpectedly; it is being replaced. Try again."), None
        if result is None:
            self._retire(worker)
            raise TimeLimitExceeded
        answer, changes, streamed = result
        if streamed:
            pieces = self._streamed(worker, deadline, release=release)
            # Started at once: from here on, finishing it, closing it or losing it (asyncio then closes it) gives
            # the worker back or replaces it, even when the response is never sent.
            try:
                first = await anext(pieces, b"")
            except TimeoutError:
                raise TimeLimitExceeded from None
            except (EOFError, OSError):
                return error(503, "A query worker stopped while writing the result; it is being replaced."), None
            answer = Answer(answer.status, answer.media_type, b"", answer.headers, pieces=_after(first, pieces))
        elif release:
            self.idle.put_nowait(worker)
        return answer, changes

    async def _streamed(self, worker: Worker, deadline: float, *, release: bool) -> AsyncIterator[bytes]:
        """The pieces of a streamed answer; then the worker is given back. One that failed, ran past the time limit
        or was left half read (the client went away) is replaced: the response ends unfinished, as a client can
        tell (chunked encoding without its last chunk)."""
        finished = False
        try:
            async for piece in worker.pieces(deadline):
                yield piece
            finished = True
        finally:
            if not finished:
                self._retire(worker)
            elif release:
                self.idle.put_nowait(worker)

    async def dispatch(self, request: Request) -> Answer:
        """The answer to `request`: from the maintained aggregates when they hold it, else from a worker.

        Raises Busy when no worker came free within one time limit, and TimeLimitExceeded when the request ran
        longer than the time limit once started.
        """
        loop = asyncio.get_running_loop()
        if isinstance(request, UpdateRequest):
            async with self._write:
                return await self._update(request, loop.time() + self.settings.timeout)
        if isinstance(request, QueryRequest) and request.inline:
            small = self.inline_answer(request)
            if small is not None:
                return small
        if isinstance(request, QuestionRequest) and request.name in HELD and not self._write.locked():
            version = self.aggregates_version()
            held = await self._aggregates_of(version)
            kept = held.answer(request, version=version) if held is not None else None
            if kept is not None:
                return kept
        worker = await self._acquire(loop.time() + self.settings.timeout)
        answer, _ = await self._run(worker, request, loop.time() + self.settings.timeout)
        return answer

    answer = dispatch  # the name the routers use

    def inline_answer(self, request: QueryRequest) -> Answer | None:
        """The answer to a query whose cost its text bounds (bounded.py), from this process's store, when it is
        small; else None (the workers answer). Only while no update is under way, so this store holds what the
        workers hold: in memory the one build every update is applied to, on disk the store reopened at the
        version the workers read (snapshot.py). Runs on the event loop: a single index lookup that writes at most
        INLINE_ROWS rows, so it needs no time limit; the admission gate has already let it in."""
        if not self.inline or self._write.locked():
            return None
        if request.default_graphs or request.named_graphs or not is_bounded(request.sparql):
            return None
        store = self.snapshot.fresh() if self.snapshot is not None else self.local
        if store is None:
            return None
        engine = Engine(store, self.settings.base, self.settings.max_rows)
        return engine.small_answer(request, rows=INLINE_ROWS, size=INLINE_BYTES)

    async def _update(self, request: UpdateRequest, deadline: float) -> Answer:
        """Evaluate an update on one worker, then ship its changes to the others. All workers are taken first and
        given back only when all hold the changes, so no query sees some workers changed and others not."""
        loop = asyncio.get_running_loop()
        taken: list[Worker] = []
        try:
            for _ in range(self.settings.workers):
                taken.append(await self._acquire(deadline))
        except Busy:
            self._give_back(taken)
            raise
        first, rest = taken[0], taken[1:]
        try:
            try:
                answer, changes = await self._run(first, request, loop.time() + self.settings.timeout,
                                                  release=False)
            except TimeLimitExceeded:
                self._give_back(rest)
                raise
            try:
                if answer.status != 200 or changes is None:
                    return answer
                if self.local is not None:
                    apply_changes(self.local, changes)  # new workers start from this store
                for w in rest:
                    try:
                        await self._run(w, changes, loop.time() + max(self.settings.timeout, 60), release=False)
                    except TimeLimitExceeded:
                        continue  # that worker was replaced by one started from the changed store
            finally:
                self._give_back(taken)
        finally:
            # Whatever the outcome, the data may have changed: a new version, so no answer kept before is reused.
            # Bumped once the in-memory store holds the change (no await in between, so no worker answers first):
            # a version read meanwhile (an upload's checker, in a thread) names the data before it.
            self._writes += 1
        await self.refresh_aggregates()
        return answer

    def _give_back(self, workers: list[Worker]) -> None:
        """Make idle again those of `workers` that were not stopped meanwhile."""
        for w in workers:
            if w in self._all:
                self.idle.put_nowait(w)

    def aggregates_version(self) -> str:
        """What the maintained aggregates must be of: the data the workers hold (and, on disk, the store's version:
        a CLI write while the server runs changes it)."""
        if self.snapshot is None:
            return self.data_version
        return f"{self.data_version}/{store_version(self.settings)}"

    def _compute_aggregates(self, version: str) -> "Aggregates":
        """The aggregates of the current data (run in a thread): in memory computed by SPARQL; on disk the ones kept
        next to the store when they are its current ones, else computed (a scan) and kept."""
        from imri_kg.questions.aggregates import current_aggregates, read_aggregates

        base, cap = self.settings.base, self.settings.max_rows
        if self.snapshot is not None:
            fresh = current_aggregates(self.settings.store_dir, self.snapshot.fresh(), base=base, max_rows=cap)
        else:
            fresh = read_aggregates(self.local, base=base, version=version, max_rows=cap)
        fresh.version = version  # the server's name for these data: what its requests are keyed by
        return fresh

    def _start_aggregates(self, version: str) -> tuple[str, bool, asyncio.Future]:
        """Begin computing (or reading) the aggregates of `version` in a thread, unless that is under way."""
        if self._aggregating is not None and self._aggregating[0] == version:
            return self._aggregating
        from imri_kg.questions.aggregates import has_current_aggregates

        kept = self.snapshot is not None and has_current_aggregates(self.settings.store_dir)

        async def run() -> None:
            fresh = await asyncio.get_running_loop().run_in_executor(None, self._compute_aggregates, version)
            if version == self.aggregates_version():
                self.aggregates = fresh

        task = asyncio.ensure_future(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self._aggregating = (version, kept, task)
        return self._aggregating

    def read_kept_aggregates(self) -> None:
        """On disk: read the aggregates kept next to the store in the background, when they are current (the first
        question they hold waits for them: a read, not a scan). Otherwise they are computed when first asked for."""
        if self.snapshot is None:
            return
        from imri_kg.questions.aggregates import has_current_aggregates

        if has_current_aggregates(self.settings.store_dir):
            self._start_aggregates(self.aggregates_version())

    async def _aggregates_of(self, version: str) -> "Aggregates | None":
        """The aggregates of `version`: ready, or read now from a kept file; else None while they are computed in the
        background (the first question asks for that), and the workers answer meanwhile."""
        held = self.aggregates
        if held is not None and held.version == version:
            return held
        if self.local is None or _is_url(self.settings.store_dir):
            return None
        _, kept, task = self._start_aggregates(version)
        if kept:
            with contextlib.suppress(Exception):  # a broken file: the workers answer
                await asyncio.shield(task)
        held = self.aggregates
        return held if held is not None and held.version == version else None

    async def refresh_aggregates(self) -> None:
        """Compute the maintained aggregates of the current data now (in memory: after the build and every update)."""
        if self.local is None or _is_url(self.settings.store_dir):
            return
        self._aggregating = None
        version = self.aggregates_version()
        _, _, task = self._start_aggregates(version)
        await asyncio.shield(task)

    async def close(self) -> None:
        workers = list(self._all)
        self._all.clear()
        for w in workers:
            w.stop()
        for task in list(self._tasks):
            task.cancel()
        for process, parent in self._spawned:  # launched early but never started (the app never ran)
            process.kill()
            process.wait(5)
            parent.close()


__all__ = ["Busy", "Pool", "TimeLimitExceeded", "open_read_store", "to_snapshot"]
