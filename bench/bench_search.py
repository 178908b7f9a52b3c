"""Benchmark the full-text search (Tantivy, imri_kg.questions.search) at 1M triples against a SPARQL text scan.

Usage: python bench/bench_search.py [--triples 1000000] [--repeats 5] [--out bench/results/search-1m.json]
Writes the synthetic knowledge base of bench/synth.py, loads it with the seed knowledge base into an in-memory
pyoxigraph store, builds the index (timed), then asks each query with both engines in turn (interleaved, so
that the other jobs on the machine disturb both alike): the index's `read_hits` (ranked, 50 hits) and the peer,
the same words as a SPARQL scan of labels and texts (`CONTAINS(LCASE(?text), word)` for every word, 50 hits) in
Oxigraph. Reports the median and range per query, and the ratio peer / index.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pyoxigraph import RdfFormat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_synthetic

from imri_kg.kb.build import build_store
from imri_kg.namespaces import PREFIXES
from imri_kg.questions.search import to_search_index

QUERIES = ["super motivated", "interpersonal relationships", "staff turnover", "peer", "recovery college",
           "synthetic quote", "family support hope", "zzzqqq"]
PEER = """SELECT DISTINCT ?s WHERE {{
  VALUES ?p {{ skos:prefLabel rdfs:label skos:altLabel skos:definition imri:text dcterms:title skos:note }}
  ?s ?p ?text . {filters}
}} LIMIT 50"""


def peer_query(words: str) -> str:
    filters = " ".join(f'FILTER (CONTAINS(LCASE(STR(?text)), "{w.lower()}"))' for w in words.split())
    return PEER.format(filters=filters)


def run(triples: int, repeats: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.nq"
        written = write_synthetic(path, triples)
        store = build_store()
        store.bulk_load(path=str(path), format=RdfFormat.N_QUADS)
    size = len(store)
    start = time.perf_counter()
    index = to_search_index(store)
    build_s = time.perf_counter() - start
    result = {"synthetic_quads": written, "store_quads": size, "indexed_resources": index.size,
              "index_build_s": round(build_s, 2), "repeats": repeats, "queries": {}}
    for words in QUERIES:
        fts, scan, hits = [], [], 0
        for _ in range(repeats):
            t = time.perf_counter()
            hits = len(index.read_hits(words, limit=50))
            fts.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            peer_hits = len(list(store.query(peer_query(words), prefixes=PREFIXES, use_default_graph_as_union=True)))
            scan.append((time.perf_counter() - t) * 1000)
        ratios = [s / f for s, f in zip(scan, fts, strict=True)]
        result["queries"][words] = {
            "hits": hits, "peer_hits": peer_hits,
            "index_ms_median": round(statistics.median(fts), 2), "index_ms_range": [round(min(fts), 2), round(max(fts), 2)],
            "scan_ms_median": round(statistics.median(scan), 1),
            "scan_ms_range": [round(min(scan), 1), round(max(scan), 1)],
            "ratio_scan_over_index_median": round(statistics.median(ratios), 1),
            "ratio_range": [round(min(ratios), 1), round(max(ratios), 1)]}
        print(words, result["queries"][words], flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "search-1m.json")
    args = parser.parse_args()
    result = run(args.triples, args.repeats)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "queries"}))


if __name__ == "__main__":
    main()
