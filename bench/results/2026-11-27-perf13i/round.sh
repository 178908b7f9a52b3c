#!/bin/bash
# round.sh ROWS OUT CODE...: one run of each code in turn, each under the lock on its own
rows=$1; out=$2; shift 2
for code in "$@"; do /work/wt/perf13i/bench/results/2026-11-27-perf13i/run.sh $code $rows $out; sleep 3; done
