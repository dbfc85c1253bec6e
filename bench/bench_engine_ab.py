"""The engine at an earlier commit against the engine in this tree and the fair engine,
head to head: each round plays the same seeds on each side, timed by the process's CPU
time; medians of the rounds' ratios.

    python -m bench.bench_engine_ab --before main --story story --rounds 18 --steps 3000
    python -m bench.bench_engine_ab --before main --rounds 18 --steps 3000   # synthetic
    python -m bench.bench_engine_ab --before HEAD ...   # calibration: the same code both sides

Separate processes cannot resolve a 10-15% change on a shared, loaded machine (the same
code's ratio moves by +-0.05x from run to run); in one process, the load lands on every
side alike. The earlier commit's `game/` is exported with `git archive` into a temporary
folder as a package named `oldgame` (the engine imports its own modules relatively).

Kept symmetric, because identical code on both sides read 1.03-1.22x before this was
(sixth pass, `docs/BENCHMARKS.md`): every side plays a story of its own, loaded by its
own loader (the fair engine shared "after"'s, so whichever side ran next to it found
that story's objects warm in the caches); both engines are driven by the same loop;
each round runs the three sides in the next of the six orders (each side first, middle
and last equally often); the ratios are taken round by round, then their median; and
the measurement is repeated in `--processes` fresh processes, the stories loaded in the
opposite order in every other one (the later load lands elsewhere in memory), with the
median of the processes' figures reported last.
"""

from __future__ import annotations

import argparse
import ast
import functools
import importlib
import itertools
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

from bench import fair_engine
from bench.common import median, synthetic
from game.engine import rules as new_rules
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


SIDES = ("before", "after", "fair")


def measure(args: argparse.Namespace, root: Path, after_first: bool) -> dict[str, float]:
    """One process's figures: median steps/s of each side and median per-round ratios."""
    with tempfile.TemporaryDirectory() as tmp:
        old_rules, old_load = old_engine(args.before, Path(tmp))
        loads: dict[str, Callable[[], Any]] = {
            "before": lambda: old_load(root),
            "after": lambda: load_or_raise(root),
            "fair": lambda: load_or_raise(root),
        }
        order = ("after", "before", "fair") if after_first else ("before", "after", "fair")
        stories = {side: loads[side]() for side in order}
        plays: dict[str, Callable[[Any, int, int], object]] = {
            "before": player(old_rules), "after": player(new_rules), "fair": fair_engine.play,
        }  # fmt: skip
        runs = {side: functools.partial(plays[side], stories[side], args.steps) for side in SIDES}
        for side in SIDES:  # warm up: first showings, plans
            runs[side](10_000)
        orders = list(itertools.permutations(SIDES))
        rate: dict[str, list[float]] = {side: [] for side in SIDES}
        for r in range(args.rounds):
            for side in orders[r % len(orders)]:
                c = time.process_time()
                runs[side](r)
                rate[side].append(args.steps / max(1e-9, time.process_time() - c))
    out = {side: median(rate[side]) for side in SIDES}
    for a, b in (("before", "fair"), ("after", "fair"), ("after", "before")):
        out[f"{a}/{b}"] = median([x / y for x, y in zip(rate[a], rate[b], strict=True)])
    return out


def row(label: str, f: dict[str, float]) -> str:
    return (
        f"| {label} | {f['before']:,.0f} | {f['after']:,.0f} | {f['fair']:,.0f}"
        f" | {f['before/fair']:.2f}x | {f['after/fair']:.2f}x | {f['after/before']:.3f}x |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="HEAD", help="the earlier commit (default HEAD)")
    parser.add_argument("--story", type=Path, help="story folder (default: 10,000-scene synthetic)")
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=18, help="per process (6 orders, so a multiple of 6)")
    parser.add_argument("--processes", type=int, default=2, help="fresh processes, load order alternating")
    parser.add_argument("--one", choices=("before-first", "after-first"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = args.story or synthetic(args.scenes)
    if args.one:  # a child: print one process's figures as a Python literal
        print(repr(measure(args, root, args.one == "after-first")))
        return
    name = "bundled story" if args.story else f"synthetic {args.scenes:,} scenes"
    loads: list[float] = []
    results: list[dict[str, float]] = []
    head = "| benchmark | before | after | fair engine | before / fair | after / fair | after / before |"
    print(f"{args.rounds} rounds of {args.steps:,} steps per process, CPU time, before = {args.before}")
    print(head)
    print("|---|---|---|---|---|---|---|")
    for p in range(args.processes):
        first = "after-first" if p % 2 else "before-first"
        argv = ["--before", args.before, "--scenes", str(args.scenes), "--steps", str(args.steps)]
        argv += ["--rounds", str(args.rounds), *(["--story", str(args.story)] if args.story else [])]
        done = subprocess.run(
            [sys.executable, "-m", "bench.bench_engine_ab", *argv, "--one", first],
            cwd=REPO, capture_output=True, text=True, check=True,
        )  # fmt: skip
        results.append(ast.literal_eval(done.stdout.strip().splitlines()[-1]))
        loads.append(os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"))
        print(row(f"engine steps/s, {name}, process {p + 1} ({first}, load {loads[-1]:.1f})", results[-1]))
    if len(results) > 1:
        both = {key: median([r[key] for r in results]) for key in results[0]}
        print(row(f"engine steps/s, {name}, median of {len(results)} processes", both))


if __name__ == "__main__":
    main()
