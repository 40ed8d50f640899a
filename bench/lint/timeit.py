#!/usr/bin/env python3
"""Time a whole command, process start included: one warm-up run, then N
runs; prints min / median / max wall seconds. Output is discarded.
Usage: timeit.py RUNS -- COMMAND [ARG ...]"""
import statistics
import subprocess
import sys
import time

runs = int(sys.argv[1])
command = sys.argv[sys.argv.index("--") + 1:]
times = []
for i in range(runs + 1):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    if i > 0:
        times.append(elapsed)
print(f"min {min(times):.3f} s  median {statistics.median(times):.3f} s  max {max(times):.3f} s  ({runs} runs)")
