"""The engine at an earlier commit against the engine in this tree and the fair engine,
head to head in one process: each round plays the same seeds on each (the order turned
every round), timed by the process's CPU time; medians of the rounds.

    python -m bench.bench_engine_ab --before 764bb54 --story story --rounds 15 --steps 3000
    python -m bench.bench_engine_ab --before 764bb54 --rounds 15 --steps 3000   # synthetic

Separate processes cannot resolve a 10-15% change on a shared, loaded machine (the same
code's ratio moves by +-0.05x from run to run); in one process, the load lands on every
side alike. The earlier commit's `game/` is exported with `git archive` into a temporary
folder as a package named `oldgame` (the engine imports its own modules relatively), and
each side plays the story loaded by its own loader.
"""

from __future__ import annotations

import argparse
import importlib
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import bench_engine, fair_engine
from bench.common import median, synthetic
from game.engine.loader import load_or_raise

REPO = Path(__file__).resolve().parent.parent


def old_engine(rev: str, into: Path) -> tuple[Any, Any]:
    """`rules` and `load_or_raise` of `game/` at `rev`, importable as `oldgame`."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev, "game"], cwd=REPO, capture_output=True, check=True
    ).stdout
    tar = into / "old.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as t:
        t.extractall(into, filter="data")
    (into / "game").rename(into / "oldgame")
    sys.path.insert(0, str(into))
    rules = importlib.import_module("oldgame.engine.rules")
    loader = importlib.import_module("oldgame.engine.loader")
    return rules, loader.load_or_raise


def player(rules: Any) -> Callable[[Any, int, int], None]:
    def play(story: Any, steps: int, seed: int) -> None:  # bench_engine.play, for any `rules`
        rng = random.Random(seed)
        state = rules.new_game(story, seed=seed)
        for _ in range(steps):
            rules.scene_text(story, state)
            views = [v for v in rules.choices(story, state) if v.available]
            if not views:
                state = rules.new_game(story, seed=rng.randrange(1 << 30))
                continue
            state, _ = rules.choose(story, state, rng.choice(views).id)

    return play


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="HEAD", help="the earlier commit (default HEAD)")
    parser.add_argument("--story", type=Path, help="story folder (default: 10,000-scene synthetic)")
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    root = args.story or synthetic(args.scenes)
    with tempfile.TemporaryDirectory() as tmp:
        old_rules, old_load = old_engine(args.before, Path(tmp))
        old_story, story = old_load(root), load_or_raise(root)
        old_play = player(old_rules)
        runs: dict[str, Callable[[int], object]] = {
            "before": lambda seed: old_play(old_story, args.steps, seed),
            "after": lambda seed: bench_engine.play(story, args.steps, seed),
            "fair": lambda seed: fair_engine.play(story, args.steps, seed),
        }
        for name in runs:  # warm up: first showings, plans
            runs[name](10_000)
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        for r in range(args.rounds):
            for name in list(runs) if r % 2 == 0 else list(reversed(runs)):
                c = time.process_time()
                runs[name](r)
                cpu[name].append(args.steps / max(1e-9, time.process_time() - c))
    before, after, fair = (median(cpu[k]) for k in ("before", "after", "fair"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    name = "bundled story" if args.story else f"synthetic {args.scenes:,} scenes"
    print(f"{args.rounds} interleaved rounds of {args.steps:,} steps, CPU time, load average {load:.1f}")
    print("| benchmark | before | after | fair engine | before / fair | after / fair | after / before |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| engine steps/s, {name}, before = {args.before} | {before:,.0f} | {after:,.0f} | {fair:,.0f}"
        f" | {before / fair:.2f}x | {after / fair:.2f}x | {after / before:.2f}x |"
    )


if __name__ == "__main__":
    main()
