#!/bin/bash
# same.sh: the same-answers checks of perf13i (main's code at 351302c against this branch), each under the bench lock
R=/work/wt/perf13i/bench/results/2026-11-27-perf13i; T=/tmp/perf13i/same; mkdir -p $T
cd /work/wt/perf13i
for code in main this; do
  case $code in main) src=/work/wt/main-base/src;; *) src=/work/wt/perf13i/src;; esac
  for sheet in sheet-100000 mixed-99k; do
    for mode in held serial; do
      flag=; [ $mode = serial ] && flag=--serial
      echo "$code $sheet $mode: $(flock /work/bench.lock env PYTHONPATH=$src .venv/bin/python $R/same.py /tmp/perf13i/$sheet.csv $T/$code-$sheet-$mode.nq $flag 2>&1 | tail -1)"
    done
    flock /work/bench.lock env PYTHONPATH=$src .venv/bin/python -m imri_kg validate /tmp/perf13i/$sheet.csv --format json > $T/$code-$sheet.json 2>$T/$code-$sheet.err; rc=$?
    echo "$code validate $sheet --format json: exit $rc, $(wc -c < $T/$code-$sheet.json) bytes, sha256 $(sha256sum < $T/$code-$sheet.json | cut -c1-16)"
  done
done
for f in sheet-100000-held sheet-100000-serial mixed-99k-held mixed-99k-serial sheet-100000.json mixed-99k.json; do
  a=$T/main-$f; b=$T/this-$f; [ -e $a ] || a=$a.nq; [ -e $b ] || b=$b.nq
  cmp -s $a $b && echo "cmp $f: identical" || echo "cmp $f: DIFFERENT"
done
