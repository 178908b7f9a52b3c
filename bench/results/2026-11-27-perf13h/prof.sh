#!/bin/bash
# prof.sh ROWS TAG: one import under the lock with per-thread CPU and perf record (49 Hz, call graphs)
rows=$1; tag=$2; cd /work/wt/perf13h
flock /work/bench.lock bash -c "
  echo \"start \$(date +%T.%N) \$(uptime)\" > /tmp/perf13h/prof-$tag.txt
  THREADS_OUT=/tmp/perf13h/threads-$tag.jsonl PYTHONPATH=/work/wt/perf13h/src:/tmp/perf13h/inject .venv/bin/python bench/bench_validate.py $rows --one imri-kg --sheet /tmp/perf13h/sheet-$rows.csv >> /tmp/perf13h/prof-$tag.txt 2>&1 &
  py=\$!
  sleep 1
  perf record -F 49 -g -o /tmp/perf13h/perf-$tag.data -p \$py 2>/tmp/perf13h/perf-$tag.err &
  pr=\$!
  wait \$py
  kill -INT \$pr; wait \$pr
  echo \"end \$(date +%T.%N) \$(uptime)\" >> /tmp/perf13h/prof-$tag.txt
"
