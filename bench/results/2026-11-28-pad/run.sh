#!/bin/bash
# run.sh CODE ROWS OUT : one bench_validate run of CODE (main: a worktree of main at 00510e0; this: a copy of the
# padded held load's src in /tmp/pad13/this) under the bench lock, the load before and after. After perf13i's run.sh.
code=$1; rows=$2; out=$3
cd /work/main
case $code in main) src=/work/wt/main-base/src;; *) src=/tmp/pad13/$code/src;; esac
flock /work/bench.lock bash -c "
  b=\$(cut -d' ' -f1 /proc/loadavg)
  line=\$(PYTHONPATH=$src .venv/bin/python bench/bench_validate.py $rows --one imri-kg --sheet /tmp/pad13/sheet-$rows.csv 2>/tmp/pad13/err-$code-$rows.txt | tail -1)
  a=\$(cut -d' ' -f1 /proc/loadavg)
  echo \"\$line\" | python3 -c \"import json,sys; d=json.loads(sys.stdin.read()); d.update(code='$code', load_before=\$b, load_after=\$a); print(json.dumps(d))\" >> $out
"
tail -1 $out
