"""Checking uploaded files in a bounded process of its own, never in the server's process.

Reading an upload (openpyxl, the RDF parsers) and validating it (pySHACL) is the most expensive thing a client
without a token can ask for: a 9 KB workbook once took 32 s of CPU and 680 MB, kept after the answer, and a
parser crash took the whole server down. So uploads are read and checked in a checker process: started on first
use, without network (sandbox.py), with an address-space cap (a hostile file ends in MemoryError, not in the
OOM killer) and a wall-clock limit (past it the process is killed). Size and nesting limits (limits.py) are
applied before any parser sees the bytes. One upload is checked at a time (pyparsing, under pySHACL, is not
thread-safe; the admission gate queues the others). A checker that crashed, ran out of time or memory, or grew
large is replaced; its client gets a clear 4xx.
"""

import asyncio
import multiprocessing
import re
import resource
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from imri_kg.errors import InputError
from imri_kg.scratch import Folder

if TYPE_CHECKING:
    from imri_kg.api.pool import Pool
    from imri_kg.api.settings import Settings
    from imri_kg.importers.files import Checked

_CONTEXT = multiprocessing.get_context("spawn")
MAX_NAME = 100          # characters of an uploaded file's name that are kept
RETIRE_RSS_KB = 700_000  # a checker that grew past this (peak resident set) is replaced after answering


class UploadRefused(Exception):
    """The upload could not be checked within the limits; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Limits:
    seconds: float = 30.0             # wall clock for one upload, reading and validating
    memory_bytes: int = 3 * 2**30 // 2  # address space of the checker (it starts at about 300 MB)


def safe_name(filename: str | None, *, suffixes: tuple[str, ...] = ()) -> str:
    """A file name safe to write: its last part, plain characters only, at most MAX_NAME characters (the
    extension kept)."""
    name = re.sub(r"[^\w.\- ]", "_", Path(filename or "upload").name).strip(" .") or "upload"
    if len(name) > MAX_NAME:
        suffix = Path(name).suffix[:16]
        name = name[: MAX_NAME - len(suffix)] + suffix
    return name


def upload_iri(name: str, *, base: str) -> str:
    """Where an uploaded file is, for its relative IRIs (`<>` included; RDF 1.1: the document's location): under the
    server's base, by the name the client gave, `{base}upload/NAME`. The same on every upload of the file, and it
    names no folder of the server (the checker writes the bytes to a new temporary one each time)."""
    return f"{base.rstrip('/')}/upload/{quote(name)}"


def check_upload(store: object, path: Path, *, base: str) -> "Checked":
    """Apply the size and nesting limits for the file's type, then read and validate it (imports.check_file, its
    relative IRIs against `upload_iri`); a .zip is a project folder, answered with a ZipReport."""
    from imri_kg.importers.files import check_file
    from imri_kg.importers.sheets import SHEET_SUFFIXES
    from imri_kg.limits import check_rdf_file, check_xlsx

    suffix = path.suffix.lower()
    if suffix == ".zip":  # a project folder: checked as `imri-kg validate DIR` (projects/archive.py)
        from imri_kg.projects.archive import check_project_zip
        return check_project_zip(store, path, base=base)  # type: ignore[arg-type,return-value]
    if suffix == ".xlsx":
        check_xlsx(path)
    elif suffix not in SHEET_SUFFIXES:
        check_rdf_file(path)
    return check_file(store, path, base=base, document_iri=upload_iri(path.name, base=base))  # type: ignore[arg-type]


def _serve(conn: Connection, settings: "Settings", limits: Limits) -> None:
    """The checker process: leave the network, open the store (or load the server's in-memory store, sent as
    N-Quads), cap memory, then check uploads until the pipe closes."""
    from imri_kg.api.pool import open_read_store
    from imri_kg.api.sandbox import isolate_worker, limit_memory

    isolate_worker(settings.store_dir)
    served = conn.recv_bytes()
    if served:
        from pyoxigraph import RdfFormat, Store

        store = Store()
        store.bulk_load(served, format=RdfFormat.N_QUADS)
        del served
    else:
        store = open_read_store(settings)
    limit_memory(limits.memory_bytes)
    conn.send("ready")
    while True:
        try:
            name, data = conn.recv()
        except (EOFError, OSError):
            return
        kind, value = _check_one(store, name, data, base=settings.base)
        del data
        retire = kind == "memory" or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > RETIRE_RSS_KB
        conn.send((kind, value, retire))  # memory a big check took is not given back to the OS: start afresh
        if retire:
            return


def _check_one(store: object, name: str, data: bytes, *, base: str) -> tuple[str, object]:
    """("ok", Checked), ("input", message) or ("memory", "")."""
    with Folder("imri-upload-") as folder:
        path = Path(folder) / name
        try:
            path.write_bytes(data)
            return "ok", check_upload(store, path, base=base)
        except InputError as exc:
            return "input", str(exc).replace(str(path), name)
        except MemoryError:
            return "memory", ""
        except RecursionError:
            return "input", f"{name}: is nested too deeply to read."
        except Exception as exc:  # noqa: BLE001 - a library's error on a hostile file is the file's fault
            return "input", f"{name}: cannot be read ({type(exc).__name__}: {str(exc)[:300]})".replace(str(path),
                                                                                                     name)


class UploadChecker:
    """The checker process of one server, started on first use and replaced whenever it stops.

    An upload is checked against the store as the server holds it now (issue 13, item 1: cross-record rules see
    what is already stored): a checker is tied to one version of the data (the on-disk store's, or the pool's
    count of writes to its in-memory store, which is sent to the checker), and replaced when the data change.
    """

    def __init__(self, settings: "Settings", limits: Limits | None = None) -> None:
        self.settings = settings
        self.limits = limits or Limits()
        self._conn: Connection | None = None
        self._process = None
        self._lock = threading.Lock()
        self._version: str | None = None  # of the data the running checker holds

    def _current(self, pool: "Pool | None") -> str:
        """The version of the data an upload is checked against now."""
        from imri_kg.api.snapshot import store_version

        if self.settings.store_dir is not None:
            return store_version(self.settings)
        return pool.data_version if pool is not None and pool.local is not None else ""

    def _start(self, pool: "Pool | None" = None) -> None:
        conn, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_serve, args=(child, self.settings, self.limits), daemon=True,
                                   name="imri-kg-checker")
        process.start()
        child.close()
        try:
            if self.settings.store_dir is None and pool is not None and pool.local is not None:
                from imri_kg.api.pool import to_snapshot

                conn.send_bytes(to_snapshot(pool.local))  # the server's in-memory store, with its web imports
            else:
                conn.send_bytes(b"")  # the checker opens (or builds) the store itself
            ready = conn.poll(120) and conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            process.kill()
            process.join(5)
            raise UploadRefused(503, "The upload checker could not start; the server is misconfigured.")
        self._conn, self._process = conn, process

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._conn = self._process = None

    def check_sync(self, data: bytes, name: str, pool: "Pool | None" = None) -> "Checked":
        """Check one upload (blocking) against the store as it is now (`pool`: the server's, when in memory);
        raises InputError or UploadRefused."""
        with self._lock:
            version = self._current(pool)
            if self._process is None or not self._process.is_alive() or version != self._version:
                self._stop()
                self._start(pool)
                self._version = version
            assert self._conn is not None
            try:
                self._conn.send((name, data))
                if not self._conn.poll(self.limits.seconds):
                    self._stop()
                    raise UploadRefused(422, f"{name}: checking it took longer than this server's limit of "
                                             f"{self.limits.seconds:g} s, so it was stopped. Split the file.")
                kind, value, retire = self._conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                died = self._process
                died.join(5)
                self._stop()
                if died.exitcode == -signal.SIGABRT:  # Rust's answer to a failed allocation: the memory cap
                    raise UploadRefused(413, self._memory_message(name)) from None
                raise UploadRefused(400, f"{name}: the checker stopped while reading this file (it is malformed "
                                         "in a way its parser cannot survive); it was not checked.") from None
            if retire:
                self._stop()
        if kind == "ok":
            return value
        if kind == "memory":
            raise UploadRefused(413, self._memory_message(name))
        raise InputError(value)

    def _memory_message(self, name: str) -> str:
        return (f"{name}: checking it needs more memory than this server allows "
                f"({self.limits.memory_bytes // 2**20} MB); split the file.")

    async def check(self, data: bytes, name: str, pool: "Pool | None" = None) -> "Checked":
        return await asyncio.get_running_loop().run_in_executor(None, self.check_sync, data, name, pool)

    def close(self) -> None:
        with self._lock:
            self._stop()
