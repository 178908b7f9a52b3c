import time, sys
from pathlib import Path
from imri_kg.importers.sheets import sheet_rows
from imri_kg.importers.coding_sheet import REQUIRED, _Digest, read_coding_sheet
from imri_kg.kb.build import build_store
p = Path("/tmp/perf13e/s100k.csv")
t = time.process_time(); rows = list(sheet_rows(p, required=REQUIRED)); a = time.process_time() - t
t = time.process_time(); d = _Digest(); [d.add(r) for r in rows]; b = time.process_time() - t
store = build_store()
t = time.process_time(); s = read_coding_sheet(p, store=store); c = time.process_time() - t
print(f"csv {a:.2f} digest {b:.2f} read_coding_sheet {c:.2f}")
