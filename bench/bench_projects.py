"""Validate and import a generated review project (issue 12 item 9): time and peak memory per stage.

`python bench/bench_projects.py EXCERPTS [--studies 1000] [--repeats 3]` writes a fictional project (bench data
only: invented studies with DOIs under 10.5555, a two-level codebook of 40 codes, two case dimensions), then runs
each repeat in a fresh process: read the folder (`read_project`), build its quads (`to_project_graph`), run the
shapes on them (`validate_records`, the check `imri-kg validate DIR` runs), and import it into an in-memory store
holding the ontology (`import_project`, which reads, checks and writes again, in one transaction; with `--disk`,
into an on-disk store in a temporary folder, as `imri-kg import DIR --store S` writes). Peak memory is
the process's peak resident set (VmHWM), reset before each stage. Prints one line of JSON per repeat and a summary
(median, min and max).
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CODES, GROUPS, SITES = 40, 8, 12


def write_project(folder: Path, excerpts: int, studies: int, *, seed: int = 1) -> Path:
    """A valid fictional project of `excerpts` rows citing 1-3 of `studies` studies each."""
    rng = random.Random(seed)
    (folder / "bibliography").mkdir(parents=True, exist_ok=True)
    (folder / "evidence").mkdir(exist_ok=True)
    (folder / "project.yaml").write_text("# Bench data, fictional.\nslug: bench\ntitle: Bench project (fictional)\n"
                                         "year: 2024\nfictional: true\n", encoding="utf-8")
    themes = [f"T{i}" for i in range(CODES // 5)]
    lines = ["code,label,parent,level,definition"]
    lines += [f"{t},Theme {t},,theme,A fictional theme." for t in themes]
    codes = [f"C{i}" for i in range(CODES - len(themes))]
    lines += [f"{c},Code {c},{themes[i % len(themes)]},code,A fictional code." for i, c in enumerate(codes)]
    (folder / "codebook.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "dimensions.csv").write_text("dimension,label\ngroup,Group\nsite,Site\n", encoding="utf-8")
    cases = ["dimension,case,label"] + [f"group,g{i},Group {i}" for i in range(GROUPS)] + \
        [f"site,s{i},Site {i}" for i in range(SITES)]
    (folder / "cases.csv").write_text("\n".join(cases) + "\n", encoding="utf-8")
    bib = [{"id": f"study{i}", "type": "article-journal", "title": f"Fictional study {i}",
            "author": [{"family": f"Author{i}", "given": "A"}, {"family": "Coauthor", "given": "B"}],
            "issued": {"date-parts": [[2000 + i % 24]]}, "container-title": "Journal of Bench Data",
            "DOI": f"10.5555/bench.{i}", "citation-number": i + 1} for i in range(studies)]
    (folder / "bibliography" / "studies.json").write_text(json.dumps(bib), encoding="utf-8")
    import csv

    with open(folder / "evidence" / "evidence.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "codes", "group", "site", "studies", "text", "location", "coder", "date"])
        for i in range(excerpts):
            writer.writerow([f"e{i}", ";".join(rng.sample(codes, rng.choice((1, 1, 2)))), f"g{rng.randrange(GROUPS)}",
                             f"s{rng.randrange(SITES)}", ";".join(str(rng.randrange(studies) + 1)
                                                                  for _ in range(rng.choice((1, 2, 3)))),
                             f"Fictional excerpt {i}: words a reviewer coded.", f"p. {rng.randrange(1, 30)}",
                             rng.choice(("Ana", "Ben", "Chloe")), "2024-05-01"])
    return folder


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_once(folder: Path, disk: bool = False) -> dict[str, dict[str, float]]:
    """One repeat, in this process: each stage's seconds, CPU seconds and peak resident memory (MB)."""
    from pyoxigraph import NamedNode, Store

    from imri_kg.projects.checks import context_quads
    from imri_kg.projects.folder import read_project
    from imri_kg.projects.graph import to_project_graph
    from imri_kg.projects.loading import import_project
    from imri_kg.store import read_ontology
    from imri_kg.validation import validate_records

    store = Store(tempfile.mkdtemp(prefix="bench-store-", dir=folder.parent)) if disk else Store()
    store.extend(read_ontology())
    out: dict[str, dict[str, float]] = {}

    def stage(name, fn):  # type: ignore[no-untyped-def]
        _reset_peak()
        start, cpu = time.perf_counter(), time.process_time()
        value = fn()
        out[name] = {"s": round(time.perf_counter() - start, 3), "cpu_s": round(time.process_time() - cpu, 3),
                     "peak_mb": round(_peak_mb(), 1)}
        return value

    project = stage("read", lambda: read_project(folder, store=store))
    assert not project.problems.errors, project.problems.items[:3]
    graph = stage("to graph", lambda: to_project_graph(project))
    focus = list(dict.fromkeys(q.subject for q in graph.quads if isinstance(q.subject, NamedNode)))
    report = stage("shapes", lambda: validate_records(context_quads(store, graph), graph.quads, focus))
    assert report.conforms, report.results[:3]
    imported = stage("import", lambda: import_project(store, folder, by="bench"))
    assert imported.written
    out["quads"] = {"n": len(graph.quads)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("excerpts", type=int)
    parser.add_argument("--studies", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--disk", action="store_true", help="import into an on-disk store (default: in memory)")
    parser.add_argument("--once", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.once:
        print(json.dumps(run_once(args.once, args.disk)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_project(Path(tmp) / "bench", args.excerpts, args.studies)
        runs = []
        for _ in range(args.repeats):
            done = subprocess.run([sys.executable, __file__, str(args.excerpts), "--once", str(folder)]
                                  + ["--disk"] * args.disk,
                                  check=True, capture_output=True, text=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(json.dumps(runs[-1]), flush=True)
    print(f"{args.excerpts} excerpts, {args.studies} studies, {runs[0]['quads']['n']} quads, {len(runs)} repeats:")
    for name in ("read", "to graph", "shapes", "import"):
        seconds = [r[name]["s"] for r in runs]
        peaks = [r[name]["peak_mb"] for r in runs]
        cpu = statistics.median(r[name].get("cpu_s", float("nan")) for r in runs)
        print(f"  {name:9} {statistics.median(seconds):8.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f}), cpu {cpu:.2f} s"
              f"   peak {statistics.median(peaks):7.0f} MB (min {min(peaks):.0f}, max {max(peaks):.0f})")


if __name__ == "__main__":
    main()
