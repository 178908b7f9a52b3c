"""Scratch folders that a killed process does not leave behind.

A process stopped by SIGKILL (the kernel's out-of-memory killer, a worker past its time limit, `kill -9`) runs no
clean-up, and an import's scratch files can take gigabytes. Each folder made here holds a lock file that the
process keeps locked (`flock`) while the folder is in use; the kernel drops the lock when the process ends, however
it ends. Making a folder first removes the folders of this kind whose lock is free: their owner has gone. Folders
without the lock file (made by anything else) are never touched.
"""

import os
import shutil
import tempfile
import time
import weakref
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: folders are made and removed as usual, and nothing is swept
    fcntl = None

LOCK = ".imri-owner"  # the lock file inside each folder
EVERY = 60.0  # seconds between two sweeps by one process
_last_sweep = float("-inf")


class Folder:
    """A temporary folder, as `tempfile.TemporaryDirectory` (`name`, `cleanup`, a context manager giving the
    name, removed when garbage), locked by this process until it is removed."""

    def __init__(self, prefix: str) -> None:
        if time.monotonic() - _last_sweep >= EVERY:
            sweep()
        self.name = tempfile.mkdtemp(prefix=prefix)
        self._remove = weakref.finalize(self, _remove, self.name, _hold(Path(self.name)) if fcntl else None)

    def cleanup(self) -> None:
        self._remove()

    def __enter__(self) -> str:
        return self.name

    def __exit__(self, *_exc: object) -> None:
        self.cleanup()


def _remove(name: str, lock: int | None) -> None:
    shutil.rmtree(name, ignore_errors=True)
    if lock is not None:
        os.close(lock)


def _hold(folder: Path) -> int | None:
    """Lock a new file, then give it its name, so that a sweep never sees the lock file unlocked. None where the
    file system has no locks (the folder is then never swept)."""
    pending = folder / (LOCK + ".new")
    fd = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        os.close(fd)
        os.unlink(pending)
        return None
    os.rename(pending, folder / LOCK)
    return fd


def sweep(root: str | os.PathLike | None = None) -> list[Path]:
    """Remove the scratch folders in `root` (the temporary folder) whose owner has gone; return them."""
    global _last_sweep
    _last_sweep = time.monotonic()
    if fcntl is None:
        return []
    removed = []
    try:
        entries = list(os.scandir(root or tempfile.gettempdir()))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith("imri-") or not _ours(entry):
            continue
        try:
            fd = os.open(os.path.join(entry.path, LOCK), os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
        except OSError:  # not a folder of ours, or not ours to read
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # its owner is alive
            os.close(fd)
            continue
        try:
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
        finally:
            os.close(fd)
    return removed


def _ours(entry: os.DirEntry) -> bool:
    """A real folder (not a link) owned by this user."""
    try:
        return entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid()
    except OSError:
        return False
