"""A query worker process: `main()` starts it (opens the store it is handed), then it answers requests until closed.

The pool (pool.py) starts each worker with `python -m imri_kg.api.worker FD`, FD being its end of a socket pair.
It imports pyoxigraph and the small modules of engine.py, nothing of the web application, so it is ready in a
fraction of a second. Messages on the socket are frames: one kind byte, a 4-byte big-endian length, the payload.

    pool -> worker   CONFIG (pickled dict: store, base, max_rows), SNAPSHOT (N-Quads, in-memory data only),
                     REQUEST (a pickled request of engine.py)
    worker -> pool   READY, then for each request HEAD (pickled status, media type, headers, changes, streamed)
                     and BODY; a streamed result (engine.py: an answer with `write`) comes as PIECE frames of
                     about PIECE_BYTES while pyoxigraph writes it, then BODY (the rest), or ABORT (a message)
                     when writing failed half way
"""

import os
import pickle
import socket
import struct
import subprocess
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from imri_kg.api.settings import Settings

CONFIG, SNAPSHOT, REQUEST, READY, HEAD, BODY, PIECE, ABORT = b"C", b"S", b"Q", b"R", b"H", b"B", b"P", b"X"
_FRAME = struct.Struct(">cI")
PIECE_BYTES = 256 * 1024


def worker_config(settings: "Settings") -> dict:
    """What a worker is told first: where the store is, the base IRI and the row cap."""
    store = None if settings.store_dir is None else str(settings.store_dir)
    return {"store": store, "base": settings.base, "max_rows": settings.max_rows}


def spawn_process(config: dict) -> tuple[subprocess.Popen, socket.socket]:
    """Launch a worker process and send it CONFIG; returns it and the parent's end of its socket. An on-disk store
    is opened at once; in memory it waits for SNAPSHOT (pool.py), then says READY."""
    parent, child = socket.socketpair()
    try:
        process = subprocess.Popen([sys.executable, "-m", "imri_kg.api.worker", str(child.fileno())],
                                   pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL)
    finally:
        child.close()
    send_frame(parent, CONFIG, pickle.dumps(config))
    return process, parent


SMALL = 64 * 1024  # a payload up to this size goes out with its frame header in one system call


def send_frame(sock: socket.socket, kind: bytes, payload: bytes | bytearray | memoryview = b"",
               then: bytes = b"") -> None:
    """Send one frame (and `then`, frames already packed): one system call when small, so that the reader wakes
    once per message, not once per piece of it."""
    header = _FRAME.pack(kind, len(payload))
    if len(payload) <= SMALL:
        sock.sendall(b"".join((header, payload, then)))
        return
    sock.sendall(header)
    sock.sendall(payload)
    if then:
        sock.sendall(then)


def frame(kind: bytes, payload: bytes = b"") -> bytes:
    """A frame packed as bytes."""
    return _FRAME.pack(kind, len(payload)) + payload


def _read_exactly(sock: socket.socket, n: int) -> bytes:
    data = bytearray(n)
    view, got = memoryview(data), 0
    while got < n:
        k = sock.recv_into(view[got:])
        if k == 0:
            raise EOFError
        got += k
    return bytes(data)


def read_frame(sock: socket.socket) -> tuple[bytes, bytes]:
    kind, n = _FRAME.unpack(_read_exactly(sock, _FRAME.size))
    return kind, _read_exactly(sock, n) if n else b""


def open_worker_store(config: dict, snapshot: bytes | None):
    """The worker's store: the on-disk store read-only, a SPARQL engine by URL, or the snapshot in memory."""
    from pyoxigraph import RdfFormat, Store, parse

    location = config.get("store")
    if location is not None and "://" in str(location):
        from imri_kg.store import open_store

        return open_store(location, base=config["base"])
    if location is not None:
        return Store.read_only(str(location))
    store = Store()
    if snapshot:
        # parse() keeps blank node labels (Store.load would rename them), so every worker holds the same nodes.
        # An in-memory store lists quads newest first and the snapshot is in that order, so adding them in
        # reverse gives a store that lists everything (pages, unordered results) in the order of the original.
        quads = list(parse(snapshot, format=RdfFormat.N_QUADS))
        quads.reverse()
        store.extend(quads)
    return store


def _on_disk(config: dict) -> str | None:
    location = config.get("store")
    return None if location is None or "://" in str(location) else str(location)


def _version(location: str | None) -> str:
    """The on-disk store's version (locking.py): it changes with every whole write and every swap."""
    if location is None:
        return ""
    from imri_kg.store.locking import read_version

    return read_version(location)


def main(fd: int) -> None:
    """Start a worker on socket `fd`: no network, guard outbound connections, open the store, say READY, answer
    requests, each from one snapshot of the store (reopened when a writer changed it on disk)."""
    from imri_kg.api.engine import Engine, respond
    from imri_kg.api.guard import install_socket_guard
    from imri_kg.api.sandbox import isolate_worker

    sock = socket.socket(fileno=fd)
    kind, payload = read_frame(sock)
    assert kind == CONFIG, kind
    config = pickle.loads(payload)
    isolate_worker(config.get("store"))  # below the parser: this process has no network at all (issue 17)
    install_socket_guard()
    snapshot = None
    if config.get("store") is None:
        kind, snapshot = read_frame(sock)
        assert kind == SNAPSHOT, kind
    location = _on_disk(config)
    version = _version(location)
    engine = Engine(open_worker_store(config, snapshot), config["base"], config["max_rows"])
    del snapshot
    send_frame(sock, READY)
    while True:
        try:
            kind, payload = read_frame(sock)
        except (EOFError, OSError):
            return
        request = pickle.loads(payload)
        if location is not None and _version(location) != version:  # a writer changed or swapped the store
            version = _version(location)
            engine = Engine(open_worker_store(config, None), config["base"], config["max_rows"])
        engine.changes = None
        answer = respond(engine, request)
        head = (answer.status, answer.media_type, answer.headers, engine.changes, answer.write is not None)
        head_bytes = pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL)
        if answer.write is None and len(answer.body) <= SMALL:  # head and body in one message
            send_frame(sock, HEAD, head_bytes, then=frame(BODY, answer.body))
        elif answer.write is None:
            send_frame(sock, HEAD, head_bytes)
            send_frame(sock, BODY, answer.body)
        else:
            send_frame(sock, HEAD, head_bytes)
            send_pieces(sock, answer.write)


class _Pieces:
    """A file-like sink for pyoxigraph's serializers: what they write goes to the pool in PIECE frames."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.buffer = sock, bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= PIECE_BYTES:
            send_frame(self.sock, PIECE, self.buffer)
            self.buffer.clear()
        return len(data)

    def flush(self) -> None:
        """Nothing held back: pieces go out at 256 KiB (write) and at the end of the answer."""


def send_pieces(sock: socket.socket, write: Callable[["_Pieces"], object]) -> None:
    """Send a result as pyoxigraph writes it: PIECE frames, then BODY with the rest, or ABORT on an error."""
    sink = _Pieces(sock)
    try:
        write(sink)
    except Exception as exc:  # noqa: BLE001 - the headers are sent: the pool must end the answer as failed
        send_frame(sock, ABORT, f"{type(exc).__name__}: {exc}".encode())
        return
    send_frame(sock, BODY, sink.buffer)


if __name__ == "__main__":
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    try:
        main(int(sys.argv[1]))
    except KeyboardInterrupt:
        os._exit(0)
