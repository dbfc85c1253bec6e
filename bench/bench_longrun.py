"""Long runs in constant time: the cost of one choice as the player makes it (engine +
recording the step + a synchronous autosave to disk) early in a run and deep into it.

    python -m bench.bench_longrun [--steps 10000] [--window 30] [--rounds 3]

A session plays seeded random choices on a synthetic story with no endings (every path
goes on). At step 10 and at step `--steps` it times `--window` choices, each with its
autosave (atomic write, backup, fsync), after one warm-up save; rounds alternate the two
points' order, and medians are taken, of the wall clock and of this process's CPU time
(the wall clock adds the disk's fsync latency, which on a shared machine is noise larger
than the target). A third row times a choice plus the save's bytes as the store writes
them, not written (what the format costs). Also printed: the save's size per step and
the memory the session holds per step (tracemalloc, between the two points). Target: a
choice at step 10,000 costs at most 1.5x a choice at step 10.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench.common import synthetic
from game.engine.loader import load_or_raise
from game.engine.model import Story
from game.engine.saves import AUTOSAVE, encode_run, slot_path
from game.session import Session


def advance(session: Session, rng: random.Random, n: int) -> None:
    for _ in range(n):
        views = [v for v in session.choices() if v.available]
        session.choose(rng.choice(views), save=False)


def window(session: Session, rng: random.Random, n: int) -> tuple[list[float], list[float], list[float]]:
    """Seconds per choice with its autosave written to disk (wall clock, and this
    process's CPU time for it: the wall clock adds the disk's fsync latency, which on a
    shared machine swings by more than the whole target), and per choice with the
    save's bytes made as the store writes them (`encode_run`) but not written: what
    the format side costs."""
    session.autosave()  # warm: in play every earlier choice has autosaved already
    disk: list[float] = []
    cpu: list[float] = []
    text: list[float] = []
    for i in range(2 * n):
        views = [v for v in session.choices() if v.available]
        view = rng.choice(views)
        t = time.perf_counter()
        if i % 2 == 0:
            c = time.process_time()
            _events, error = session.choose(view, save=True)
            cpu.append(time.process_time() - c)
            disk.append(time.perf_counter() - t)
            assert error is None, error
        else:
            session.choose(view, save=False)
            encode_run(session.run)
            text.append(time.perf_counter() - t)
    return disk, cpu, text


def at(
    story: Story, folder: Path, steps: int, width: int, seed: int
) -> tuple[list[float], list[float], list[float], int]:
    """Seconds per choice (to disk: wall and CPU; text only) after `steps` choices, and
    the save's size then."""
    rng = random.Random(seed)
    session = Session.new(story, seed=seed, name=None, saves_dir=folder)
    advance(session, rng, steps)
    disk, cpu, text = window(session, rng, width)
    size = slot_path(folder, AUTOSAVE).stat().st_size
    return disk, cpu, text, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=2_000, help="synthetic story size")
    parser.add_argument("--early", type=int, default=10)
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--window", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    story = load_or_raise(synthetic(args.scenes, loop=True))
    folder = Path(tempfile.mkdtemp(prefix="hyosan-longrun-"))
    # per point (early, late): wall, CPU and text-only samples of every round
    wall: dict[int, list[float]] = {args.early: [], args.steps: []}
    cpu: dict[int, list[float]] = {args.early: [], args.steps: []}
    text: dict[int, list[float]] = {args.early: [], args.steps: []}
    sizes: dict[int, int] = {}
    try:
        for r in range(args.rounds):
            points = [args.early, args.steps]
            for steps in points if r % 2 == 0 else points[::-1]:
                d, c, t, sizes[steps] = at(story, folder / f"r{r}-{steps}", steps, args.window, seed=r)
                wall[steps] += d
                cpu[steps] += c
                text[steps] += t
        # memory held by a session per step, between the two points
        rng = random.Random(99)
        session = Session.new(story, seed=99, name=None, saves_dir=None)
        advance(session, rng, args.early)
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        advance(session, rng, args.steps - args.early)
        grown = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    span = args.steps - args.early
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{args.rounds} alternating rounds of {args.window} choices each (medians of all), "
        f"load average {load:.1f}"
    )
    print("| benchmark | ours | baseline | ratio | target |")
    print("|---|---|---|---|---|")
    rows = (
        ("one choice + autosave (wall clock)", wall),
        ("one choice + autosave (CPU time)", cpu),
        ("one choice + the save's bytes, not written,", text),
    )
    for label, samples in rows:
        a, b = statistics.median(samples[args.steps]), statistics.median(samples[args.early])
        print(
            f"| {label} at step {args.steps:,} vs at step {args.early} "
            f"| {a * 1000:.2f} ms | {b * 1000:.2f} ms | {a / b:.2f}x | <= 1.5x |"
        )
    per_step = sizes[args.steps] / max(1, args.steps)
    print(f"save size: {per_step:.0f} bytes per step ({sizes[args.steps]:,} bytes at step {args.steps:,})")
    print(f"memory held by the session: {grown / span / 1024:.2f} KiB per step over {span:,} steps")


if __name__ == "__main__":
    main()
