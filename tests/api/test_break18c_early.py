"""Breaker tests of `imri-kg serve`'s early start (api/early.py) and of load on the short way (issue 18).

Requests sent the moment the port accepts (before the FastAPI app is built) must get the answers they get later;
Ctrl-C then still answers them and stops; 64 clients mixing short and worker queries get exact answers or 429,
nothing else, and the server stops cleanly after.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import quote

import httpx

from .test_break18c_wire import POINT, POINT_JSON, TOKEN, _start, _stop, raw

Q = quote(POINT, safe="")
UPDATE = b"INSERT DATA { <urn:b18c:e> <urn:b18c:b> <urn:b18c:c> }"
FIRST = {
    "short": f"GET /sparql?query={Q} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode(),
    "short_post": (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                   f"Content-Length: {len(POINT)}\r\nConnection: close\r\n\r\n{POINT}").encode(),
    "ui": b"GET /ui/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    "queries": b"GET /api/queries HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    "service_description": b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    "update_without_token": (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-update"
                             b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(UPDATE)) + UPDATE,
    "update_wrong_token": (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-update"
                           b"\r\nAuthorization: Bearer wrong\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                           % len(UPDATE)) + UPDATE,
}


def _spawn(env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "imri_kg", "serve", "--port", str(port), "--timeout", "2"],
                               env={**os.environ, "IMRI_KG_WRITE_TOKEN": "", **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.01).close()
            return process, port
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode())
            time.sleep(0.002)
    process.kill()
    raise RuntimeError("the server did not listen")


def _norm(data: bytes) -> bytes:
    return re.sub(rb"date: [^\r\n]*\r\n", b"date: X\r\n", data)


def test_requests_sent_as_the_port_opens_get_the_answers_they_get_later():
    process, port = _spawn({"IMRI_KG_WRITE_TOKEN": TOKEN})
    try:
        early: dict[str, bytes] = {}
        threads = [threading.Thread(target=lambda n=n: early.__setitem__(n, raw(port, FIRST[n], 30))) for n in FIRST]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for name, data in FIRST.items():
            later = raw(port, data, 30)
            assert not later.endswith(b"<TIMEOUT>")
            assert _norm(early[name]) == _norm(later), name
        assert early["short"].endswith(POINT_JSON)
        assert early["update_without_token"].startswith(b"HTTP/1.1 401 ")
        ask = "ASK { <urn:b18c:e> <urn:b18c:b> <urn:b18c:c> }"
        assert raw(port, f"GET /sparql?query={quote(ask, safe='')}&format=csv HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Connection: close\r\n\r\n".encode()).endswith(b"\r\n\r\nfalse")
    finally:
        _stop(process)


def test_ctrl_c_as_the_port_opens_answers_the_waiting_requests_and_stops():
    process, port = _spawn({})
    got: dict[str, bytes] = {}
    threads = [threading.Thread(target=lambda n=n: got.__setitem__(n, raw(port, FIRST[n], 30)))
               for n in ("ui", "queries")]
    try:
        for t in threads:
            t.start()
        time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        process.wait(20)
        for t in threads:
            t.join(30)
        assert process.returncode == 0
        assert got["ui"].startswith(b"HTTP/1.1 200 OK\r\n")
        assert got["queries"].startswith(b"HTTP/1.1 200 OK\r\n")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_64_clients_mixing_short_and_worker_queries_get_exact_answers_or_429_then_ctrl_c_stops():
    process, port = _start({})
    url = f"http://127.0.0.1:{port}/sparql"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    try:
        expected_count = httpx.get(url, params={"query": count}).content
        assert httpx.get(url, params={"query": POINT}).content == POINT_JSON
        seen: Counter = Counter()
        wrong: list = []
        stop = time.monotonic() + 8

        def client(i: int) -> None:
            transport = httpx.HTTPTransport(local_address=f"127.0.{i // 200 + 2}.{i % 200 + 2}")
            with httpx.Client(timeout=30, transport=transport) as c:
                n = 0
                while time.monotonic() < stop:
                    n += 1
                    kind = ("short", "worker", "post", "head")[(i + n) % 4]
                    try:
                        if kind == "short":
                            r = c.get(url, params={"query": POINT}); good = r.content == POINT_JSON
                        elif kind == "worker":
                            r = c.get(url, params={"query": count}); good = r.content == expected_count
                        elif kind == "post":
                            r = c.post(url, content=POINT, headers={"Content-Type": "application/sparql-query"})
                            good = r.content == POINT_JSON
                        else:
                            r = c.head(url, params={"query": POINT}); good = r.content == b""
                    except httpx.HTTPError as exc:
                        wrong.append((kind, type(exc).__name__))
                        continue
                    seen[r.status_code] += 1
                    if not (r.status_code == 429 or (r.status_code == 200 and good)):
                        wrong.append((kind, r.status_code, r.content[:100]))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(64)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not any(t.is_alive() for t in threads)
        assert wrong == []
        assert seen[200] > 0
        assert set(seen) <= {200, 429}
        assert httpx.get(url, params={"query": POINT}).content == POINT_JSON
        process.send_signal(signal.SIGINT)
        process.wait(15)
        assert process.returncode == 0
    finally:
        _stop(process)


def test_finding_a_server_whose_app_fails_to_build_stops_with_the_error(tmp_path):
    """FINDING. The FastAPI app is built in a thread after the server listens (early.py). When building it fails
    (simulated: a `fastapi_offline` package on PYTHONPATH whose import raises ImportError, as a broken install
    would), the server stays up: it said "ready", it answers short /sparql queries with 200, and every other request
    (GET /api/queries, /ui/, updates) gets a bare 500 "Internal Server Error" with a traceback in the log, for ever.
    Before early.py, create_app ran before listening and `imri-kg serve` failed at once with the error. Expected:
    the server stops by itself (exit code not 0) and says why."""
    shadow = tmp_path / "fastapi_offline"
    shadow.mkdir()
    (shadow / "__init__.py").write_text('raise ImportError("simulated: fastapi_offline is broken")\n')
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH", "")) if p)
    process, port = _spawn({"PYTHONPATH": path})
    try:
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            pass
        still_up = process.poll() is None
        answer = raw(port, FIRST["queries"], 5) if still_up else b""
        assert not still_up, answer[:60]
        assert process.returncode != 0
        assert "fastapi_offline is broken" in process.stderr.read().decode()
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_keep_alive_mixing_short_and_app_requests_as_the_port_opens_answers_in_order():
    """On one connection sent at once as the port opens: short, /api/queries (waits for the app), short, the
    service description, short with Connection: close. Five answers, in order, the same bytes as later."""
    process, port = _spawn({})
    try:
        short = f"GET /sparql?query={Q} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        sequence = (short + b"GET /api/queries HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + short
                    + b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + short.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
        early = raw(port, sequence, 30)
        later = raw(port, sequence, 30)
        assert early.count(b"HTTP/1.1 200 OK\r\n") == 5
        assert early.endswith(POINT_JSON)
        assert _norm(early) == _norm(later)
    finally:
        _stop(process)
