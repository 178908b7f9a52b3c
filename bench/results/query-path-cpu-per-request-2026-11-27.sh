#!/bin/bash
# per-request CPU and latency, one sync client, point lookup: base (15fae5f) vs new (this branch) vs oxigraph, 3 rounds
cd /work/wt/18
OPORT=18656
.venv/bin/oxigraph serve-read-only --location /tmp/h18/store --bind 127.0.0.1:$OPORT --union-default-graph > /dev/null 2>&1 &
OP=$!
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
kids() { pgrep -P $1 | tr '\n' ' '; }
until curl -s -o /dev/null "http://127.0.0.1:$OPORT/query?query=ASK%7B%7D"; do sleep 0.1; done
for round in 1 2 3; do
for target in base new oxi; do
  if [ $target = oxi ]; then URL=http://127.0.0.1:$OPORT; P=/query; SP=$OP
  else
    PORT=$((18660 + round)); [ $target = base ] && PP=/tmp/h18/base/src || PP=
    PYTHONPATH=$PP .venv/bin/imri-kg serve --store /tmp/h18/store --port $PORT --cache-mb 0 > /tmp/h18/serve-$target.log 2>&1 &
    SP=$!; URL=http://127.0.0.1:$PORT; P=/sparql
    until curl -s -o /dev/null "$URL/sparql?query=ASK%7B%7D"; do sleep 0.1; done
    PATHQ=$P .venv/bin/python /tmp/h18/client.py $URL 1 > /dev/null
  fi
  W=$(kids $SP)
  b=$(cpu $SP); bw=0; for w in $W; do bw=$((bw + $(cpu $w))); done
  out=$(PATHQ=$P .venv/bin/python /tmp/h18/client.py $URL 5)
  a=$(cpu $SP); aw=0; for w in $W; do aw=$((aw + $(cpu $w))); done
  n=${out%% *}
  echo "round $round $target: $out | CPU ms/request: server $(echo "scale=3; ($a-$b)*10/$n" | bc) workers $(echo "scale=3; ($aw-$bw)*10/$n" | bc)"
  [ $target != oxi ] && { kill $SP; wait $SP 2>/dev/null; }
done
done
kill $OP; wait $OP 2>/dev/null
