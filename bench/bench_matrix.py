"""The general matrix at scale: imri-kg's /api/matrix against `oxigraph serve` answering the same SPARQL.

Usage: .venv/bin/python bench/bench_matrix.py --triples 1000000 [--repeats 3] [--reps 10]
It writes a synthetic review project (bench/synth.py --shape project) as N-Quads, loads it into an imri-kg store
beside the knowledge base (imri-kg build + load), serves that one store with each server on a free 127.0.0.1 port
(Oxigraph read-only, union default graph, as bench/compare.py does), and times the matrix `level:theme × dimension:group` (40 × 25 cells; every theme counts the
excerpts of its subthemes) interleaved: one API request, then the peer's requests, `reps` times, in `repeats`
rounds. The peer gets exactly the SPARQL the API runs (the two axis queries and the
cell query, VALUES filled as imri_kg.matrix fills them), one request after the other on one connection. Both answers
are checked to give the same cells. Prints one JSON document; every server is stopped at the end.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import BIN, PROLOGUE, Server, free_port, timed
from synth import write_synthetic_project

from imri_kg.matrix.sparql import fill

ROWS, COLS = "level:theme", "dimension:group"
# The synthetic project only: the knowledge base's papers are projects too (through the adapter view, whose
# CONSTRUCT both sides still run), and their Table 5 would add 25 cells the peer's plain store does not hold.
PROJECT = "synthetic"
PROJECT_IRI = f"https://w3id.org/imri/project/{PROJECT}"


def peer_queries(http: httpx.Client) -> list[str]:
    """The SPARQL the API sends to its store for the matrix, with the axes' items as the peer itself answers them."""
    from pyoxigraph import Literal, NamedNode

    def items(sparql: str) -> list[NamedNode]:
        r = http.post("/query", content=PROLOGUE + sparql, headers={
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        return [NamedNode(b["item"]["value"]) for b in r.json()["results"]["bindings"]]

    level = fill("axis-level", levelName=[Literal("theme")], project=[NamedNode(PROJECT_IRI)])
    dim = fill("axis-dimension", dimensionName=[Literal("group")], project=[NamedNode(PROJECT_IRI)])
    cells = fill("cells", row=list(dict.fromkeys(items(level))), col=list(dict.fromkeys(items(dim))))
    return [level, dim, cells]


def ask_peer(http: httpx.Client, queries: list[str]) -> dict[tuple[str, str], tuple[int, int]]:
    cells = {}
    for q in queries:
        accept = "application/n-triples" if "CONSTRUCT" in q.split("WHERE")[0] else "application/sparql-results+json"
        r = http.post("/query", content=PROLOGUE + q, headers={"Content-Type": "application/sparql-query",
                                                                 "Accept": accept})
        r.raise_for_status()
        if q is queries[-1]:
            cells = {(b["row"]["value"], b["col"]["value"]): (int(b["excerpts"]["value"]), int(b["studies"]["value"]))
                     for b in r.json()["results"]["bindings"]}
    return cells


def ask_api(http: httpx.Client) -> dict[tuple[str, str], tuple[int, int]]:
    r = http.get("/api/matrix", params={"rows": ROWS, "cols": COLS, "project": PROJECT})
    r.raise_for_status()
    return {(c["row"], c["col"]): (c["excerpts"], c["studies"]) for c in r.json()["cells"]}


def run(args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix="imri-bench-matrix-"))
    result: dict = {"triples_requested": args.triples, "matrix": f"{ROWS} x {COLS}, project {PROJECT}"}
    servers: list[Server] = []
    try:
        synthetic = work / "project.nq"
        result["synthetic_quads"] = write_synthetic_project(synthetic, args.triples)
        store = work / "store"
        timed([str(BIN / "imri-kg"), "build", "--store", str(store)])
        result["imri_load_s"] = round(timed([str(BIN / "imri-kg"), "load", str(synthetic), "--store", str(store),
                                             "--no-progress"]), 1)
        port = free_port()
        servers.append(Server("imri-kg", [str(BIN / "imri-kg"), "serve", "--store", str(store), "--port", str(port),
                                          "--timeout", "600"], f"http://127.0.0.1:{port}", "/api/queries", None))
        port = free_port()
        servers.append(Server("oxigraph", [str(BIN / "oxigraph"), "serve-read-only", "--location", str(store),
                                           "--bind", f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s",
                                           "600"], f"http://127.0.0.1:{port}",
                              "/query?query=ASK%7B%7D", None))
        imri, oxi = (httpx.Client(base_url=s.url, timeout=900) for s in servers)
        queries = peer_queries(oxi)
        api_cells, peer_cells = ask_api(imri), ask_peer(oxi, queries)  # also warms both up
        if api_cells != peer_cells:
            diff = sorted(set(api_cells.items()) ^ set(peer_cells.items()))[:6]
            raise RuntimeError(f"the API and the peer disagree on {len(diff)}+ cells, e.g. {diff}; "
                               f"API {len(api_cells)} cells, peer {len(peer_cells)}")
        result["cells"] = len(api_cells)
        result["excerpts_in_cells"] = sum(e for e, _ in api_cells.values())
        rounds = []
        for _ in range(args.repeats):
            api_t, peer_t = [], []
            for _ in range(args.reps):
                started = time.perf_counter()
                ask_api(imri)
                api_t.append(time.perf_counter() - started)
                started = time.perf_counter()
                ask_peer(oxi, queries)
                peer_t.append(time.perf_counter() - started)
            api_ms, peer_ms = statistics.median(api_t) * 1000, statistics.median(peer_t) * 1000
            rounds.append({"api_median_ms": round(api_ms, 1), "oxigraph_median_ms": round(peer_ms, 1),
                           "ratio": round(api_ms / peer_ms, 2)})
        ratios = [r["ratio"] for r in rounds]
        result["rounds"] = rounds
        result["ratio_median"] = statistics.median(ratios)
        result["ratio_spread"] = [min(ratios), max(ratios)]
        result["peak_rss_mb"] = {s.name: s.peak_rss_mb() for s in servers}
    finally:
        for s in servers:
            s.stop()
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reps", type=int, default=10)
    print(json.dumps(run(parser.parse_args()), indent=1))
