"""Fixtures for the HTTP server: app clients (FastAPI TestClient) and a real server on a free loopback port.

Every test here also runs under a socket guard: a connection from the test process to a non-loopback address
fails the test, so nothing the server does can reach the network unnoticed.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from imri_kg.api import Settings, create_app
from imri_kg.api.guard import is_loopback

TIMEOUT = 2.0
MAX_ROWS = 100
TOKEN = "test-write-token"


@pytest.fixture(autouse=True)
def no_outbound(monkeypatch: pytest.MonkeyPatch) -> Iterator[list]:
    """Record (and refuse) any connection to a non-loopback address made by the test process."""
    attempts: list = []
    original = socket.socket.connect

    def connect(self: socket.socket, address):
        if not is_loopback(address):
            attempts.append(address)
            raise ConnectionRefusedError(f"test guard: outbound connection to {address!r}")
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield attempts
    assert attempts == [], f"non-loopback connections were attempted: {attempts}"


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """The app as served by default (read-only), with a short time limit and a small result cap."""
    with TestClient(create_app(Settings(timeout=TIMEOUT, max_rows=MAX_ROWS))) as c:
        yield c


@pytest.fixture(scope="module")
def writable() -> Iterator[TestClient]:
    """An app started with a write token (its own in-memory store, so the session's stays untouched)."""
    with TestClient(create_app(Settings(timeout=TIMEOUT, write_token=TOKEN, cors_origins=("https://yasgui.org",)))
                    ) as c:
        yield c


@pytest.fixture(scope="module")
def patient_writable() -> Iterator[TestClient]:
    """A writable app whose time limit leaves room for a project's update on a loaded machine (REFI-QDA imports)."""
    with TestClient(create_app(Settings(timeout=60, write_token=TOKEN))) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def served(*args: str) -> Iterator[str]:
    """`imri-kg serve ARGS` as a real process on a free port (loopback unless ARGS say otherwise); yields its URL
    once it answers, and stops it when the generator is closed."""
    port = free_port()
    env = {**os.environ, "IMRI_KG_WRITE_TOKEN": ""}
    process = subprocess.Popen([sys.executable, "-m", "imri_kg", "serve", "--port", str(port), *args],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/api/queries", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode())
            time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        process.stderr.close()


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """`imri-kg serve` as a real process on a free loopback port."""
    yield from served("--timeout", "2")
