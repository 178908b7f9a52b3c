"""(bench/README.md, 2026-11-28: the 10k-row results again, 10 pairs a format.) Alternate LIMIT 10000 requests (JSON, CSV) between imri-kg serve and oxigraph serve-read-only on one store."""
import os, subprocess, sys, time, socket, statistics, httpx
BIN = "/work/main/.venv/bin"
store = "/tmp/pad13/store1m"
def port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
pi, po = port(), port()
env = {**os.environ, "IMRI_KG_WRITE_TOKEN": ""}
if len(sys.argv) > 1: env["PYTHONPATH"] = sys.argv[1]
a = subprocess.Popen([f"{BIN}/imri-kg", "serve", "--store", store, "--port", str(pi), "--max-rows", "100000", "--cache-mb", "0"], env=env, stderr=subprocess.DEVNULL)
b = subprocess.Popen([f"{BIN}/oxigraph", "serve-read-only", "--location", store, "--bind", f"127.0.0.1:{po}", "--union-default-graph"], stderr=subprocess.DEVNULL)
Q = "SELECT * WHERE { ?s ?p ?o } LIMIT 10000"
try:
    for url in (f"http://127.0.0.1:{pi}", f"http://127.0.0.1:{po}"):
        for _ in range(100):
            try:
                httpx.get(url + "/query" if url.endswith(str(po)) else url + "/sparql", params={"query": "ASK {}"}, timeout=1); break
            except Exception: time.sleep(0.1)
    res = {}
    with httpx.Client(timeout=30) as c:
        for fmt, acc in (("json", "application/sparql-results+json"), ("csv", "text/csv"), ("xml", "application/sparql-results+xml"), ("tsv", "text/tab-separated-values")):
            t = {"imri": [], "oxi": []}
            for i in range(12):
                for name, url in (("imri", f"http://127.0.0.1:{pi}/sparql"), ("oxi", f"http://127.0.0.1:{po}/query")):
                    s = time.perf_counter(); r = c.get(url, params={"query": Q}, headers={"Accept": acc}); el = time.perf_counter() - s
                    assert r.status_code == 200, r.text[:200]
                    if i >= 2: t[name].append(el * 1000)
            mi, mo = statistics.median(t["imri"]), statistics.median(t["oxi"])
            print(fmt, f"imri {mi:.1f} ms  oxi {mo:.1f} ms  ratio {mi/mo:.2f}  bytes {len(r.content)}", flush=True)
finally:
    a.terminate(); b.terminate(); a.wait(); b.wait()
