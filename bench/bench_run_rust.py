"""engines.run_rust over one N-Quads file with the project's shapes: wall and CPU seconds, for each version of the
code given (a `src/` folder), interleaved, each run in its own process under the bench lock. It shows whether the
SHACL Core run (shacl-rust) and the SPARQL rules (Oxigraph, in this process) overlap.

Usage: python bench/bench_run_rust.py FILE.nq [--src NAME=SRC ...] [--repeat 3]
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE = """import json, resource, sys, time
from pathlib import Path
from imri_kg.validation import project_shapes, run_rust
shapes = project_shapes()
wall, cpu = time.perf_counter(), time.process_time()
results = run_rust([Path(sys.argv[1])], shapes)
own = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(time.process_time() - cpu, 2),
                  "workers_cpu_s": round(kids.ru_utime + kids.ru_stime, 2), "results": len(results)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--src", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sources = dict(s.split("=", 1) for s in args.src) or {"this": str(ROOT / "src")}
    for _ in range(args.repeat):
        for name, src in sources.items():
            with open("/proc/loadavg") as f:
                load = float(f.read().split()[0])
            done = subprocess.run(["flock", "/work/bench.lock", sys.executable, "-c", ONE, str(args.file)],
                                  capture_output=True, text=True, env={**os.environ, "PYTHONPATH": src}, check=False)
            out = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else {
                "error": done.stderr[-300:]}
            print(json.dumps({"code": name, **out, "load_before": load}), flush=True)


if __name__ == "__main__":
    main()
