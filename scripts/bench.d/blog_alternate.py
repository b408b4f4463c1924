"""Alternating rounds for the blog benchmarks: each round runs every command once (`reset()`
before each run), since local wrangler state varies by ±20% from run to run; prints devkit's
ratio to the raw side within each round, and the medians as a Markdown table."""
import os
import statistics
import subprocess
import time


def alternate(commands, reset, cwd=None):
    """`commands`: (name, [argv, …]) pairs, devkit's first and the raw side's last."""
    rounds = int(os.environ.get("BLOG_ROUNDS", "7"))
    times = {name: [] for name, _ in commands}
    for _ in range(rounds):
        for name, steps in commands:
            reset()
            start = time.perf_counter()
            for argv in steps:
                subprocess.run(argv, check=True, cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    ours, raw_name = commands[0][0], commands[-1][0]
    raw = statistics.median(times[raw_name])
    ratios = [d / r for d, r in zip(times[ours], times[raw_name])]
    print(f"{rounds} alternating rounds, medians (min–max); devkit over raw within each round: "
          + ", ".join(f"{x:.2f}" for x in ratios) + f" (median {statistics.median(ratios):.2f}):\n")
    print("| Command | Median [s] | Min [s] | Max [s] | Relative |")
    print("|:---|---:|---:|---:|---:|")
    for name, _ in commands:
        t = times[name]
        print(f"| `{name}` | {statistics.median(t):.3f} | {min(t):.3f} | {max(t):.3f} "
              f"| {statistics.median(t) / raw:.2f} |")
