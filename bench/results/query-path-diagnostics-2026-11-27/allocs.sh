#!/bin/bash
# bare pyoxigraph GROUP BY CPU ms with glibc, jemalloc, mimalloc, tcmalloc (LD_PRELOAD), rounds interleaved
P=/work/wt/perf18b/.venv/bin/python
L=/usr/lib/x86_64-linux-gnu
for r in 1 2 3; do
  echo "round $r: glibc=$($P /tmp/perf18b/bare_cpu.py 40) jemalloc=$(LD_PRELOAD=$L/libjemalloc.so.2 $P /tmp/perf18b/bare_cpu.py 40) mimalloc=$(LD_PRELOAD=$L/libmimalloc.so.2 $P /tmp/perf18b/bare_cpu.py 40) tcmalloc=$(LD_PRELOAD=$L/libtcmalloc_minimal.so.4 $P /tmp/perf18b/bare_cpu.py 40)"
done
