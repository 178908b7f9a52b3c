import os, sys, time, shutil, threading
from pathlib import Path
from pyoxigraph import NamedNode, RdfFormat, Store
folder = Path("/tmp/perf13e/w"); mode = sys.argv[1]; times = int(sys.argv[2])
target = folder / f"store-fifo"; shutil.rmtree(target, ignore_errors=True); shutil.copytree(folder / "kb", target)
graph = NamedNode((folder / "graph.txt").read_text()); files = sorted(folder.glob("00*.nt")) * times
store = Store(str(target)); before = len(store)
fifo = folder / "load.fifo"
if fifo.exists(): fifo.unlink()
os.mkfifo(fifo)
verdict = threading.Event(); ok = [None]; err = [None]
def feed():
    with open(fifo, "wb") as out:
        for p in files:
            with open(p, "rb") as f:
                off, size = 0, os.fstat(f.fileno()).st_size
                while off < size:
                    off += os.sendfile(out.fileno(), f.fileno(), off, size - off)
        verdict.wait()
        out.write(b"<x:a> <x:b> <x:c> .\n" if ok[0] else b"\x00 not n-triples\n")
def load():
    try: store.bulk_load(path=str(fifo), format=RdfFormat.N_TRIPLES, to_graph=graph)
    except Exception as e: err[0] = e
t = time.perf_counter()
threads = [threading.Thread(target=feed), threading.Thread(target=load)]
for th in threads: th.start()
x = 0
for i in range(30_000_000): x += i
print("spin done", round(time.perf_counter() - t, 2))
seen = set()
while threads[0].is_alive() and time.perf_counter() - t < 20 * times:
    seen.add(sum(1 for _ in store.quads_for_pattern(None, None, None, graph))); time.sleep(1)
    if time.perf_counter() - t > 12 * times: break
print("seen while waiting", seen)
ok[0] = mode == "ok"; verdict.set()
for th in threads: th.join()
print("done", round(time.perf_counter() - t, 2), "err", repr(err[0])[:200], "graph quads", sum(1 for _ in store.quads_for_pattern(None, None, None, graph)), "store", len(store) - before)
print(sorted(p.name for p in target.iterdir() if p.name.startswith("bulk")))
