import sys, time, io, shutil, resource, os
from pathlib import Path
sys.path.insert(0, "bench")
import bench_write as B
from pyoxigraph import NamedNode, RdfFormat, Store
from imri_kg.validation.engines import Joined
folder = Path("/tmp/perf13e/w"); 
if sys.argv[1] == "prep":
    folder.mkdir(exist_ok=True); B.prepare(100000, folder); sys.exit()
mode = sys.argv[1]
target = folder / f"store-{mode}"; shutil.rmtree(target, ignore_errors=True); shutil.copytree(folder / "kb", target)
graph = NamedNode((folder / "graph.txt").read_text()); files = sorted(folder.glob("*.nt"))
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
t, c = time.perf_counter(), cpu()
store = Store(str(target))
if mode == "stream":
    with io.BufferedReader(Joined(files), 1 << 20) as data:
        store.bulk_load(data, format=RdfFormat.N_TRIPLES, to_graph=graph)
elif mode == "bytes":
    data = b"".join(p.read_bytes() for p in files)
    store.bulk_load(data, format=RdfFormat.N_TRIPLES, to_graph=graph)
elif mode == "path":
    one = folder / "all.nt"
    with open(one, "wb") as out:
        for p in files:
            with open(p, "rb") as f: shutil.copyfileobj(f, out, 1 << 22)
    print("concat", time.perf_counter() - t, file=sys.stderr)
    store.bulk_load(path=str(one), format=RdfFormat.N_TRIPLES, to_graph=graph)
    one.unlink()
elif mode == "memory":
    store = Store()
    with io.BufferedReader(Joined(files), 1 << 20) as data:
        store.bulk_load(data, format=RdfFormat.N_TRIPLES, to_graph=graph)
w, cc = time.perf_counter() - t, cpu() - c
print(mode, round(w, 2), round(cc, 2), len(store), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10)
