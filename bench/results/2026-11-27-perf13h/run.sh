#!/bin/bash
# run.sh CODE ROWS OUT [SRC] : one bench_validate run of CODE under the bench lock, uptime before/after. SRC: the
# src/ folder of CODE (main: /tmp/perf13h-main/src; the branch: /tmp/perf13h-this/src, later copies this2 for the
# heap change and w1 for slices.WORKERS = 1, which were the run2.sh and run3.sh of the measurements)
code=$1; rows=$2; out=$3; src=${4:-}
cd /work/wt/perf13h
if [ -z "$src" ]; then
  if [ "$code" = main ]; then src=/tmp/perf13h-main/src; else src=/tmp/perf13h-this/src; fi
fi
flock /work/bench.lock bash -c "
  b=\$(cat /proc/loadavg | cut -d' ' -f1); echo \"start \$(date +%T) code=$code rows=$rows \$(uptime)\" >> $out.rounds.txt
  line=\$(PYTHONPATH=$src .venv/bin/python bench/bench_validate.py $rows --one imri-kg --sheet /tmp/perf13h/sheet-$rows.csv 2>/tmp/perf13h/err-$code-$rows.txt | tail -1)
  a=\$(cat /proc/loadavg | cut -d' ' -f1)
  echo \"\$line\" | python3 -c \"import json,sys; d=json.loads(sys.stdin.read()); d.update(code='$code', load_before=\$b, load_after=\$a); print(json.dumps(d))\" >> $out.jsonl
  echo \"end \$(date +%T) code=$code rows=$rows \$(uptime)\" >> $out.rounds.txt
"
tail -1 $out.jsonl
