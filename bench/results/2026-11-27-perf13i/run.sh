#!/bin/bash
# run.sh CODE ROWS OUT : one bench_validate run of CODE (main: main-base worktree at 351302c; this: the perf13i
# branch snapshot in /tmp/perf13i/CODE/src) under the bench lock, uptime before/after. Adapted from ../2026-11-27-perf13h/run.sh.
code=$1; rows=$2; out=$3
cd /work/wt/perf13i
case $code in main) src=/work/wt/main-base/src;; *) src=/tmp/perf13i/$code/src;; esac  # this: a git archive of the branch; w1: the same with slices.WORKERS = 1
flock /work/bench.lock bash -c "
  b=\$(cat /proc/loadavg | cut -d' ' -f1); echo \"start \$(date +%T) code=$code rows=$rows \$(uptime)\" >> $out.rounds.txt
  line=\$(PYTHONPATH=$src .venv/bin/python bench/bench_validate.py $rows --one imri-kg --sheet /tmp/perf13i/sheet-$rows.csv 2>/tmp/perf13i/err-$code-$rows.txt | tail -1)
  a=\$(cat /proc/loadavg | cut -d' ' -f1)
  echo \"\$line\" | python3 -c \"import json,sys; d=json.loads(sys.stdin.read()); d.update(code='$code', load_before=\$b, load_after=\$a); print(json.dumps(d))\" >> $out.jsonl
  echo \"end \$(date +%T) code=$code rows=$rows \$(uptime)\" >> $out.rounds.txt
"
tail -1 $out.jsonl
