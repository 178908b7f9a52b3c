# held_padding.py PAD HOLD: bulk-load data.nt from a named pipe held open HOLD s, with PAD copies of its first
# line before the hold; prints the wait after the release (bench/README.md, 2026-11-28, padded held load).
import os, sys, threading, time, shutil, resource
from pyoxigraph import Store, RdfFormat, NamedNode
pad = int(sys.argv[1]); hold = float(sys.argv[2])
d = "/tmp/pad/store"; shutil.rmtree(d, ignore_errors=True)
st = Store(d)
fifo = "/tmp/pad/fifo"
if os.path.exists(fifo): os.unlink(fifo)
os.mkfifo(fifo)
g = NamedNode("https://ex.org/g")
def load():
    st.bulk_load(path=fifo, format=RdfFormat.N_TRIPLES, to_graph=g)
t = threading.Thread(target=load); t.start()
first = open("data.nt","rb").readline()
t0 = time.time()
with open(fifo, "wb") as out:
    with open("data.nt","rb") as f:
        shutil.copyfileobj(f, out, 1<<22)
    if pad:
        out.write(first * pad)
    fed = time.time()-t0
    time.sleep(hold)
    t1 = time.time()
    out.write(b'<https://ex.org/x> <https://ex.org/y> "tail" .\n')
t.join(); t2=time.time()
print(f"pad={pad} fed={fed:.2f} after_release={t2-t1:.2f} total={t2-t0:.2f} n={len(st)}", flush=True)
