import time, json, hashlib
from pathlib import Path
from imri_kg.importers.sheets import sheet_rows
from imri_kg.importers.coding_sheet import REQUIRED, _Digest
rows = list(sheet_rows(Path("/tmp/perf13e/s100k.csv"), required=REQUIRED))[:50000]
class Old:
    def __init__(self): self.hash, self.first = hashlib.sha256(b"["), True
    def add(self, r):
        item = [r.number, sorted((k, v.strip()) for k, v in r.values.items() if v.strip())]
        self.hash.update((b"" if self.first else b", ") + json.dumps(item, ensure_ascii=False).encode()); self.first = False
    def hexdigest(self):
        d = self.hash.copy(); d.update(b"]"); return d.hexdigest()
E = json.JSONEncoder(ensure_ascii=False)
class Mid(Old):
    def add(self, r):
        item = [r.number, sorted((k, v.strip()) for k, v in r.values.items() if v.strip())]
        self.hash.update((b"" if self.first else b", ") + E.encode(item).encode()); self.first = False
for cls in (Old, _Digest, Mid, Old, _Digest, Mid):
    t = time.process_time(); d = cls(); [d.add(r) for r in rows]; h = d.hexdigest(); print(cls.__name__, round(time.process_time() - t, 3), h[:12])
