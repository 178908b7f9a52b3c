"""Time validating and importing synthetic coding sheets, with pySHACL and with pyshacl-turbo.

Usage: python bench/bench_validate.py ROWS [ENGINE ...]   (engines: pyshacl, turbo)
Prints one line per step; bench/README.md keeps the figures.
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_sheet import write_sheet

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.imports import check_quads, import_sheet
from imri_kg.store import build_store


def main(rows: int, engines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sheet_path = write_sheet(Path(tmp) / f"sheet-{rows}.csv", rows)
        store = build_store()
        t = time.perf_counter()
        sheet = read_coding_sheet(sheet_path, store=store)
        print(f"{rows} rows: read + map to RDF {time.perf_counter() - t:.1f} s ({len(sheet.quads)} quads)", flush=True)
        for engine in engines:
            t = time.perf_counter()
            report = check_quads(store, sheet.quads, sheet.evidence, engine=engine)
            print(f"{rows} rows: validate ({engine}) {time.perf_counter() - t:.1f} s, "
                  f"{len(report.violations)} violations, {len(report.warnings)} warnings", flush=True)
        t = time.perf_counter()
        done = import_sheet(store, sheet_path, engine=engines[-1])
        print(f"{rows} rows: import ({engines[-1]}: read, validate, write) {time.perf_counter() - t:.1f} s, "
              f"{done.added} quads added", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:] or ["pyshacl"])
