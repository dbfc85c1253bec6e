"""Engine steps per second over seeded random playthroughs, scene text rendered, vs the
minimal dict-walking engine in bench/minimal_engine.py on the same story.

    python bench/bench_engine.py [--story DIR] [--steps 50000]

Target: at least half the minimal engine's speed.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from bench import minimal_engine
from bench.common import synthetic
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
    parser.add_argument("--steps", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    root = args.story or synthetic(10_000)
    story = load_or_raise(root)
    start, scenes = minimal_engine.load(root)
    ours: list[float] = []
    base: list[float] = []
    for r in range(args.repeats):
        t = time.perf_counter()
        minimal_engine.play(start, scenes, args.steps, seed=r)
        base.append(args.steps / (time.perf_counter() - t))
        t = time.perf_counter()
        play(story, args.steps, seed=r)
        ours.append(args.steps / (time.perf_counter() - t))
    a, b = sorted(ours)[len(ours) // 2], sorted(base)[len(base) // 2]
    print("| benchmark | ours (median) | baseline (median) | ratio | target |")
    print("|---|---|---|---|---|")
    print(f"| engine steps/s, {root.name} | {a:,.0f} | {b:,.0f} (minimal engine) | {a / b:.2f}x | >= 0.5x |")


if __name__ == "__main__":
    main()
