import sys, time, shutil, resource
from pathlib import Path
from pyoxigraph import NamedNode, Store
from imri_kg.store.held import HeldLoad
folder = Path("/tmp/perf13e/w")
target = folder / "store-tail"; shutil.rmtree(target, ignore_errors=True); shutil.copytree(folder / "kb", target)
graph = NamedNode((folder / "graph.txt").read_text()); files = sorted(folder.glob("00*.nt"))
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
store = Store(str(target))
t, c = time.perf_counter(), cpu()
load = HeldLoad(store, files, graph)
wait = float(sys.argv[1]); time.sleep(wait)
t2, c2 = time.perf_counter(), cpu()
print("before finish cpu", round(c2 - c, 2))
load.finish(b"")
print("finish wall", round(time.perf_counter() - t2, 2), "cpu", round(cpu() - c2, 2), "total wall", round(time.perf_counter() - t, 2), len(store))
