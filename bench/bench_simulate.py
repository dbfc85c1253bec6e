"""`hyosan simulate` throughput: runs/s and steps/s, on one process and on every core.

    python bench/bench_simulate.py [--runs 4000] [--synth-runs 200] [--story DIR]

Stories: tests/fixtures/mini, the bundled story (when it loads), and the 10,000-scene
synthetic story from bench/synth.py. ChoiceScript's randomtest, the reference the issue
names, runs about 4,000 small runs a second on this kind of machine.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from bench.common import synthetic
from game.engine.loader import load_story
from game.tools import simulate

REPO = Path(__file__).resolve().parent.parent


def measure(root: Path, runs: int, jobs: int, cap: int) -> tuple[float, float, float, int]:
    result = load_story(root)
    if not result.ok or result.story is None:
        raise SystemExit(f"{root}: the story does not load ({len(result.errors)} errors)")
    t = time.perf_counter()
    tally = simulate.simulate(result.story, runs, seed=1, jobs=jobs, cap=cap)
    elapsed = time.perf_counter() - t
    return tally.runs / elapsed, tally.steps / elapsed, tally.steps / tally.runs, tally.loops


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=4000)
    parser.add_argument("--synth-runs", type=int, default=200)
    parser.add_argument("--story", type=Path, default=REPO / "story")
    parser.add_argument("--cap", type=int, default=simulate.STEP_CAP)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    rows = [
        ("tests/fixtures/mini", REPO / "tests" / "fixtures" / "mini", args.runs),
        ("bundled story", args.story, args.runs // 4),
        ("synthetic 10,000 scenes", synthetic(10_000), args.synth_runs),
    ]
    print("| story | processes | runs | runs/s | steps/s | mean run (steps) | loops (cap) |")
    print("|---|---|---|---|---|---|---|")
    for name, root, runs in rows:
        if not (Path(root) / "story.yaml").is_file():
            continue
        for jobs in sorted({1, cores}):
            try:
                rate, steps, mean, loops = measure(Path(root), runs, jobs, args.cap)
            except SystemExit as exc:
                print(f"| {name} | - | - | {exc} | | | |")
                break
            print(
                f"| {name} | {jobs} | {runs:,} | {rate:,.0f} | {steps:,.0f} | {mean:.1f} | "
                f"{loops} ({args.cap}) |"
            )


if __name__ == "__main__":
    main()
