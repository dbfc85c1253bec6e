"""Playing the runs the rules look at, on all cores.

Run `i` of a check with seed `S` plays the game with seed `simulate.run_seed(S, i)`:
even runs pick uniformly among the available choices (like `hyosan simulate`), odd runs
prefer the choice their worker has taken least so far (like `simulate --strategy fresh`:
it walks into the choices random runs rarely take). Every state of every run is looked
at. A finding keeps the witness of the lowest-numbered run that showed it, so the result
does not depend on how the runs were shared between processes.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ...engine.model import Story
from ...engine.rules import choices, choose, new_game
from ..simulate import STEP_CAP, run_seed
from .base import Hit, RunMemory
from .rules import Checker
from .sources import Sources, build

CHUNK = 25


@dataclass
class Seen:
    """One finding as the runs saw it."""

    hit: Hit  # from the witness run
    index: int  # the witness run's number
    seed: int  # its game seed
    choices: tuple[str, ...]  # choice ids up to the state that showed it
    scene: str  # the scene that state is in (where a replay of the witness stops)
    runs: int = 1  # runs that showed it
    times: int = 1  # states that showed it, over all runs
    extras: set[str] = field(default_factory=set)
    most: int = 0  # the largest `hit.n` seen (how often a paragraph was shown)

    def merge(self, other: Seen) -> None:
        if other.index < self.index:
            self.hit, self.index, self.seed = other.hit, other.index, other.seed
            self.choices, self.scene = other.choices, other.scene
        self.runs += other.runs
        self.times += other.times
        self.extras |= other.extras
        self.most = max(self.most, other.most)


@dataclass
class Tally:
    runs: int = 0
    states: int = 0
    found: dict[tuple[str, Any, str], Seen] = field(default_factory=dict)

    def merge(self, other: Tally) -> None:
        self.runs += other.runs
        self.states += other.states
        for key, seen in other.found.items():
            mine = self.found.get(key)
            if mine is None:
                self.found[key] = seen
            else:
                mine.merge(seen)


def hit_key(hit: Hit) -> tuple[str, Any, str]:
    return (hit.rule, hit.key, hit.detail)


def play_one(
    story: Story, checker: Checker, index: int, seed: int, tally: Tally, taken_counts: Counter[str]
) -> None:
    game_seed = run_seed(seed, index)
    pick = random.Random(game_seed)
    fresh = index % 2 == 1
    state = new_game(story, seed=game_seed)
    mem = RunMemory()
    taken: list[str] = []
    in_run: dict[tuple[str, Any, str], Seen] = {}

    def note(hits: Iterator[Hit], scene: str) -> None:
        for hit in hits:
            key = hit_key(hit)
            seen = in_run.get(key)
            if seen is None:
                in_run[key] = Seen(
                    hit, index, game_seed, tuple(taken), scene, extras={hit.extra} - {""}, most=hit.n
                )
            else:
                seen.times += 1
                if hit.extra:
                    seen.extras.add(hit.extra)
                seen.most = max(seen.most, hit.n)

    note(checker.look(mem, None, state, None, list(state.log)), state.scene)
    tally.states += 1
    scenes = story.scenes
    while len(taken) < STEP_CAP:
        scene = scenes.get(state.scene)
        if scene is None or scene.ending is not None:
            break
        available = [v.id for v in choices(story, state) if v.available]
        if not available:
            break
        if fresh:
            counts = [taken_counts[f"{scene.id}/{cid}"] for cid in available]
            least = min(counts)
            available = [cid for cid, n in zip(available, counts, strict=True) if n == least]
        cid = available[0] if len(available) == 1 else pick.choice(available)
        taken_counts[f"{scene.id}/{cid}"] += 1
        before = state
        state, events = choose(story, state, cid)
        taken.append(cid)
        note(checker.look(mem, before, state, scene.choice(cid), events), state.scene)
        tally.states += 1
    tally.runs += 1
    for key, seen in in_run.items():
        mine = tally.found.get(key)
        if mine is None:
            tally.found[key] = seen
        else:
            mine.merge(seen)


# -- workers ----------------------------------------------------------------------------

_STORY: Story | None = None
_CHECKER: Checker | None = None


def _init_worker(story_root: str) -> None:
    global _STORY, _CHECKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    if _STORY is None or _STORY.root != story_root:
        from ...engine.loader import load_or_raise

        _STORY = load_or_raise(story_root)
        _CHECKER = None
    if _CHECKER is None:
        _CHECKER = Checker(_STORY, build(_STORY))


def _run_chunk(task: tuple[int, int, int]) -> Tally:
    start, stop, seed = task
    assert _STORY is not None and _CHECKER is not None
    tally = Tally()
    counts: Counter[str] = Counter()
    for index in range(start, stop):
        play_one(_STORY, _CHECKER, index, seed, tally, counts)
    return tally


def collect(
    story: Story,
    runs: int,
    seed: int = 0,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    sources: Sources | None = None,
) -> Tally:
    """Play `runs` runs and look at every state. `progress(n)` gets the runs done so far."""
    global _STORY, _CHECKER
    tasks = [(start, min(runs, start + CHUNK), seed) for start in range(0, runs, CHUNK)]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    _STORY = story
    _CHECKER = Checker(story, sources or build(story))
    total = Tally()
    for tally in _chunks(story, tasks, jobs):
        total.merge(tally)
        if progress is not None:
            progress(total.runs)
    return total


def _chunks(story: Story, tasks: list[tuple[int, int, int]], jobs: int) -> Iterator[Tally]:
    if jobs <= 1:
        for task in tasks:
            yield _run_chunk(task)
        return
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    gc.freeze()  # forked workers share the story's pages (see tools/simulate.py)
    try:
        with ctx.Pool(jobs, initializer=_init_worker, initargs=(story.root,)) as pool:
            yield from pool.imap_unordered(_run_chunk, tasks)
    finally:
        gc.unfreeze()
