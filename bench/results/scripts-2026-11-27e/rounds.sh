#!/bin/bash
# Interleaved rounds under the bench lock: main's code (aa8d013) then this branch, ROWS, N rounds.
cd /work/wt/perf13e
ROWS=$1; N=$2; TAG=$3
for i in $(seq 1 $N); do
  echo "round $i $(date -u +%H:%M:%S) $(uptime)"
  flock /work/bench.lock env PYTHONPATH=/work/wt/perf13e-base/src .venv/bin/python bench/bench_validate.py $ROWS --tools imri-kg --out bench/results/validate-2026-11-27$TAG-main.jsonl
  flock /work/bench.lock .venv/bin/python bench/bench_validate.py $ROWS --tools imri-kg --out bench/results/validate-2026-11-27$TAG.jsonl
done
echo "end $(date -u +%H:%M:%S) $(uptime)"
