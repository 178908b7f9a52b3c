#!/bin/bash
# Issue 13, item 4: every goal in one run on an idle machine (main's code). Each run is its own process under the
# bench lock, tools interleaved per size; uptime before and after each run. Sheets from bench/make_sheet.py.
# Usage: run.sh OUT.jsonl  (from the checkout's root)
out=$1; dir=/tmp/s8
for rows in 10000 100000 1000000; do
  [ -f $dir/sheet-$rows.csv ] || .venv/bin/python bench/make_sheet.py $dir/sheet-$rows.csv $rows
done
one() {  # one TOOL ROWS
  flock /work/bench.lock bash -c "
    b=\$(cut -d' ' -f1 /proc/loadavg)
    line=\$(.venv/bin/python bench/bench_validate.py $2 --one $1 --sheet $dir/sheet-$2.csv 2>>$dir/err.txt | tail -1)
    a=\$(cut -d' ' -f1 /proc/loadavg)
    echo \"\$line\" | python3 -c \"import json,sys; d=json.loads(sys.stdin.read()); d.update(load_before=\$b, load_after=\$a, at='\$(date -u +%H:%M:%S)'); print(json.dumps(d))\" >> $out"
  tail -1 $out | cut -c1-200; sleep 5
}
for r in 1 2 3; do one imri-kg 10000; one turbo 10000; done
one pyshacl 10000
for r in 1 2 3; do one imri-kg 100000; [ $r = 1 ] && one turbo 100000; done
for r in 1 2; do one imri-kg 1000000; done
