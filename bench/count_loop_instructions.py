# Counts the instructions one turn of a benchmark's loop executes, calls included, by stepping
# it with gdb: for comparing two runtimes' paths where callgrind cannot run (Seastar's allocator
# refuses valgrind) and the machine has no hardware counters.
#
#   HT_LOOP_AT=0xf5f7 HT_ARGS='--benchmark_filter=HT_SpawnEagerComplete$' \
#       gdb -q -batch -x bench/count_loop_instructions.py build/release/bin/executor_bench
#
# HT_LOOP_AT is the offset in the (position-independent) binary of an instruction executed once
# per turn, the loop's first, found with objdump -d. gdb loads such a binary at 0x555555554000
# (address randomisation off, its default). HT_SKIP turns run first (default 200: warm-up);
# then HT_TURNS turns (default 4) are stepped and their counts printed.
import os

import gdb

base = 0x555555554000
loop_at = base + int(os.environ["HT_LOOP_AT"], 16)
skip = int(os.environ.get("HT_SKIP", "200"))
turns = int(os.environ.get("HT_TURNS", "4"))
limit = 100000  # a turn longer than this is not the loop meant

gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("break *%#x" % loop_at)
gdb.execute("run %s > /dev/null 2>&1" % os.environ.get("HT_ARGS", ""))
gdb.execute("continue %d" % skip)
gdb.execute("set scheduler-locking step")
counts = []
for _ in range(turns):
    steps = 0
    while True:
        gdb.execute("stepi", to_string=True)
        steps += 1
        if int(gdb.parse_and_eval("$pc")) == loop_at or steps >= limit:
            break
    counts.append(steps)
print("instructions per turn:", " ".join(str(c) for c in counts))
gdb.execute("kill")
