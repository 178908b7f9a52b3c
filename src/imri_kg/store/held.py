"""A bulk load that runs while this process validates what it loads, and whose end waits for the verdict.

Oxigraph's bulk loader adds its index files to the store only when its input ends (a reader, and this process's
own validation, see nothing of it until then), and a syntax error before the end leaves the store as it was
(checked at 1.5M and 9M quads: `bench/README.md`, 2026-11-27 14:30). So the loader can parse and sort an import's
files in a thread while the sheet is validated: its input is a named pipe that a second thread fills with the
files, then holds open until `finish` gives the last bytes (the import's start time), or `abandon` ends it with a
line that is not N-Triples, so that the loader stops and adds nothing. The loader reads the pipe itself (by path),
so it needs no Python, and no GIL, while it runs.
"""

import os
import threading
from collections.abc import Sequence
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store

from imri_kg.scratch import Folder

# Ends the loader's input without adding anything: a line cut short, then a line starting with NUL (never
# N-Triples: the loader stops with a syntax error).
ABANDON = b"\n\x00 abandoned\n"
CHUNK = 1 << 22  # bytes sent into the pipe at a time; a verdict to abandon is seen between chunks
# The loader's threads yield to validation (whose SPARQL rules, one thread, are what the verdict waits for): at equal
# priority, five busy threads on two cores gave validation 7-11.6 s instead of 6.4 s (bench/README.md).
NICE = 10


class HeldLoad:
    """`files` (N-Triples) bulk-loaded into `graph` of `store` in a thread, held before their end (see the module)."""

    def __init__(self, store: Store, files: Sequence[Path], graph: NamedNode) -> None:
        self.folder = Folder("imri-load-")
        self.pipe = Path(self.folder.name) / "load.nt"
        os.mkfifo(self.pipe, 0o600)
        self.tail: bytes | None = None
        self.released = threading.Event()
        self.error: BaseException | None = None
        self.feed_error: BaseException | None = None
        self.loader = threading.Thread(target=self._load, args=(store, graph), name="imri-bulk-load", daemon=True)
        self.feeder = threading.Thread(target=self._feed, args=(list(files),), name="imri-bulk-feed", daemon=True)
        self.loader.start()
        self.feeder.start()

    def _load(self, store: Store, graph: NamedNode) -> None:
        try:  # the threads the loader starts inherit this thread's priority (Linux: nice is per thread)
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
        except (AttributeError, OSError):
            pass
        try:
            store.bulk_load(path=str(self.pipe), format=RdfFormat.N_TRIPLES, to_graph=graph)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller by finish()
            self.error = exc

    def _feed(self, files: list[Path]) -> None:
        try:
            with open(self.pipe, "wb", buffering=0) as out:  # waits for the loader to open the pipe
                try:
                    for path in files:
                        if not self._send(path, out.fileno()):
                            break
                    self.released.wait()
                except BrokenPipeError:
                    raise
                except BaseException as exc:  # noqa: BLE001 - a file that cannot be read: the load must not end whole
                    self.feed_error, self.tail = exc, None
                out.write(self.tail if self.tail is not None else ABANDON)
        except BrokenPipeError:  # the loader stopped; its own error says why
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the caller by finish()
            self.feed_error = exc

    def _send(self, path: Path, out: int) -> bool:
        """Send one file into the pipe; False when the load was abandoned meanwhile."""
        with open(path, "rb") as f:
            size, done = os.fstat(f.fileno()).st_size, 0
            while done < size:
                if self.released.is_set() and self.tail is None:
                    return False
                sent = os.sendfile(out, f.fileno(), done, min(size - done, CHUNK))
                if sent == 0:
                    raise OSError(f"{path} ended before its {size} bytes")
                done += sent
        return True

    def finish(self, tail: bytes) -> None:
        """End the input with `tail` and wait for the loader: the store then holds everything, or (an error raised
        here) nothing of it."""
        self.tail = tail
        self._end()
        if self.feed_error is not None:
            raise self.feed_error
        if self.error is not None:
            raise self.error

    def abandon(self) -> None:
        """Stop the loader; the store keeps nothing of this load."""
        self.tail = None
        self._end()

    def _end(self) -> None:
        self.released.set()
        self.loader.join()
        if self.feeder.is_alive():  # the loader ended without reading to the end: let the feeder's open or write fail
            try:
                os.close(os.open(self.pipe, os.O_RDONLY | os.O_NONBLOCK))
            except OSError:
                pass
        self.feeder.join()
        self.folder.cleanup()
