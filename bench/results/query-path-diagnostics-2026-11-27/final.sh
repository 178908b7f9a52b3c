#!/bin/bash
# N repeats of bench/query_path.py with main's code as a third server, each repeat under the bench lock on its own
# (released between repeats), load average logged before and after each.
cd /work/wt/perf18b
out=$1; n=$2; shift 2
for r in $(seq $n); do
  echo "repeat $r queued $(date +%T) $(uptime)" >> $out.txt
  flock /work/bench.lock bash -c "echo repeat $r locked \$(date +%T) \$(uptime) >> $out.txt; .venv/bin/python bench/query_path.py --triples 1000000 --store /tmp/perf18b/store --baseline /work/wt/perf18b-main/src --repeats 1 $* > $out-$r.json 2>> $out.txt; echo repeat $r unlocked \$(date +%T) \$(uptime) >> $out.txt"
  sleep 5
done
