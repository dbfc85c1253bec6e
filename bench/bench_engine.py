"""Engine steps per second over seeded random playthroughs, scene text rendered, against
two baselines on the same story, interleaved round by round (medians):

- the fair engine (bench/fair_engine.py): a mutable engine over the same compiled story
  doing the same content work, without immutability, events or infection;
- the minimal engine (bench/minimal_engine.py): plain dicts, no conditions, no effects.

    python -m bench.bench_engine [--story DIR] [--steps 30000] [--repeats 5]

Targets: at least 0.8x the fair engine (issue 15); 0.5x the minimal one (issue 2).

Each round is timed by the wall clock and by the process's CPU time. On a shared, loaded
machine the wall clock also counts the time the process waited for a core, which lands
on whichever engine was running; the CPU-time table is then the steadier one.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

from bench import fair_engine, minimal_engine
from bench.common import median, synthetic
from game.engine import rules
from game.engine.loader import load_or_raise
from game.engine.model import Story


def play(story: Story, steps: int, seed: int) -> int:
    rng = random.Random(seed)
    state = rules.new_game(story, seed=seed)
    chars = 0
    for _ in range(steps):
        chars += len(rules.scene_text(story, state))
        views = [v for v in rules.choices(story, state) if v.available]
        if not views:
            state = rules.new_game(story, seed=rng.randrange(1 << 30))
            continue
        state, _ = rules.choose(story, state, rng.choice(views).id)
    return chars


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--story", type=Path, help="story folder (default: 10,000-scene synthetic)")
    parser.add_argument("--scenes", type=int, default=10_000, help="synthetic story size")
    parser.add_argument("--steps", type=int, default=30_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    root = args.story or synthetic(args.scenes)
    story = load_or_raise(root)
    start, scenes = minimal_engine.load(root)
    rates: dict[str, list[float]] = {"ours": [], "fair": [], "minimal": []}
    cpu: dict[str, list[float]] = {"ours": [], "fair": [], "minimal": []}
    runs = {
        "fair": lambda seed: fair_engine.play(story, args.steps, seed),
        "ours": lambda seed: play(story, args.steps, seed),
        "minimal": lambda seed: minimal_engine.play(start, scenes, args.steps, seed),
    }
    for r in range(args.repeats):
        order = list(runs) if r % 2 == 0 else list(reversed(runs))
        for name in order:
            t, c = time.perf_counter(), time.process_time()
            runs[name](r)
            rates[name].append(args.steps / (time.perf_counter() - t))
            cpu[name].append(args.steps / max(1e-9, time.process_time() - c))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    name = "bundled story" if args.story else f"synthetic {args.scenes:,} scenes"
    print(f"{args.repeats} interleaved rounds of {args.steps:,} steps, load average {load:.1f}")
    for clock, table in (("wall clock", rates), ("CPU time", cpu)):
        ours, fair, minimal = (median(table[k]) for k in ("ours", "fair", "minimal"))
        print(f"\nby {clock}:")
        print("| benchmark | ours (median) | baseline (median) | ratio | target |")
        print("|---|---|---|---|---|")
        for base, label, target in ((fair, "fair engine", "0.8x"), (minimal, "minimal engine", "0.5x")):
            row = f"| engine steps/s, {name} | {ours:,.0f} | {base:,.0f} ({label}) | {ours / base:.2f}x"
            print(f"{row} | >= {target} |")


if __name__ == "__main__":
    main()
