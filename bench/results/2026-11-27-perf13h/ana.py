import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
start = float(sys.argv[2])  # epoch of the bench start
stages = json.loads(sys.argv[3])  # {"read": s, "validate": s, "write": s}
bounds, t = [], 0.0
for k in ("read", "validate", "after", "write"):
    bounds.append((k, t, t + stages.get(k, 0))); t += stages.get(k, 0)
for d in lines:
    th = d["threads"]
    if len(th) < 3: continue
    tot = {}
    for tid, (name, cpu, first, last) in th.items():
        f, l = first - start, last - start
        kind = "main" if tid == d["main"] else name
        where = next((k for k, a, b in bounds if a <= f < b), "?")
        key = (kind, where)
        tot.setdefault(key, [0, 0.0]); tot[key][0] += 1; tot[key][1] += cpu
    for k, v in sorted(tot.items(), key=lambda kv: -kv[1][1]):
        print(k, v[0], round(v[1], 1))
    print("total", round(sum(v[1] for v in tot.values()), 1))
