"""Does validating a sheet against an on-disk store cost more when the store is bigger? `imri-kg validate SHEET
--store DIR` of one sheet against the knowledge base alone and against the knowledge base plus an earlier import,
for each version of the code given (a `src/` folder), interleaved, each run under the bench lock.

Usage: python bench/bench_store_size.py ROWS --stored N [--src NAME=SRC ...] [--repeat 2] [--out FILE] [--work DIR]
       [--file FILE]  (validate FILE, e.g. an RDF file, instead of a sheet of ROWS rows)
The stores are built once in --work (the earlier sheet imported with this checkout's code; not timed). Prints one
JSON line per run: wall and CPU seconds (the process and its worker processes), peak RSS (GNU time's %M: the
largest single process), the summary line, and the load average before and after.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_sheet import write_sheet

ROOT = Path(__file__).resolve().parents[1]
CLI = "import sys; from imri_kg.cli import main; sys.argv[0] = 'imri-kg'; main()"


def _load() -> float:
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def _cli(src: Path, *args: str, timed: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, "-c", CLI, *args]
    if timed:
        command = ["flock", "/work/bench.lock", "/usr/bin/time", "-f", "TIME %e %U %S %M", *command]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def stores(work: Path, stored: int) -> dict[str, Path]:
    """The knowledge base alone, and with an earlier sheet of `stored` rows imported (built once)."""
    found = {"kb": work / "kb", f"kb+{stored}": work / f"kb-{stored}"}
    if not found["kb"].exists():
        _check(_cli(ROOT / "src", "build", "--store", str(found["kb"])))
    if not found[f"kb+{stored}"].exists():
        _check(_cli(ROOT / "src", "build", "--store", str(found[f"kb+{stored}"])))
        earlier = write_sheet(work / f"earlier-{stored}.csv", stored)
        # A different sheet from the one validated: the same rows, each text marked as the earlier import's.
        earlier.write_text(earlier.read_text(encoding="utf-8").replace("(synthetic row", "(earlier row"),
                           encoding="utf-8")
        _check(_cli(ROOT / "src", "import", str(earlier), "--store", str(found[f"kb+{stored}"])))
    return found


def _check(done: subprocess.CompletedProcess) -> None:
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--stored", type=int, required=True)
    parser.add_argument("--src", action="append", default=[], help="NAME=PATH of a src/ folder (default: this one)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-store-size"))
    parser.add_argument("--file", type=Path, help="validate this file instead of a sheet of ROWS rows")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sources = dict(s.split("=", 1) for s in args.src) or {"this": str(ROOT / "src")}
    sheet = args.file or args.work / f"sheet-{args.rows}.csv"
    if not sheet.exists():
        write_sheet(sheet, args.rows)
    for _ in range(args.repeat):
        for store, path in stores(args.work, args.stored).items():
            for name, src in sources.items():  # interleaved: each version once per store per round
                before = _load()
                started = time.strftime("%H:%M:%S", time.gmtime())
                done = _cli(Path(src), "validate", str(sheet), "--store", str(path), timed=True)
                timing = next((line.split()[1:] for line in done.stderr.splitlines() if line.startswith("TIME ")),
                              None)
                wall, user, system, peak = (float(x) for x in timing) if timing else (None,) * 4
                line = json.dumps({"code": name, "rows": args.rows, "file": sheet.name, "store": store, "started_utc": started,
                                   "exit": done.returncode, "wall_s": wall,
                                   "cpu_s": round(user + system, 2) if timing else None,
                                   "peak_mib": round(peak / 1024) if timing else None,
                                   "summary": (done.stdout.strip().splitlines() or [""])[-1],
                                   "load_before": before, "load_after": _load()})
                print(line, flush=True)
                if args.out:
                    with args.out.open("a") as out:
                        out.write(line + "\n")


if __name__ == "__main__":
    main()
