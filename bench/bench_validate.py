"""Time and peak memory of validating and importing synthetic coding sheets: imri-kg against pySHACL and
pyshacl-turbo on the same whole data graph (the knowledge base plus the sheet), interleaved in one run.

Usage: python bench/bench_validate.py ROWS [ROWS ...] [--tools imri-kg,turbo,pyshacl] [--repeat 2] [--out FILE]
Each (tool, size) runs in its own process, so that peak memory is that run's. Stages:
  imri-kg: read (sheet -> quads), validate (the path of imri-kg validate/import), write (the bulk loader, in an
           undo point on disk), and
           total = read + validate + write (what `imri-kg import` does).
  peers:   to-rdflib (store + sheet -> one rdflib graph), validate (whole graph, allow_warnings, advanced).
Prints one JSON line per run; bench/README.md keeps the figures.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_sheet import write_sheet


class Stages:
    """Wall time, CPU time (this process, every thread, and its worker processes once they have ended: shacl-rust
    checks slices in two) and peak resident memory (this process plus its children, sampled from /proc every
    50 ms: every 10 ms cost 11 s of CPU at a million rows) of consecutive stages. On a shared machine the CPU time is
    the steadier figure."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.peaks: dict[str, int] = {}
        self.stage, self.started, self.peak = "", time.perf_counter(), 0
        self.cpu_started = _cpu()
        self.running = True
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, _rss())
            time.sleep(0.05)

    def next(self, stage: str) -> None:
        now, cpu = time.perf_counter(), _cpu()
        if self.stage:
            self.times[self.stage] = round(now - self.started, 2)
            self.cpu[self.stage] = round(cpu - self.cpu_started, 2)
            self.peaks[self.stage] = round(max(self.peak, _rss()) / 2**20)
        self.stage, self.started, self.peak, self.cpu_started = stage, now, _rss(), cpu

    def done(self) -> dict:
        self.next("")
        self.running = False
        return {"seconds": self.times, "cpu_seconds": self.cpu, "peak_mib": self.peaks}


def _cpu() -> float:
    """CPU seconds of this process and of the children it has waited for (the slice workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rss(pid: str = "self") -> int:
    """Resident bytes of the process and of its children, grandchildren included."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            total = next((int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:")), 0)
        for task in Path(f"/proc/{pid}/task").iterdir():
            total += sum(_rss(child) for child in (task / "children").read_text().split())
    except OSError:  # a child that has just ended
        pass
    return total


def run_one(tool: str, rows: int, sheet_path: Path, on_disk: bool = True) -> dict:
    from imri_kg.kb.build import build_store

    store = build_store()
    folder = tempfile.TemporaryDirectory(prefix="bench-store-")
    if tool == "imri-kg" and on_disk:  # what `imri-kg import SHEET --store DIR` writes to
        from pyoxigraph import Store

        disk = Store(str(Path(folder.name) / "store"))  # its lock, journal and undo copy go beside it
        disk.bulk_extend(store)
        store = disk
    stages = Stages()
    if tool == "imri-kg":
        from imri_kg.importers.files import import_sheet

        stages.next("read")
        names = {"validating": "validate", "validated": "after", "writing": "write"}
        done = import_sheet(store, sheet_path, progress=lambda s, *_: s in names and stages.next(names[s]),
                            store_dir=Path(folder.name) / "store" if on_disk else None)
        out = stages.done()
        report = done.checked.report
        out["seconds"]["total"] = round(sum(out["seconds"].values()), 2)
        out["cpu_seconds"]["total"] = round(sum(out["cpu_seconds"].values()), 2)
        return {"tool": tool, "rows": rows, "store": "disk" if on_disk else "memory", **out,
                "violations": len(report.violations), "warnings": len(report.warnings), "written": done.added,
                "in_store": len(store)}
    from imri_kg.importers.coding_sheet import read_coding_sheet
    from imri_kg.validation import project_shapes, to_rdflib

    stages.next("read")
    sheet = read_coding_sheet(sheet_path, store=store)
    stages.next("to-rdflib")
    data = to_rdflib(list(store) + sheet.quads)
    shapes = project_shapes().graph
    stages.next("validate")
    if tool == "turbo":
        import pyshacl_turbo as engine
    else:
        import pyshacl as engine
    _, graph, _ = engine.validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True)
    out = stages.done()
    from imri_kg.validation import to_results

    results = to_results(graph, shapes=shapes)
    return {"tool": tool, "rows": rows, **out, "violations": sum(r.blocks for r in results),
            "warnings": sum(r.severity == "Warning" for r in results)}


def _load() -> float:
    """The machine's load average over the last minute."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="+")
    parser.add_argument("--tools", default="imri-kg,turbo,pyshacl")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--memory", action="store_true", help="imri-kg imports into an in-memory store")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--sheet", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.rows[0], args.sheet, not args.memory)), flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            sheet = write_sheet(Path(tmp) / f"sheet-{rows}.csv", rows)
            for _ in range(args.repeat):
                for tool in args.tools.split(","):  # interleaved: each tool once per round
                    command = [sys.executable, __file__, str(rows), "--one", tool, "--sheet", str(sheet)]
                    before = _load()
                    done = subprocess.run(command + (["--memory"] if args.memory else []),
                                          capture_output=True, text=True, check=False)
                    line = json.dumps({**(json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0
                                          else {"tool": tool, "rows": rows,
                                                "error": done.stderr.strip().splitlines()[-1:]}),
                                       "load_before": before, "load_after": _load()})
                    print(line, flush=True)
                    if args.out:
                        with args.out.open("a") as out:
                            out.write(line + "\n")


if __name__ == "__main__":
    main()
