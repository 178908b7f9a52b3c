#!/bin/bash
# perf profiles (cpu-clock) of: an imri-kg worker answering 80 scans; a bare pyoxigraph process doing 80 scans
cd /tmp/perf18b
P=/work/wt/perf18b/.venv/bin
$P/imri-kg serve --store /tmp/perf18b/store --port 18181 --cache-mb 0 --workers 1 > /dev/null 2>&1 &
SP=$!
until curl -s -o /dev/null "http://127.0.0.1:18181/sparql?query=ASK%7B%7D"; do sleep 0.1; done
W=$(pgrep -P $SP -f imri_kg.api.worker | head -1); echo web $SP worker $W
Q='SELECT ?theme (COUNT(*) AS ?n) WHERE { ?e <https://w3id.org/imri/ontology#theme> ?theme } GROUP BY ?theme ORDER BY ?theme'
for i in 1 2 3 4 5; do curl -s -o /dev/null -H 'Content-Type: application/sparql-query' -H 'Accept: application/sparql-results+json' --data-binary "$Q" http://127.0.0.1:18181/sparql; done
perf record -e cpu-clock -F 2000 -g -o worker.data -p $W,$SP -- sleep 6 > /dev/null 2>&1 &
PR=$!
sleep 0.3
for i in $(seq 80); do curl -s -o /dev/null -H 'Content-Type: application/sparql-query' -H 'Accept: application/sparql-results+json' --data-binary "$Q" http://127.0.0.1:18181/sparql; done
wait $PR
kill $SP; wait $SP
perf record -e cpu-clock -F 2000 -g -o bare.data -- $P/python scan.py main 80 > /dev/null 2>&1
