"""Command-line start-up: `hyosan check --help` vs `python -c pass`.

    python bench/bench_startup.py [--runs 20]

Target: at most 5x. Both run as fresh processes, alternately.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bench.common import median


def timed(argv: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    ours: list[float] = []
    base: list[float] = []
    for _ in range(args.runs):
        base.append(timed([sys.executable, "-c", "pass"]))
        ours.append(timed([sys.executable, "-m", "game", "check", "--help"]))
    a, b = median(ours), median(base)
    print("| benchmark | ours (median) | baseline (median) | ratio | target |")
    print("|---|---|---|---|---|")
    print(
        f"| `hyosan check --help` start-up | {a * 1000:.0f} ms | "
        f"{b * 1000:.0f} ms (`python -c pass`) | {a / b:.2f}x | <= 5x |"
    )


if __name__ == "__main__":
    main()
