"""The query path, imri-kg vs `oxigraph serve` on the same on-disk store, requests interleaved (issue 18).

Usage: .venv/bin/python bench/query_path.py --triples 1000000 [--repeats 3] [--reps 10] [--seconds 10] [--no-rows]
       [--store DIR]  (--no-rows: only the fixed cost of a request; --store: a store built before from synth.py data)
Builds the knowledge base plus synthetic evidence (bench/synth.py) into one store, then for each repeat: starts and
stops both servers alternately a few times (start-up: launch to the first answer, and for imri-kg to /ui/ answering;
CPU time of all processes at the first answer), starts both again, asks each question alternately of the two (one
client), fetches row-heavy results (`SELECT * ... LIMIT 10000` and `LIMIT 100000`, imri-kg serving with
`--max-rows 100000`; and `LIMIT 100001`, which imri-kg counts and cuts at its cap, against oxigraph's `LIMIT 100000`)
in JSON, XML, CSV and TSV alternately, runs 32 clients against each in turn (imri-kg with the answer cache off, then
on), reads peak memory (VmHWM of each server and its children), and stops both. Prints one JSON document with every
repeat and the median and spread (min-max) of the ratios. Traffic goes to 127.0.0.1 only.

--baseline SRC adds a third server, "main": `imri-kg serve` run with PYTHONPATH=SRC (another checkout's src/, e.g.
main's code in a detached worktree), asked and loaded interleaved with the other two, so that a change is measured
against the code before it in the same minutes. --only-sparql keeps what issue 18 had not met: start-up, the raw
point lookup and GROUP BY, 32 clients on raw SPARQL, peak memory (a repeat then takes about two minutes);
--only-rows keeps start-up and the row-heavy results.
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import BIN, QUESTIONS, Server, as_sparql, free_port, timed
from synth import S, write_synthetic

EXTRA = [("cross-cutting-themes", {}), ("groups-for-theme", {"theme": S + "theme/0"})]
ROW_HEAVY = "SELECT * WHERE { ?s ?p ?o } LIMIT 10000"
MAX_ROWS = 100_000  # imri-kg's cap in this benchmark, so that LIMIT 100000 is answered whole
# Raw SPARQL that no aggregate holds: a point lookup (the fixed cost of a request) and a scan with GROUP BY.
POINT = f"SELECT ?label WHERE {{ <{S}theme/3> <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }}"
SCAN = ("SELECT ?theme (COUNT(*) AS ?n) WHERE { ?e <https://w3id.org/imri/ontology#theme> ?theme } "
        "GROUP BY ?theme ORDER BY ?theme")
FORMATS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
           "tsv": "text/tab-separated-values"}


def imri_request(name: str, params: dict) -> tuple[str, str, dict, dict, str | None]:
    return "GET", f"/api/queries/{name}", params | {"format": "json"}, {}, None


def oxigraph_request(name: str, params: dict) -> tuple[str, str, dict, dict, str | None]:
    return ("POST", "/query", {}, {"Content-Type": "application/sparql-query",
                                   "Accept": "application/sparql-results+json"}, as_sparql(name, params))


def raw_request(engine: str, fmt: str, query: str = ROW_HEAVY) -> tuple[str, str, dict, dict, str | None]:
    path = "/query" if engine == "oxigraph" else "/sparql"
    return "POST", path, {}, {"Content-Type": "application/sparql-query", "Accept": FORMATS[fmt]}, query


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its live children: start-up cost without the wait
    for cores that other jobs hold."""
    total, pids = 0.0, [pid]
    while pids:
        p = pids.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{p}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return round(total, 2)


def start(engine: str, store: Path, cache_mb: int, timeout: float) -> Server:
    try:
        return _start(engine, store, cache_mb, timeout)
    except RuntimeError as exc:  # say why, and try once more (a port taken meanwhile, ...)
        print(exc, file=sys.stderr, flush=True)
        time.sleep(2)
        return _start(engine, store, cache_mb, timeout)


BASELINE: Path | None = None  # --baseline: the src/ directory the "main" server runs


def _start(engine: str, store: Path, cache_mb: int, timeout: float) -> Server:
    port = free_port()
    if engine in ("imri-kg", "main"):
        env = None if engine == "imri-kg" else os.environ | {"PYTHONPATH": str(BASELINE)}
        return Server(engine, [str(BIN / "imri-kg"), "serve", "--store", str(store), "--port", str(port),
                               "--cache-mb", str(cache_mb), "--timeout", str(timeout), "--max-rows", str(MAX_ROWS)],
                      f"http://127.0.0.1:{port}", "/sparql?query=ASK%7B%7D", None, env=env)
    return Server(engine, [str(BIN / "oxigraph"), "serve-read-only", "--location", str(store), "--bind",
                           f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", str(int(timeout))],
                  f"http://127.0.0.1:{port}", "/query?query=ASK%7B%7D", None)


async def one(http: httpx.AsyncClient, request) -> tuple[float, int, int]:
    method, path, params, headers, body = request
    started = time.perf_counter()
    r = await http.request(method, path, params=params or None, headers=headers, content=body)
    return time.perf_counter() - started, r.status_code, len(r.content)


async def interleaved(servers: dict[str, Server], requests: dict[str, list], reps: int) -> dict:
    """For each named request, `reps` times each engine, alternating; median and p95 in ms, and bytes."""
    out: dict = {}
    clients = {e: httpx.AsyncClient(base_url=s.url, timeout=120) for e, s in servers.items()}
    try:
        for key, per_engine in requests.items():
            times: dict[str, list[float]] = {e: [] for e in servers}
            sizes: dict[str, set] = {e: set() for e in servers}
            started = time.perf_counter()
            for i in range(reps):
                order = list(servers) if i % 2 == 0 else list(reversed(servers))
                for engine in order:
                    t, status, size = await one(clients[engine], per_engine[engine])
                    assert status == 200, (engine, key, status)
                    times[engine].append(t)
                    sizes[engine].add(size)
            out[key] = {e: {"median_ms": round(statistics.median(v) * 1000, 2),
                            "p95_ms": round(sorted(v)[int(0.95 * (len(v) - 1))] * 1000, 2),
                            "bytes": sorted(sizes[e])} for e, v in times.items()}
            for engine, suffix in (("imri-kg", ""), ("main", "_main")):
                if engine not in servers:
                    continue
                out[key]["ratio" + suffix] = round(out[key][engine]["median_ms"] / out[key]["oxigraph"]["median_ms"],
                                                   2)
                # the ratio of each pair of requests asked one after the other: outside load falls on both alike
                out[key]["pair_ratios" + suffix] = sorted(round(a / b, 2)
                                                          for a, b in zip(times[engine], times["oxigraph"]))
            print(key, {e: out[key][e]["median_ms"] for e in servers}, out[key]["ratio"], out[key].get("ratio_main"),
                  f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    finally:
        for c in clients.values():
            await c.aclose()
    return out


async def load(server: Server, requests: list, clients: int, seconds: float) -> tuple[list[float], float, int]:
    """`clients` concurrent clients cycling through `requests` for `seconds`: latencies, elapsed time, errors.

    Each client connects from its own loopback address (127.0.0.2, 127.0.0.3, ...), as distinct clients would:
    imri-kg's admission gate (api/admission.py) lets one address run one request and queue four, and answers the
    rest 429."""
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def client(index: int) -> None:
        nonlocal errors
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{2 + index}")
        async with httpx.AsyncClient(base_url=server.url, transport=transport, timeout=120) as http:
            i = index
            while time.perf_counter() < stop_at:
                t, status, _ = await one(http, requests[i % len(requests)])
                i += 1
                errors += status != 200
                latencies.append(t)

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    return latencies, elapsed, errors


def alternating(servers: dict[str, Server], mixes: dict[str, list], clients: int, seconds: float) -> dict:
    """Load on each engine in turn, in two halves (imri-kg, oxigraph, oxigraph, imri-kg), so that outside load
    falls on both alike: requests per second, p50, p99, errors."""
    got: dict = {e: ([], 0.0, 0) for e in servers}
    order = [e for e in ("imri-kg", "main", "oxigraph") if e in servers]
    for engine in order + order[::-1]:
        latencies, elapsed, errors = asyncio.run(load(servers[engine], mixes[engine], clients, seconds / 2))
        before = got[engine]
        got[engine] = (before[0] + latencies, before[1] + elapsed, before[2] + errors)
    out = {}
    for engine, (latencies, elapsed, errors) in got.items():
        latencies.sort()
        out[engine] = {"rps": round(len(latencies) / elapsed, 1),
                       "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
                       "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))] * 1000, 1), "errors": errors,
                       "requests": len(latencies)}
    print("load", out, file=sys.stderr, flush=True)
    return out


def startups(store: Path, args: argparse.Namespace, times: int) -> dict:
    """Start and stop each server `times` times, alternately: seconds to the first answer (and to /ui/ for imri-kg),
    CPU seconds of all its processes at the first answer."""
    engines = ("oxigraph", "imri-kg") + (("main",) if BASELINE else ())
    out: dict = {"start_s": {e: [] for e in engines}, "start_cpu_s": {e: [] for e in engines}, "ui_ready_s": []}
    for _ in range(times):
        for engine in engines:
            server = start(engine, store, 0, args.timeout)
            try:
                out["start_s"][engine].append(round(server.start_seconds, 3))
                out["start_cpu_s"][engine].append(cpu_seconds(server.process.pid))
                if engine == "imri-kg":
                    while httpx.get(server.url + "/ui/", timeout=60).status_code != 200:
                        time.sleep(0.01)
                    out["ui_ready_s"].append(round(time.perf_counter() - server.started, 3))
            finally:
                server.stop()
    return out


def repeat(store: Path, args: argparse.Namespace) -> dict:
    result: dict = startups(store, args, args.starts)
    servers: dict[str, Server] = {}
    try:
        if args.only_start:
            return result
        for engine in ("oxigraph", "imri-kg") + (("main",) if BASELINE else ()):
            servers[engine] = start(engine, store, 0, args.timeout)
        if args.only_sparql:
            return only_sparql(result, servers, args)
        questions = {f"{n}{'?' + '&'.join(f'{k}=' + v.rsplit('/', 1)[-1] for k, v in p.items()) if p else ''}":
                     {e: oxigraph_request(n, p) if e == "oxigraph" else imri_request(n, p) for e in servers}
                     for n, p in QUESTIONS + EXTRA}
        if not args.only_rows:
            result["questions"] = asyncio.run(interleaved(servers, questions, args.reps))
        result["row_heavy"] = {}
        rows = {f"rows-{f}": {e: raw_request(e, f) for e in servers} for f in FORMATS}
        big = ROW_HEAVY.replace("10000", "100000")
        rows |= {f"rows-100k-{f}": {e: raw_request(e, f, big) for e in servers} for f in FORMATS}
        # imri-kg counts rows in its output when the query's LIMIT is past its cap, and cuts at the cap
        counted = {e: big if e == "oxigraph" else ROW_HEAVY.replace("10000", str(MAX_ROWS + 1)) for e in servers}
        rows |= {f"rows-100k-counted-{f}": {e: raw_request(e, f, counted[e]) for e in servers} for f in FORMATS}
        if not args.no_rows:  # --no-rows: the fixed cost of a request only (short SPARQL, questions, loads)
            result["row_heavy"] = asyncio.run(interleaved(servers, rows, max(3, args.reps // 2)))
        if args.only_rows:
            return result
        # Short raw SPARQL: cheap, so asked 20 times each (3 pairs of a 1-10 ms request say little on a shared machine)
        raw = {name: {e: raw_request(e, "json", q) for e in servers} for name, q in (("sparql-point", POINT),
                                                                                     ("sparql-scan", SCAN))}
        result["row_heavy"] |= asyncio.run(interleaved(servers, raw, max(20, args.reps * 5)))
        mix = {e: [(oxigraph_request if e == "oxigraph" else imri_request)(n, p) for n, p in QUESTIONS + EXTRA]
               for e in servers}
        result["32_clients_cache_off"] = alternating(servers, mix, args.clients, args.seconds)
        sparql = {e: [raw_request(e, "json", POINT), raw_request(e, "json", SCAN)] for e in servers}
        result["32_clients_sparql"] = alternating(servers, sparql, args.clients, args.seconds)
        result["peak_rss_mb"] = {e: s.peak_rss_mb() for e, s in servers.items()}
        for engine in [e for e in servers if e != "oxigraph"]:
            servers.pop(engine).stop()
            servers[engine] = start(engine, store, 64, args.timeout)
        result["32_clients_cache_on"] = alternating(servers, mix, args.clients, args.seconds)
        result["peak_rss_mb_cache_on"] = servers["imri-kg"].peak_rss_mb()
    finally:
        for s in servers.values():
            s.stop()
    return result


def only_sparql(result: dict, servers: dict[str, Server], args: argparse.Namespace) -> dict:
    """The raw point lookup and GROUP BY, one client, interleaved; 32 clients on them; peak memory."""
    raw = {name: {e: raw_request(e, "json", q) for e in servers} for name, q in (("sparql-point", POINT),
                                                                                 ("sparql-scan", SCAN))}
    result["row_heavy"] = asyncio.run(interleaved(servers, raw, max(20, args.reps * 5)))
    sparql = {e: [raw_request(e, "json", POINT), raw_request(e, "json", SCAN)] for e in servers}
    result["32_clients_sparql"] = alternating(servers, sparql, args.clients, args.seconds)
    result["peak_rss_mb"] = {e: s.peak_rss_mb() for e, s in servers.items()}
    return result


def spread(values: list[float]) -> dict:
    if not values:
        return {}
    return {"median": round(statistics.median(values), 2), "min": round(min(values), 2),
            "max": round(max(values), 2)}


def summary(repeats: list[dict]) -> dict:
    engines = list(repeats[0]["start_s"])
    out: dict = {"start_s": {e: spread([x for r in repeats for x in r["start_s"][e]]) for e in engines},
                 "start_cpu_s": {e: spread([x for r in repeats for x in r["start_cpu_s"][e]]) for e in engines},
                 "ui_ready_s": spread([x for r in repeats for x in r["ui_ready_s"]])}
    if "row_heavy" not in repeats[0]:
        return out
    imris = [(e, s) for e, s in (("imri-kg", ""), ("main", "_main")) if e in engines]
    for group in [g for g in ("questions", "row_heavy") if g in repeats[0]]:
        for key in repeats[0].get(group, {}):
            for engine, suffix in imris:
                out[f"{key} ratio{suffix}"] = spread([r[group][key]["ratio" + suffix] for r in repeats])
                out[f"{key} pair ratio{suffix}"] = spread([x for r in repeats
                                                           for x in r[group][key]["pair_ratios" + suffix]])
                out[f"{key} {engine} ms"] = spread([r[group][key][engine]["median_ms"] for r in repeats])
            out[f"{key} oxigraph ms"] = spread([r[group][key]["oxigraph"]["median_ms"] for r in repeats])
    for load_key in ("32_clients_cache_off", "32_clients_cache_on", "32_clients_sparql"):
        if load_key not in repeats[0]:
            continue
        for engine, suffix in imris:
            out[f"{load_key} rps ratio{suffix}"] = spread([r[load_key][engine]["rps"] / r[load_key]["oxigraph"]["rps"]
                                                           for r in repeats])
            out[f"{load_key} p99 ratio{suffix}"] = spread([r[load_key][engine]["p99_ms"]
                                                           / r[load_key]["oxigraph"]["p99_ms"] for r in repeats])
    if "peak_rss_mb" in repeats[0]:
        out["peak_rss_mb"] = {e: spread([r["peak_rss_mb"][e] for r in repeats]) for e in engines}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--only-start", action="store_true", help="measure start-up only")
    parser.add_argument("--starts", type=int, default=3, help="start-ups of each server per repeat")
    parser.add_argument("--no-rows", action="store_true", help="skip the row-heavy results (the fixed cost only)")
    parser.add_argument("--store", type=Path, help="an imri-kg store already built from bench/synth.py data")
    parser.add_argument("--baseline", type=Path, help="src/ of other imri-kg code, run as a third server, \"main\"")
    parser.add_argument("--only-sparql", action="store_true",
                        help="start-up, raw point lookup and GROUP BY, 32 clients on them, memory (no questions)")
    parser.add_argument("--only-rows", action="store_true",
                        help="start-up and the row-heavy results only (no questions, no load, no memory)")
    args = parser.parse_args()
    global BASELINE
    BASELINE = args.baseline.resolve() if args.baseline else None
    work = Path(tempfile.mkdtemp(prefix="imri-bench-"))
    try:
        synthetic = work / "synthetic.nq"
        quads = write_synthetic(synthetic, args.triples)
        store = args.store or work / "store"
        if args.store is None:
            timed([str(BIN / "imri-kg"), "build", "--store", str(store)])
            timed([str(BIN / "imri-kg"), "load", str(synthetic), "--store", str(store), "--no-progress"])
        data_mb = round(sum(f.stat().st_size for f in store.rglob("*") if f.is_file()) / 2**20, 1)
        repeats = []
        print(f"store: {quads} synthetic quads, {data_mb} MB", file=sys.stderr, flush=True)
        for _ in range(args.repeats):
            repeats.append(repeat(store, args))
            print(json.dumps(repeats[-1]), file=sys.stderr, flush=True)
        print(json.dumps({"synthetic_quads": quads, "store_mb": data_mb, "args": vars(args),
                          "summary": summary(repeats), "repeats": repeats}, indent=1, default=str))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
