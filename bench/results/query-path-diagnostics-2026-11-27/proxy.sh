#!/bin/bash
# perf profile of oxigraph serve answering 80 GROUP BY (compare with bare.data)
cd /tmp/perf18b
P=/work/wt/perf18b/.venv/bin
$P/oxigraph serve-read-only --location /tmp/perf18b/store --bind 127.0.0.1:18183 --union-default-graph > /dev/null 2>&1 &
SP=$!
for i in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:18183/query?query=ASK%7B%7D" && break; sleep 0.1; done
Q='SELECT ?theme (COUNT(*) AS ?n) WHERE { ?e <https://w3id.org/imri/ontology#theme> ?theme } GROUP BY ?theme ORDER BY ?theme'
for i in 1 2 3 4 5; do curl -s -o /dev/null -H 'Content-Type: application/sparql-query' -H 'Accept: application/sparql-results+json' --data-binary "$Q" http://127.0.0.1:18183/query; done
perf record -e cpu-clock -F 2000 -g -o ox.data -p $SP -- sleep 6 > /dev/null 2>&1 &
PR=$!
sleep 0.3
for i in $(seq 80); do curl -s -o /dev/null -H 'Content-Type: application/sparql-query' -H 'Accept: application/sparql-results+json' --data-binary "$Q" http://127.0.0.1:18183/query; done
wait $PR
kill $SP; wait $SP
