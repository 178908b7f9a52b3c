# Does getrusage count the bulk loader's threads? Compare with the wall time x cores busy (from /proc/stat).
import io, resource, shutil, sys, time, os
from pathlib import Path
from pyoxigraph import NamedNode, RdfFormat, Store
from imri_kg.validation.engines import Joined
folder = Path(sys.argv[1])
target = folder / "store-x"
shutil.rmtree(target, ignore_errors=True); shutil.copytree(folder / "kb", target)
graph = NamedNode((folder / "graph.txt").read_text())
files = sorted(folder.glob("*.nt"))
def machine():
    f = open("/proc/stat").readline().split()[1:]
    v = list(map(int, f)); return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")
import threading
seen = {}
def sample():
    tck = os.sysconf("SC_CLK_TCK")
    while True:
        for t in os.listdir("/proc/self/task"):
            try:
                f = open(f"/proc/self/task/{t}/stat").read().rsplit(")", 1)[1].split()
                seen[t] = (int(f[11]) + int(f[12])) / tck
            except OSError:
                pass
        time.sleep(0.05)
threading.Thread(target=sample, daemon=True).start()
r0 = resource.getrusage(resource.RUSAGE_SELF); m0 = machine(); t0 = time.perf_counter(); p0 = sum(os.times()[:2])
store = Store(str(target))
with io.BufferedReader(Joined(files), 1 << 20) as data:
    store.bulk_load(data, format=RdfFormat.N_TRIPLES, to_graph=graph)
r1 = resource.getrusage(resource.RUSAGE_SELF); m1 = machine(); t1 = time.perf_counter()
print("wall", round(t1 - t0, 2), "rusage", round(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime, 2),
      "os.times", round(sum(os.times()[:2]) - p0, 2), "machine busy", round(m1 - m0, 2))
shutil.copy(target / "LOG", folder / "LOG-x"); shutil.rmtree(target)
main = str(threading.main_thread().native_id)
print("main thread", seen.get(main), "others", round(sum(v for k, v in seen.items() if k != main), 2))
