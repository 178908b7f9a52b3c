"""Same answers: import a sheet into an on-disk store holding the knowledge base (`--serial`: the write after the
verdict, HELD_BYTES 0), then write the sheet's graph as sorted N-Quads to OUT and print what the import added, the
store's quads, the graph's lines, sha256[:16] of OUT, the graphs' names and what is beside the store.
Usage: PYTHONPATH=<src> python same.py SHEET OUT [--serial]   (adapted from ../2026-11-27-perf13h/same.py)"""
import datetime as dt
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from imri_kg.importers import files
from imri_kg.kb.build import build_store

if "--serial" in sys.argv:
    files.HELD_BYTES = 0
folder = Path(tempfile.mkdtemp(prefix="perf13i-same-"))
disk = Store(str(folder / "store"))
disk.bulk_extend(build_store())
before = len(disk)
done = files.import_sheet(disk, Path(sys.argv[1]), store_dir=folder / "store",
                          now=dt.datetime(2026, 11, 27, tzinfo=dt.UTC))
out = Path(sys.argv[2])
lines = sorted(disk.dump(format=RdfFormat.N_QUADS, from_graph=done.graph).splitlines()) if done.added else []
out.write_bytes(b"\n".join(lines) + b"\n")
print(files.__file__, "conforms" if done.checked.report.conforms else "rejected", done.added, before, len(disk),
      len(lines), hashlib.sha256(out.read_bytes()).hexdigest()[:16], sorted(str(g) for g in disk.named_graphs()).__len__(),
      sorted(p.name for p in folder.iterdir()))
shutil.rmtree(folder)
