"""Side-by-side benchmark on the same synthetic data: imri-kg's endpoint vs `oxigraph serve` vs rdflib-endpoint.

Usage: .venv/bin/python bench/compare.py --triples 100000 [--reps 30] [--seconds 10] [--clients 32] [--no-rdflib]
For one size it: writes the synthetic evidence (bench/synth.py) and the knowledge base as N-Quads; imports them
(imri-kg build + imri-kg load, vs oxigraph load, vs rdflib-endpoint's parse at start-up); serves the same data
with each engine on a free 127.0.0.1 port; times three library questions one client at a time (median, p95),
then runs N concurrent clients for a bounded time (throughput, p50, p99, errors); asks one question again and
again with imri-kg's answer cache on; and reads each server's peak memory (VmHWM of its processes). Prints one
JSON document. Traffic goes to 127.0.0.1 only; every server is stopped at the end.
"""

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from pyoxigraph import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import S, write_synthetic

from imri_kg.kb.build import build_store
from imri_kg.namespaces import PREFIXES
from imri_kg.questions import library
from imri_kg.questions.params import to_term
from imri_kg.store import write_graph

BIN = Path(sys.executable).parent
QUESTIONS = [("groups-for-theme", {"theme": S + "theme/3"}),
             ("themes-by-innovation-group", {"group": S + "group/2"}),
             ("themes-ranked-by-group-span", {})]
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_sparql(name: str, params: dict[str, str]) -> str:
    """The question as a peer receives it: the same text, each parameter (given, else its default, as imri-kg binds
    it) bound by VALUES at the start of WHERE."""
    question = library()[name]
    text = question.sparql
    terms = {k: f"<{v}>" for k, v in params.items()}
    terms |= {p.name: str(to_term(Store(), p.type, p.default)) for p in question.params
              if p.name not in params and p.default is not None}
    values = "".join(f" VALUES ?{k} {{ {v} }}" for k, v in terms.items())
    at = text.index("WHERE {") + len("WHERE {")
    return PROLOGUE + text[:at] + values + text[at:]


class Server:
    """A server process on loopback and how to ask it a question."""

    def __init__(self, name: str, argv: list[str], url: str, ready: str, ask, env: dict | None = None) -> None:
        self.name, self.url, self.ask = name, url, ask
        self.started = started = time.perf_counter()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the server, in stop()
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=self.log, env=env)
        deadline = time.monotonic() + 900
        while True:
            try:
                if httpx.get(url + ready, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                raise RuntimeError(f"{name} did not start (exit {self.process.poll()}): "
                                   f"{self.log.read()[-2000:].decode('utf-8', 'replace')}")
            time.sleep(0.01)  # polled often: start-up is measured to the first answer
        self.start_seconds = time.perf_counter() - started

    def peak_rss_mb(self) -> float:
        """The sum of the peak resident memory of the server and its child processes."""
        pids, total = [self.process.pid], 0
        while pids:
            pid = pids.pop()
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pids += [int(c) for c in (task / "children").read_text().split()]
            except (OSError, StopIteration):
                continue
        return round(total / 1024, 1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(20)
        self.log.close()


def imri_ask(name: str, params: dict[str, str]) -> tuple[str, str, dict, dict | None, str | None]:
    return "GET", f"/api/queries/{name}", params | {"format": "json"}, None, None


def oxigraph_ask(name: str, params: dict[str, str]):
    return ("POST", "/query", None, {"Content-Type": "application/sparql-query",
                                     "Accept": "application/sparql-results+json"}, as_sparql(name, params))


def rdflib_ask(name: str, params: dict[str, str]):
    return ("POST", "/", None, {"Content-Type": "application/x-www-form-urlencoded",
                                "Accept": "application/sparql-results+json"}, {"query": as_sparql(name, params)})


async def _request(http: httpx.AsyncClient, server: Server, name: str, params: dict) -> tuple[float, int, int]:
    method, path, query, headers, body = server.ask(name, params)
    started = time.perf_counter()
    kwargs: dict = {"params": query, "headers": headers}
    if isinstance(body, dict):
        kwargs["data"] = body
    elif body is not None:
        kwargs["content"] = body
    r = await http.request(method, path, **kwargs)
    elapsed = time.perf_counter() - started
    rows = len(r.json()["results"]["bindings"]) if r.status_code == 200 else -1
    return elapsed, r.status_code, rows


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 2)


async def latency(server: Server, reps: int, timeout: float) -> dict:
    out = {}
    async with httpx.AsyncClient(base_url=server.url, timeout=timeout) as http:
        for name, params in QUESTIONS:
            times, rows, statuses = [], set(), set()
            for _ in range(reps):
                try:
                    t, status, n = await _request(http, server, name, params)
                except httpx.HTTPError:
                    t, status, n = timeout, 0, -1
                times.append(t)
                statuses.add(status)
                rows.add(n)
            out[name] = {"median_ms": round(statistics.median(times) * 1000, 2), "p95_ms": pct(times, 0.95),
                         "rows": sorted(rows), "status": sorted(statuses), "reps": reps}
    return out


async def concurrent(server: Server, clients: int, seconds: float, timeout: float) -> dict:
    latencies, errors = [], 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def one(http: httpx.AsyncClient, index: int, stop_at: float) -> None:
        nonlocal errors
        i = index
        while time.perf_counter() < stop_at:
            name, params = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            started = time.perf_counter()
            try:
                _, status, _ = await _request(http, server, name, params)
                errors += status != 200
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - started)

    async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=timeout) as http:
        started = time.perf_counter()
        await asyncio.gather(*(one(http, i, started + seconds) for i in range(clients)))
        elapsed = time.perf_counter() - started
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": len(latencies), "errors": errors,
            "throughput_rps": round(len(latencies) / elapsed, 1), "p50_ms": pct(latencies, 0.5),
            "p99_ms": pct(latencies, 0.99)}


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def run(args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix="imri-bench-"))
    result: dict = {"triples_requested": args.triples, "machine": {
        "python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
        "cpu": next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name")), "?")}}
    servers: list[Server] = []
    try:
        synthetic = work / "synthetic.nq"
        result["synthetic_quads"] = write_synthetic(synthetic, args.triples)
        kb = write_graph(build_store(), work / "kb.nq")
        store = work / "store"
        timed([str(BIN / "imri-kg"), "build", "--store", str(store)])
        seconds = timed([str(BIN / "imri-kg"), "load", str(synthetic), "--store", str(store), "--no-progress"])
        peer = work / "oxigraph"
        timed([str(BIN / "oxigraph"), "load", "--location", str(peer), "--file", str(kb)])
        peer_seconds = timed([str(BIN / "oxigraph"), "load", "--location", str(peer), "--file", str(synthetic)])
        shutil.rmtree(peer)
        n = result["synthetic_quads"]
        result["import"] = {"imri-kg load (s)": round(seconds, 2), "imri-kg quads/s": round(n / seconds),
                            "oxigraph load (s)": round(peer_seconds, 2), "oxigraph quads/s": round(n / peer_seconds)}
        engines = [("imri-kg", lambda p: Server(
            "imri-kg", [str(BIN / "imri-kg"), "serve", "--store", str(store), "--port", str(p), "--cache-mb", "0",
                        "--timeout", str(args.timeout)], f"http://127.0.0.1:{p}", "/api/queries", imri_ask)),
                   ("oxigraph", lambda p: Server(
            "oxigraph", [str(BIN / "oxigraph"), "serve-read-only", "--location", str(store), "--bind",
                         f"127.0.0.1:{p}", "--union-default-graph", "--timeout-s", str(int(args.timeout))],
            f"http://127.0.0.1:{p}", "/query?query=ASK%7B%7D", oxigraph_ask))]
        if args.rdflib:
            engines.append(("rdflib-endpoint", lambda p: Server(
                "rdflib-endpoint", [str(BIN / "rdflib-endpoint"), "serve", str(kb), str(synthetic), "--host",
                                    "127.0.0.1", "--port", str(p)], f"http://127.0.0.1:{p}",
                "/?query=ASK%7B%7D", rdflib_ask)))
        for name, start in engines:
            server = start(free_port())
            servers.append(server)
            reps = args.reps if name != "rdflib-endpoint" else max(3, args.reps // 10)
            entry = {"start_s": round(server.start_seconds, 1),
                     "latency": asyncio.run(latency(server, reps, args.timeout * 3))}
            entry["concurrent"] = asyncio.run(concurrent(server, args.clients, args.seconds, args.timeout * 3))
            entry["peak_rss_mb"] = server.peak_rss_mb()
            result[name] = entry
            server.stop()
            servers.remove(server)
        server = Server("imri-kg (cache)", [str(BIN / "imri-kg"), "serve", "--store", str(store), "--port",
                                            str(port := free_port())], f"http://127.0.0.1:{port}", "/api/queries",
                        imri_ask)
        servers.append(server)
        result["imri-kg repeated (cache on)"] = asyncio.run(latency(server, args.reps * 3, args.timeout * 3))
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--no-rdflib", dest="rdflib", action="store_false")
    print(json.dumps(run(parser.parse_args()), indent=2))


if __name__ == "__main__":
    main()
