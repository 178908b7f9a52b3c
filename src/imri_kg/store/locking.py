"""One writer at a time per on-disk store: a lock across processes, and a version that readers watch.

Every command that writes a store (build, import, load, the crosswalk imports, project replacement) holds an
exclusive `flock` on the lock file next to the store (`.DIR.lock`, the one bulk loads always used) from before it
reads the store until its write is whole. A second writer waits up to `timeout` seconds, then stops with
"store busy" (an InputError: exit 2), never writing over the first. The lock is the kernel's, so a killed writer
releases it. When a write succeeds, the writer records a new version (`.DIR.version`, replaced atomically); a
server reading the store compares it before each request and reopens the store when it changed (api/snapshot.py).
"""

import fcntl
import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from imri_kg.errors import InputError

DEFAULT_TIMEOUT = 30.0
_HELD: dict[Path, int] = {}  # lock files this process holds, with their depth: the lock is re-entrant
_GUARD = threading.Lock()


class StoreBusy(InputError):
    """Another process held the store's write lock for the whole timeout."""


def lock_path(store_dir: Path) -> Path:
    store_dir = Path(store_dir).absolute()
    return store_dir.parent / f".{store_dir.name}.lock"


def version_path(store_dir: Path) -> Path:
    store_dir = Path(store_dir).absolute()
    return store_dir.parent / f".{store_dir.name}.version"


def read_version(store_dir: Path | str) -> str:
    """The store's version: changes with every whole write (and with the directory itself, on a swap).

    Read before every query, so with bare system calls (open, read, close, stat), not pathlib's text files."""
    where = os.path.abspath(store_dir)
    head, name = os.path.split(where)
    try:
        fd = os.open(os.path.join(head, f".{name}.version"), os.O_RDONLY)
        try:
            written = os.read(fd, 4096).decode("utf-8", "replace")
        finally:
            os.close(fd)
    except OSError:
        written = ""
    try:
        st = os.stat(where)
        return f"{st.st_dev}.{st.st_ino}.{written}"
    except OSError:
        return f"missing.{written}"


@contextmanager
def write_lock(store_dir: Path, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the store's write lock; bump its version when the block ends without an error."""
    path = lock_path(store_dir)
    timeout = float(os.environ.get("IMRI_KG_LOCK_TIMEOUT", DEFAULT_TIMEOUT)) if timeout is None else timeout
    with _GUARD:
        depth = _HELD.get(path, 0)
        if depth:
            _HELD[path] = depth + 1
    if depth:
        try:
            yield
        finally:
            with _GUARD:
                _HELD[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(f"store busy: another imri-kg command has been writing to it for over "
                                    f"{timeout:g} s; nothing was written. Try again when it has finished.",
                                    path=Path(store_dir)) from None
                time.sleep(0.05)
        with _GUARD:
            _HELD[path] = 1
        try:
            try:
                yield
            except SystemExit:  # a command that ends with sys.exit (`import DIR`) has finished its write
                _bump(store_dir)
                raise
            _bump(store_dir)
        finally:
            with _GUARD:
                del _HELD[path]
            fcntl.flock(handle, fcntl.LOCK_UN)


def holds_lock(store_dir: Path) -> bool:
    with _GUARD:
        return bool(_HELD.get(lock_path(store_dir)))


def _bump(store_dir: Path) -> None:
    target = version_path(store_dir)
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.write_text(secrets.token_hex(8))
        tmp.replace(target)
    except OSError:
        pass  # a full disk: readers still notice a swap by the directory's identity
