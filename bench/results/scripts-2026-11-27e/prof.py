"""Profile stages of import_sheet into an on-disk store."""
import cProfile, pstats, sys, tempfile, time, io
from pathlib import Path
from pyoxigraph import Store
from imri_kg.kb.build import build_store
from imri_kg.importers import files as F
from imri_kg.importers.coding_sheet import read_coding_sheet
sheet_path = Path(sys.argv[1]); which = sys.argv[2]
kb = build_store()
folder = tempfile.TemporaryDirectory(prefix="perf13e-store-", dir="/tmp/perf13e")
disk = Store(str(Path(folder.name) / "store")); disk.bulk_extend(kb); store = disk
pr = cProfile.Profile()
t = time.perf_counter(); c = time.process_time()
if which == "read": pr.enable()
sheet = read_coding_sheet(sheet_path, store=store)
pr.disable()
print("read", time.perf_counter()-t, time.process_time()-c)
t = time.perf_counter(); c = time.process_time()
if which == "validate": pr.enable()
rep = F.check_quads(store, sheet.records)
pr.disable()
print("validate", time.perf_counter()-t, time.process_time()-c, len(rep.violations), len(rep.warnings))
t = time.perf_counter(); c = time.process_time()
if which == "write": pr.enable()
stamp = Path(sheet.inferred.parent) / "started.nt"; stamp.write_text("")
F._write(store, sheet, [*sheet.records.files, sheet.inferred, stamp], sheet_path, store_dir=Path(folder.name) / "store")
pr.disable()
print("write", time.perf_counter()-t, time.process_time()-c)
s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(25); print(s.getvalue()[:6000])
