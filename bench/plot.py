"""The plot of bench/README.md: median library-question latency by size and server, from bench/results/*.json.

    .venv/bin/python bench/plot.py            # writes bench/results/latency.png

Deterministic: fixed size, no timestamps in the PNG's metadata, inputs read in a fixed order.
"""

import json
import sys
from pathlib import Path
from statistics import median

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after choosing the backend

RESULTS = Path(__file__).resolve().parent / "results"
SERVERS = ("imri-kg", "oxigraph", "rdflib-endpoint", "imri-kg repeated (cache on)")


def to_points(results: list[dict]) -> dict[str, list[tuple[int, float]]]:
    """(triples, median over questions of each question's median latency in ms), per server."""
    points: dict[str, list[tuple[int, float]]] = {s: [] for s in SERVERS}
    for r in sorted(results, key=lambda r: r["synthetic_quads"]):
        for server in SERVERS:
            if server not in r:
                continue
            per_question = r[server].get("latency", r[server])
            points[server].append((r["synthetic_quads"], median(q["median_ms"] for q in per_question.values())))
    return points


def write_plot(out: Path) -> Path:
    results = [json.loads(p.read_text()) for p in sorted(RESULTS.glob("bench-*.json"))]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=100)
    for server, pts in to_points(results).items():
        if pts:
            ax.plot([x for x, _ in pts], [y for _, y in pts], marker="o", label=server)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("triples in the store")
    ax.set_ylabel("median latency of the library questions (ms)")
    ax.set_title("Library questions over HTTP (bench/compare.py)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, metadata={"Software": None})
    plt.close(fig)
    return out


if __name__ == "__main__":
    print(write_plot(Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS / "latency.png"))
