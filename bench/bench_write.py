"""The on-disk write of an import alone: Oxigraph's bulk loader fed a sheet's N-Triples files one load per file
(what importers/files.py did before 2026-11-27) against one load over all of them as one stream (what it does now),
into a copy of an on-disk store holding the knowledge base, each in its own process, interleaved.

Usage: python bench/bench_write.py ROWS [ROWS ...] [--repeat N] [--out FILE]
Each line: wall and CPU seconds (every thread) of the load, of len() and of closing; peak RSS; store size.
"""

import argparse
import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def prepare(rows: int, folder: Path) -> None:
    """The knowledge base as an on-disk store, and the sheet's files as the importer writes them."""
    from make_sheet import write_sheet
    from pyoxigraph import Store

    from imri_kg.importers.coding_sheet import read_coding_sheet
    from imri_kg.kb.build import build_store

    kb = build_store()
    disk = Store(str(folder / "kb"))
    disk.bulk_extend(kb)
    disk.flush()
    del disk
    sheet = read_coding_sheet(write_sheet(folder / "sheet.csv", rows), store=kb)
    for i, part in enumerate([*sheet.records.files, sheet.inferred]):
        shutil.copy(part, folder / f"{i:03d}.nt")
    (folder / "graph.txt").write_text(sheet.graph.value)


def run_one(mode: str, folder: Path) -> dict:
    from pyoxigraph import NamedNode, RdfFormat, Store

    from imri_kg.validation.engines import Joined

    target = folder / f"store-{mode}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(folder / "kb", target)
    graph = NamedNode((folder / "graph.txt").read_text())
    files = sorted(folder.glob("*.nt"))
    start, cpu = time.perf_counter(), _cpu()
    store = Store(str(target))
    if mode == "per-file":
        for part in files:
            store.bulk_load(path=str(part), format=RdfFormat.N_TRIPLES, to_graph=graph)
    else:
        with io.BufferedReader(Joined(files), 1 << 20) as data:
            store.bulk_load(data, format=RdfFormat.N_TRIPLES, to_graph=graph)
    load, load_cpu = time.perf_counter() - start, _cpu() - cpu
    quads = len(store)
    count = time.perf_counter() - start - load
    del store
    size = sum(p.stat().st_size for p in target.iterdir())
    shutil.rmtree(target)
    return {"mode": mode, "files": len(files), "quads": quads, "load_s": round(load, 2),
            "load_cpu_s": round(load_cpu, 2), "len_s": round(count, 2), "total_cpu_s": round(_cpu() - cpu, 2),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "store_mib": size >> 20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="+")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.folder)), flush=True)
        return
    with tempfile.TemporaryDirectory(prefix="bench-write-") as tmp:
        for rows in args.rows:
            folder = Path(tmp) / str(rows)
            folder.mkdir()
            prepare(rows, folder)
            for _ in range(args.repeat):
                for mode in ("per-file", "one-stream"):  # interleaved
                    with open("/proc/loadavg") as f:
                        load = f.read().split()[0]
                    done = subprocess.run([sys.executable, __file__, "0", "--one", mode, "--folder", str(folder)],
                                          capture_output=True, text=True, check=True)
                    line = json.dumps({"rows": rows, "load_before": float(load),
                                       **json.loads(done.stdout.strip().splitlines()[-1])})
                    print(line, flush=True)
                    if args.out:
                        with args.out.open("a") as out:
                            out.write(line + "\n")


if __name__ == "__main__":
    main()
