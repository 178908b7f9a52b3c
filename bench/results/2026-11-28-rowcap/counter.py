"""Microbench of rowcap.CappedSink on a LIMIT cap+1 JSON and XML result (counted past the cap), pyoxigraph in memory.
Usage: python counter.py SRC  (data: bench/synth.py 130000 /tmp/s8/jc/data.nq)"""
import sys, time, statistics
sys.path.insert(0, sys.argv[1])
from pyoxigraph import Store, QueryResultsFormat as F, RdfFormat
from imri_kg.api.rowcap import CappedSink, Enough
store = Store()
store.load(path="/tmp/s8/jc/data.nq", format=RdfFormat.N_QUADS)
q = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 100001"
def run(fmt, capped=True):
    r = store.query(q)
    t = time.perf_counter()
    if capped:
        sink = CappedSink(fmt, 100000)
        try:
            r.serialize(sink, format=fmt)
        except Enough:
            pass
        n = len(sink.finish()[0])
    else:
        n = len(r.serialize(format=fmt))
    return time.perf_counter() - t, n
for fmt in (F.JSON, F.XML):
    for capped in (False, True):
        ts = []
        for _ in range(7):
            s, n = run(fmt, capped); ts.append(s)
        print(fmt, "capped" if capped else "plain ", f"{statistics.median(ts)*1000:.0f} ms ({min(ts)*1000:.0f}-{max(ts)*1000:.0f})", n)
