"""Fair use (issue 17, item 4): the admission gate in front of the workers, and two clients looping runaway
queries while a third asks light ones, against a real server."""

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from imri_kg.api.admission import Full, Gate
from tests.api.conftest import free_port

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = "ASK { ?s ?p ?o }"


def test_a_freed_slot_goes_to_the_client_that_waited_least_served():
    async def scenario() -> list[str]:
        gate = Gate(slots=2, per_client=1, max_waiting=10, max_waiting_per_client=2, max_wait=10)
        order: list[str] = []
        release = {name: asyncio.Event() for name in ("a1", "b1", "a2", "light")}

        async def run(client: str, name: str) -> None:
            async with gate.enter(client):
                order.append(name)
                await release[name].wait()

        tasks = [asyncio.create_task(run("A", "a1")), asyncio.create_task(run("B", "b1"))]
        await asyncio.sleep(0.01)
        tasks.append(asyncio.create_task(run("A", "a2")))  # A queues its next runaway first
        await asyncio.sleep(0.01)
        tasks.append(asyncio.create_task(run("L", "light")))
        await asyncio.sleep(0.01)
        assert order == ["a1", "b1"] and gate.waiting == 2
        release["a1"].set()  # A's slot frees: A and L hold none now; L was served less recently
        await asyncio.sleep(0.01)
        assert order == ["a1", "b1", "light"]
        for event in release.values():
            event.set()
        await asyncio.gather(*tasks)
        assert gate.active == 0 and gate.waiting == 0
        return order

    assert asyncio.run(scenario()) == ["a1", "b1", "light", "a2"]


def test_a_full_queue_is_a_429_with_retry_after():
    async def scenario() -> None:
        gate = Gate(slots=1, per_client=1, max_waiting=2, max_waiting_per_client=1, max_wait=10)
        hold = asyncio.Event()

        async def run(client: str) -> None:
            async with gate.enter(client):
                await hold.wait()

        first = asyncio.create_task(run("A"))
        await asyncio.sleep(0.01)
        second = asyncio.create_task(run("A"))
        await asyncio.sleep(0.01)
        with pytest.raises(Full) as full:
            async with gate.enter("A"):
                pass
        assert full.value.retry_after == 2 and "at most 1 run and 1 wait" in str(full.value)
        third = asyncio.create_task(run("B"))
        await asyncio.sleep(0.01)
        with pytest.raises(Full, match="queue is full"):
            async with gate.enter("C"):
                pass
        hold.set()
        await asyncio.gather(first, second, third)

    asyncio.run(scenario())


def test_many_requests_from_one_client_get_429_over_http(client):
    import concurrent.futures

    gate = client.app.state.gates[0]
    gate.max_waiting_per_client = 0  # none may wait: the second request at once is refused
    try:
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda _: client.get("/sparql", params={"query": RUNAWAY}), range(6)))
    finally:
        gate.max_waiting_per_client = 4
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [429] * 5 + [503]  # one ran to the time limit, five were refused at once
    refused = [r for r in answers if r.status_code == 429]
    assert all(r.headers["retry-after"] == "2" and "Too many requests from your address" in r.text for r in refused)


@pytest.fixture(scope="module")
def live() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "imri_kg", "serve", "--port", str(port), "--timeout", "2",
                                "--workers", "2"], env={**os.environ, "IMRI_KG_WRITE_TOKEN": ""},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/api/queries", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(20)


def from_address(address: str) -> httpx.Client:
    """A client whose connections come from `address` (any 127.x.y.z is this machine's loopback)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60)


def test_runaway_clients_do_not_starve_a_light_one(live):
    # Issue 17: two clients looping runaway queries held both workers and 8 of 12 light queries got 503.
    stop = threading.Event()
    runaway_statuses: list[int] = []

    def hostile(address: str) -> None:
        with from_address(address) as http:
            while not stop.is_set():
                runaway_statuses.append(http.get(live + "/sparql", params={"query": RUNAWAY}).status_code)

    attackers = [threading.Thread(target=hostile, args=(a,)) for a in ("127.0.0.2", "127.0.0.3")]
    for t in attackers:
        t.start()
    time.sleep(1)
    light: list[tuple[int, float]] = []
    with from_address("127.0.0.4") as http:
        for _ in range(6):
            started = time.monotonic()
            r = http.get(live + "/sparql", params={"query": LIGHT}, headers={"Accept": "application/sparql-results+json"})
            light.append((r.status_code, time.monotonic() - started))
    stop.set()
    for t in attackers:
        t.join(60)
    assert [s for s, _ in light] == [200] * 6, light
    assert set(runaway_statuses) <= {503, 429} and runaway_statuses.count(503) >= 2
    assert httpx.get(live + "/sparql", params={"query": LIGHT}, timeout=60).status_code == 200  # still serving


def test_heavy_clients_hold_all_slots_but_one():
    async def scenario() -> None:
        gate = Gate(slots=2, per_client=1, max_waiting=10, max_waiting_per_client=2, max_wait=10, penalty=60)
        gate.penalize("A")
        gate.penalize("B")
        hold = asyncio.Event()
        order: list[str] = []

        async def run(client: str) -> None:
            async with gate.enter(client):
                order.append(client)
                await hold.wait()

        tasks = [asyncio.create_task(run(c)) for c in ("A", "B")]
        await asyncio.sleep(0.01)
        assert order == ["A"] and gate.active == 1  # B waits: one slot stays free for a light client
        tasks.append(asyncio.create_task(run("L")))
        await asyncio.sleep(0.01)
        assert order == ["A", "L"]
        hold.set()
        await asyncio.gather(*tasks)
        assert order == ["A", "L", "B"]

    asyncio.run(scenario())
