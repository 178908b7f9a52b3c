"""Same answers: import a sheet into an on-disk store holding the knowledge base (serial path forced with
--serial: HELD_BYTES 0), then dump the sheet's graph and the whole store's quad count."""
import sys, tempfile, hashlib, datetime as dt
from pathlib import Path
from pyoxigraph import Store, RdfFormat
from imri_kg.kb.build import build_store
from imri_kg.importers import files
if "--serial" in sys.argv:
    files.HELD_BYTES = 0
folder = Path(tempfile.mkdtemp(prefix="perf13h-same-"))
disk = Store(str(folder / "store")); disk.bulk_extend(build_store())
done = files.import_sheet(disk, Path(sys.argv[1]), store_dir=folder / "store", now=dt.datetime(2026, 11, 27, tzinfo=dt.UTC))
out = Path(sys.argv[2])
lines = sorted(disk.dump(format=RdfFormat.N_QUADS, from_graph=done.graph).splitlines())
out.write_bytes(b"\n".join(lines) + b"\n")
print(done.added, len(disk), len(lines), hashlib.sha256(out.read_bytes()).hexdigest()[:16], sorted(p.name for p in folder.iterdir()))
import shutil; shutil.rmtree(folder)
