"""The network sandbox of the worker processes: Oxigraph's own HTTP client, which no Python guard sees, reaches
nothing once the process has left the network (issue 17, item 1)."""

import multiprocessing
import socket
import threading
from collections.abc import Iterator

import pytest

from imri_kg.api.sandbox import drop_network, has_network


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def _service_query(url: str, isolate: bool, out: multiprocessing.Queue) -> None:
    from pyoxigraph import Store

    dropped = drop_network() if isolate else False
    try:
        list(Store().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
        out.put((dropped, has_network(), "answered"))
    except Exception as exc:  # noqa: BLE001 - the error is what the test looks at
        out.put((dropped, has_network(), f"{type(exc).__name__}: {exc}"))


def _run(url: str, *, isolate: bool) -> tuple[bool, bool, str]:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    process = context.Process(target=_service_query, args=(url, isolate, out))
    process.start()
    found = out.get(timeout=60)
    process.join(10)
    return found


def test_a_sandboxed_worker_reaches_nothing(listener):
    dropped, network, outcome = _run(listener.url, isolate=True)
    assert dropped and not network
    assert "unreachable" in outcome.lower() or "error" in outcome.lower()
    assert listener.connections == 0


def test_without_the_sandbox_oxigraph_does_fetch(listener):
    # The control: the same query from a process that kept the network reaches the listener, so the test above
    # would fail if the sandbox did nothing.
    dropped, network, _ = _run(listener.url, isolate=False)
    assert not dropped and network
    assert listener.connections >= 1
