import time, sys, functools, resource
from pathlib import Path
from imri_kg.kb.build import build_store
from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers import files as F
from imri_kg.validation import engines, sparql, slices, records
T = {}
def wrap(mod, name):
    f = getattr(mod, name)
    @functools.wraps(f)
    def g(*a, **k):
        t, c = time.perf_counter(), time.thread_time()
        try: return f(*a, **k)
        finally:
            w = T.setdefault(name, [0, 0, 0]); w[0] += time.perf_counter() - t; w[1] += time.thread_time() - c; w[2] += 1
    setattr(mod, name, g)
for m, n in [(engines, "_load"), (sparql, "run"), (sparql, "focus_nodes"), (slices, "reached"), (slices, "pointing"), (slices, "_rules"), (engines, "check_files"), (slices, "changed"), (records, "_about_new"), (slices, "_copy"), (slices, "merged")]:
    wrap(m, n)
store = build_store()
s = read_coding_sheet(Path(sys.argv[1]), store=store)
t, c = time.perf_counter(), time.process_time()
r = F.check_quads(store, s.records)
ch = resource.getrusage(resource.RUSAGE_CHILDREN)
print("validate", round(time.perf_counter() - t, 2), "main cpu", round(time.process_time() - c, 2), "children", round(ch.ru_utime + ch.ru_stime, 2))
for k, v in T.items(): print(f"{k:14} wall {v[0]:.2f} thread-cpu {v[1]:.2f} n {v[2]}")
