"""Writing large RDF data into an on-disk store, all or nothing even when the process is killed.

Oxigraph's bulk loader is fast because it writes index files directly, but it is not atomic: a crash or a syntax
error half way leaves part of the data behind. Two ways keep a killed write from showing.

`load_files` loads into a side store next to the target, never into the target itself, and swaps the finished
side store in by renaming directories:

    DIR                 the store (untouched until the swap)
    .DIR.loading        a checkpoint of DIR (hard links, cheap) with the new files bulk-loaded into it
    .DIR.loaded         an empty file written (and synced) once the load into .DIR.loading is complete
    .DIR.replaced       the old DIR between the two renames of the swap, then deleted
    .DIR.lock           held (flock) by the loader from start to end, as by every writer (locking.py)

`undo_point` (the import of a coding sheet) writes into the open store itself, after saving how it was:

    .DIR.undo           a checkpoint of DIR taken before the write (hard links)
    .DIR.journal        written (and synced) once .DIR.undo is complete; names the graph being written; deleted
                        when the write is whole, before .DIR.undo

A process killed at any moment leaves one of these states, and `recover` (run by every `open_store` and by the
server before it opens the store) finishes or forgets the load: `.DIR.loading` without `.DIR.loaded` is an
unfinished load (forgotten: none of it); with it, a finished load killed before or during the swap (the swap is
completed: all of it). A journal with its `.DIR.undo` is an unfinished write: the checkpoint replaces DIR, so the
store is as it was before the write. Left-over `.DIR.replaced`, `.DIR.loaded` and `.DIR.undo` (without a journal:
a checkpoint not finished, or a write that was whole) are deleted.
"""

import fcntl
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pyoxigraph import NamedNode, RdfFormat, Store

from imri_kg.errors import InputError
from imri_kg.limits import check_rdf_file
from imri_kg.store.locking import holds_lock, write_lock
from imri_kg.store.names import DEFAULT_BASE, FORMATS, graph_iri

# Formats the bulk loader streams (RDF/XML and JSON-LD it must hold in memory, but it reads them too).
BULK_FORMATS = {**FORMATS, ".n3": RdfFormat.N3}


@dataclass(frozen=True)
class Loaded:
    """What a bulk load did: the files and bytes read, the quads the store held before and holds now, seconds."""

    files: int
    bytes: int
    before: int
    after: int
    seconds: float

    @property
    def added(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class Sides:
    """The paths next to a store that a load uses."""

    store: Path
    loading: Path
    loaded: Path
    replaced: Path
    lock: Path
    undo: Path
    journal: Path


def side_paths(store_dir: Path) -> Sides:
    store_dir = Path(store_dir).absolute()
    parent, name = store_dir.parent, store_dir.name
    return Sides(store_dir, *(parent / f".{name}.{part}"
                              for part in ("loading", "loaded", "replaced", "lock", "undo", "journal")))


_WRITING: set[Path] = set()  # stores that this process is writing inside an undo point (never undone under it)


@contextmanager
def _locked(lock_path: Path, *, wait: bool) -> Iterator[bool]:
    """Hold the load lock of a store; yields False when `wait` is off and another process holds it."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(store_dir: Path) -> str | None:
    """Finish or forget a load that was killed; returns what was done ('completed', 'forgotten', 'cleaned')."""
    sides = side_paths(store_dir)
    if not any(p.exists() for p in (sides.loading, sides.loaded, sides.replaced, sides.undo, sides.journal)):
        return None
    if holds_lock(store_dir):  # this process is the writer: nobody else can be half way
        return _repair(sides)
    with _locked(sides.lock, wait=False) as mine:
        if mine:
            return _repair(sides)
    if sides.store.exists():
        return None  # a load is running; the store stays as it was until the load swaps it
    with _locked(sides.lock, wait=True):  # the store appears when the running load has swapped it in
        return _repair(sides)


def _repair(sides: Sides) -> str | None:
    """Complete a finished load's swap, or forget an unfinished load; undo an unfinished write; then delete what
    is left over."""
    done = None
    if sides.store in _WRITING:  # this process is writing it now: its undo point is not left over
        return None
    if sides.loading.exists() and sides.loaded.exists():
        if sides.store.exists():
            os.rename(sides.store, sides.replaced)
        os.rename(sides.loading, sides.store)
        _fsync_dir(sides.store.parent)
        done = "completed"
    elif sides.loading.exists():
        shutil.rmtree(sides.loading)
        done = "forgotten"
    if sides.replaced.exists():
        shutil.rmtree(sides.replaced)
        done = done or "cleaned"
    if sides.loaded.exists():
        sides.loaded.unlink()
        done = done or "cleaned"
    return _undo(sides) or done


def _undo(sides: Sides) -> str | None:
    """Put back the checkpoint of a write that was killed; delete an undo point that is not needed."""
    if sides.journal.exists() and sides.undo.exists():
        if sides.store.exists():
            if sides.replaced.exists():
                shutil.rmtree(sides.replaced)
            os.rename(sides.store, sides.replaced)
        os.rename(sides.undo, sides.store)
        _fsync_dir(sides.store.parent)
        sides.journal.unlink()
        _fsync_dir(sides.store.parent)
        shutil.rmtree(sides.replaced, ignore_errors=True)
        return "undone"
    if sides.journal.exists():  # its checkpoint is gone (deleted by hand): nothing to put back
        sides.journal.unlink()
        return "cleaned"
    part = sides.journal.with_name(sides.journal.name + ".part")  # a journal not finished: its checkpoint goes
    if part.exists():
        part.unlink()
    if sides.undo.exists():
        shutil.rmtree(sides.undo)
        return "cleaned"
    return None


class UndoPoint:
    """What `undo_point` yields: call `restored()` when the block has itself put the store back as it was."""

    def __init__(self) -> None:
        self.whole = False

    def restored(self) -> None:
        self.whole = True


@contextmanager
def undo_point(store: Store, store_dir: Path, graph: NamedNode) -> Iterator[UndoPoint]:
    """Write into `store`, the on-disk store at `store_dir`, inside this block so that if the process is killed
    (or the block fails and does not call `restored()`), the store is put back as it was when it is next opened.

    Holds the store's write lock. A checkpoint of the store (hard links to its immutable files: cheap whatever its
    size) is taken first, then a journal naming `graph` is written and synced; when the block ends without an
    error the store is flushed and the journal deleted, then the checkpoint.
    """
    sides = side_paths(store_dir)
    with write_lock(store_dir):
        if sides.journal.exists():
            raise InputError("a write into this store was killed and has not been undone yet; open it with "
                             "imri-kg (open_store), which undoes it, then write again.", path=store_dir)
        if sides.undo.exists():
            shutil.rmtree(sides.undo)
        store.backup(str(sides.undo))
        _fsync_dir(sides.undo)
        part = sides.journal.with_name(sides.journal.name + ".part")
        with open(part, "w", encoding="utf-8") as journal:
            journal.write(f"{graph.value}\n")
            journal.flush()
            os.fsync(journal.fileno())
        os.rename(part, sides.journal)
        _fsync_dir(sides.store.parent)
        point = UndoPoint()
        _WRITING.add(sides.store)
        try:
            try:
                yield point
            except BaseException:
                if point.whole:
                    _forget(sides)
                raise  # otherwise the journal stays: the next open puts the checkpoint back
            store.flush()
            _forget(sides)
        finally:
            _WRITING.discard(sides.store)


def _forget(sides: Sides) -> None:
    """The write is whole (or undone in place): drop the journal, then the checkpoint."""
    sides.journal.unlink()
    _fsync_dir(sides.store.parent)
    shutil.rmtree(sides.undo, ignore_errors=True)


def to_graph(name: str | None, *, base: str = DEFAULT_BASE) -> NamedNode:
    """The graph that the triples of triple-only files go to: a short name under <base/graph/> or a full IRI."""
    name = name or "load"
    if ":" in name:
        try:
            return NamedNode(name)
        except ValueError:
            raise InputError(f'--graph "{name}" is not an IRI.') from None
    return graph_iri(name, base=base)


class _Counted:
    """A binary file that reports how many bytes were read (for the progress bar)."""

    def __init__(self, handle: IO[bytes], tick) -> None:
        self.handle, self.tick = handle, tick

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.tick(len(data))
        return data

    def readinto(self, buffer) -> int:
        n = self.handle.readinto(buffer)
        self.tick(n or 0)
        return n or 0

    def readable(self) -> bool:
        return True


def _check_inputs(paths: Sequence[Path]) -> list[tuple[Path, RdfFormat]]:
    checked = []
    for path in map(Path, paths):
        fmt = BULK_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise InputError(f"unknown RDF file type; give one of {', '.join(BULK_FORMATS)}.", path=path)
        if not path.is_file():
            raise InputError("file not found.", path=path)
        if fmt in (RdfFormat.JSON_LD, RdfFormat.RDF_XML):  # parsers that recurse (or read all): nesting first
            check_rdf_file(path, max_bytes=None)
        checked.append((path, fmt))
    return checked


def load_files(paths: Sequence[Path], *, store_dir: Path, graph: str | None = None, base: str = DEFAULT_BASE,
               progress: bool | None = None) -> Loaded:
    """Bulk-load RDF files into the on-disk store `store_dir` (created when missing): all of them, or none.

    Triples of triple-only formats go to `graph` (default <base/graph/load>); quads keep their graphs. A syntax
    error in any file leaves the store as it was and is reported with the file and position.
    `progress`: a progress bar over the bytes read (None: only when standard error is a terminal).
    """
    inputs = _check_inputs(paths)
    target = to_graph(graph, base=base)
    sides = side_paths(store_dir)
    start = time.perf_counter()
    with write_lock(store_dir):
        _repair(sides)  # what a killed load of this store left
        before = 0
        if sides.store.exists():
            current = _open(sides.store)
            before = len(current)
            current.backup(str(sides.loading))  # a checkpoint: hard links to the immutable files, so it is cheap
            del current
        total = sum(p.stat().st_size for p, _ in inputs)
        try:
            after = _load_into(sides.loading, inputs, target, total=total, progress=progress)
        except BaseException:
            shutil.rmtree(sides.loading, ignore_errors=True)
            raise
        _fsync_dir(sides.loading)
        with open(sides.loaded, "wb") as marker:  # from here on, the load counts as done
            os.fsync(marker.fileno())
        _fsync_dir(sides.store.parent)
        _repair(sides)  # the swap
    return Loaded(len(inputs), total, before, after, time.perf_counter() - start)


def _load_into(path: Path, inputs: list[tuple[Path, RdfFormat]], target: NamedNode, *, total: int,
               progress: bool | None) -> int:
    """Bulk-load `inputs` into the store at `path`; the number of quads it then holds."""
    from tqdm import tqdm

    side = _open(path)
    with tqdm(total=total, unit="B", unit_scale=True, desc="load",
              disable=None if progress is None else not progress, leave=False) as bar:
        for file, fmt in inputs:
            graph = None if fmt.supports_datasets else target
            try:
                if bar.disable:  # the loader reads the file itself: about 15 % faster than through Python
                    side.bulk_load(path=str(file), format=fmt, to_graph=graph)
                else:
                    with open(file, "rb") as handle:
                        side.bulk_load(_Counted(handle, bar.update), format=fmt,  # type: ignore[arg-type]
                                       to_graph=graph)
            except SyntaxError as exc:
                raise InputError(f"is not valid {file.suffix[1:].upper()}: {exc}", path=file) from None
            except (OSError, ValueError) as exc:
                raise InputError(f"cannot be loaded: {exc}", path=file) from None
    side.flush()
    return len(side)


def _open(path: Path) -> Store:
    try:
        return Store(str(path))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", path=path) from None


def _fsync_dir(path: Path) -> None:
    """Make the renames inside `path` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
