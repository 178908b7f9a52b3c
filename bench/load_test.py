"""Load test: N concurrent clients against `imri-kg serve` on loopback for a bounded time.

Usage: .venv/bin/python bench/load_test.py [--clients 32] [--seconds 30] [--workers 2]
Starts the server on a free loopback port, runs a mix of requests (library questions, SPARQL SELECT and
CONSTRUCT, linked-data pages), and prints requests, errors, throughput and latency percentiles.
"""

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time

import httpx

B = "https://w3id.org/imri/"
MIX = [
    ("GET", "/api/queries/themes-by-innovation-group", {}, {}),
    ("GET", "/api/queries/evidence-for-theme-in-group", {"theme": "Staff turnover", "group": "Staff training"}, {}),
    ("GET", "/api/queries/participant-totals", {"format": "csv"}, {}),
    ("GET", "/api/queries/quotes-by-stakeholder-group", {"stakeholderGroup": "Managers"}, {}),
    ("GET", "/sparql", {"query": "SELECT ?t (COUNT(?g) AS ?n) WHERE { ?t imri:spansGroup ?g } GROUP BY ?t"},
     {"Accept": "application/sparql-results+json"}),
    ("GET", "/sparql", {"query": "CONSTRUCT WHERE { ?s a imri:Impact ; skos:prefLabel ?l }"},
     {"Accept": "text/turtle"}),
    ("GET", "/theme/interpersonal-relationships", {}, {"Accept": "text/html"}),
    ("GET", "/site/quebec", {}, {"Accept": "application/ld+json"}),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def client(http: httpx.AsyncClient, index: int, stop_at: float, latencies: list, errors: list) -> None:
    i = index
    while time.perf_counter() < stop_at:
        method, path, params, headers = MIX[i % len(MIX)]
        i += 1
        started = time.perf_counter()
        try:
            r = await http.request(method, path, params=params, headers=headers)
            if r.status_code != 200:
                errors.append(f"{r.status_code} {path}")
        except httpx.HTTPError as exc:
            errors.append(f"{type(exc).__name__} {path}")
        latencies.append(time.perf_counter() - started)


async def load(url: str, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http, i, started + seconds, latencies, errors) for i in range(clients)))
        elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    pick = lambda p: ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": len(latencies), "errors": len(errors),
            "error_kinds": sorted(set(errors))[:10], "throughput_rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(pick(0.50), 1), "p99_ms": round(pick(0.99), 1), "max_ms": round(ordered[-1] * 1000, 1),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "imri_kg", "serve", "--port", str(port),
                               "--workers", str(args.workers)], stderr=subprocess.DEVNULL,
                              env={**os.environ, "IMRI_KG_WRITE_TOKEN": ""})
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/api/queries", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        result = asyncio.run(load(url, args.clients, args.seconds))
    finally:
        server.terminate()
        server.wait(10)
    result.update(workers=args.workers, python=platform.python_version(), machine=platform.machine(),
                  cpus=os.cpu_count())
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
