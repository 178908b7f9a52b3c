"""Time the library questions against an older text of them, interleaved, in one process (the engine only: no
maintained aggregates), each with its default parameters, on the build plus synthetic evidence.

Usage: python bench/time_library_projects.py SYNTHETIC.nq REPS OLD_DIR > out.json
SYNTHETIC.nq: bench/synth.py's output (e.g. 1000000 triples); OLD_DIR: the older .rq files, by the same names (e.g.
`git show REV:queries/library/NAME.rq`). Prints min, median and max wall and CPU milliseconds per question and text,
and the rows each gave, as JSON; progress on stderr.
"""

import json
import statistics
import sys
import time
from pathlib import Path

from pyoxigraph import RdfFormat

from imri_kg.kb.build import build_store
from imri_kg.questions import library, run
from imri_kg.questions.params import to_bindings


def main(synthetic: str, reps: int, old_dir: Path) -> dict:
    store = build_store()
    store.bulk_load(path=synthetic, format=RdfFormat.N_QUADS)
    print("quads", len(store), file=sys.stderr)
    questions = library()
    out = {}
    for path in sorted(old_dir.glob("*.rq")):
        new = questions[path.stem]
        texts = {"before": path.read_text(encoding="utf-8"), "after": new.sparql}
        bindings = to_bindings(store, new, {})
        times: dict[str, list[float]] = {k: [] for k in ("before", "after", "before_cpu", "after_cpu")}
        counts = {}
        for r in range(reps):
            for label in ("before", "after") if r % 2 == 0 else ("after", "before"):
                wall, cpu = time.perf_counter(), time.process_time()
                counts[label] = sum(1 for _ in run(store, texts[label], bindings=bindings))
                times[label].append(time.perf_counter() - wall)
                times[label + "_cpu"].append(time.process_time() - cpu)
        out[path.stem] = {k: [round(f(v) * 1000, 1) for f in (min, statistics.median, max)] for k, v in times.items()}
        out[path.stem]["rows"] = counts
        print(path.stem, out[path.stem], file=sys.stderr)
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])), indent=1))
