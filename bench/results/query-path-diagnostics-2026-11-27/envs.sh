#!/bin/bash
# bare pyoxigraph GROUP BY CPU under allocator settings, rounds interleaved
P=/work/wt/perf18b/.venv/bin/python
declare -A E
E[default]=""
E[hugetlb1]="glibc.malloc.hugetlb=1"
E[tcache]="glibc.malloc.tcache_count=2000"
E[trim]="glibc.malloc.trim_threshold=536870912:glibc.malloc.mmap_threshold=536870912:glibc.malloc.top_pad=67108864"
for r in 1 2 3; do
  line="round $r:"
  for k in default hugetlb1 tcache trim; do
    v=$(GLIBC_TUNABLES=${E[$k]} $P /tmp/perf18b/bare_cpu.py 40)
    line="$line $k=$v"
  done
  echo $line
done
