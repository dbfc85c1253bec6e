"""Seeded random playthroughs: endings, fates, coverage, run lengths, loops, softlocks.

Run `i` of a simulation with seed `S` plays the game with seed `run_seed(S, i)` and picks
its choices with a `random.Random` seeded from that same number, so any run can be
replayed alone (`hyosan play --seed`, or a story test). Runs are cut into fixed chunks of
`CHUNK` indices; a chunk is the unit of work a process takes, and the `fresh` strategy's
memory ("taken least so far") is per chunk. So the numbers depend on the seed and the
run count only, never on how many processes ran them.
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

from ..engine.check import scene_edges
from ..engine.model import PLAYER, Story
from ..engine.rules import choices, choose, new_game
from ..engine.state import GameState, rng_next

CHUNK = 50
STEP_CAP = 2000
STRATEGIES = ("random", "fresh", "first")
FATES = ("survived", "hambie", "dead", "zombie", "missing", "away")
EXAMPLES = 5
# Two runs "differ early" when one of their first EARLY choices differs.
EARLY = 5


def run_seed(seed: int, index: int) -> int:
    """The game seed of run `index`: well mixed, and small enough to type."""
    return rng_next(((seed & 0xFFFFFFFF) << 32) | (index & 0xFFFFFFFF))[1] & 0x7FFFFFFF


def fate_of(status: str) -> str:
    return "survived" if status in ("healthy", "injured", "bitten") else status


@dataclass
class RunRecord:
    """One finished run, kept only where it is an example (a loop, a softlock, the
    shortest run to an ending)."""

    index: int
    seed: int
    choices: list[str]
    scene: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "seed": self.seed,
            "steps": len(self.choices),
            "scene": self.scene,
            "choices": self.choices,
            **({"detail": self.detail} if self.detail else {}),
        }


@dataclass
class Tally:
    """Everything a set of runs found; tallies of chunks merge in chunk order."""

    runs: int = 0
    steps: int = 0
    endings: Counter[str] = field(default_factory=Counter)
    fates: dict[str, Counter[str]] = field(default_factory=dict)
    scenes: Counter[str] = field(default_factory=Counter)  # runs that entered the scene
    visits: Counter[str] = field(default_factory=Counter)  # times a run stood in the scene
    # times each paragraph was shown: (scene, block index, 0 its text | 1 its `else`)
    paragraphs: Counter[tuple[str, int, int]] = field(default_factory=Counter)
    choices: Counter[str] = field(default_factory=Counter)  # "scene/choice" -> times taken
    edges: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (scene, choice, target)
    lengths: list[int] = field(default_factory=list)
    loops: int = 0
    stuck: Counter[str] = field(default_factory=Counter)
    loop_examples: list[RunRecord] = field(default_factory=list)
    stuck_examples: list[RunRecord] = field(default_factory=list)
    shortest: dict[str, RunRecord] = field(default_factory=dict)
    # runs in which each member (or "player") became a hambie at some point, and runs
    # in which anyone did
    hambies: Counter[str] = field(default_factory=Counter)
    hambie_runs: int = 0
    # runs 2k and 2k+1 (a chunk is even, so a pair never spans two processes): the
    # share of their scenes both visited (Jaccard) and the two run lengths, for pairs
    # whose first EARLY choices differ
    overlaps: list[tuple[float, int, int]] = field(default_factory=list)
    pending: tuple[int, frozenset[str], list[str]] | None = None

    def merge(self, other: Tally) -> None:
        self.runs += other.runs
        self.steps += other.steps
        self.endings.update(other.endings)
        for member, counts in other.fates.items():
            self.fates.setdefault(member, Counter()).update(counts)
        self.scenes.update(other.scenes)
        self.visits.update(other.visits)
        self.paragraphs.update(other.paragraphs)
        self.choices.update(other.choices)
        self.edges.update(other.edges)
        self.lengths.extend(other.lengths)
        self.loops += other.loops
        self.stuck.update(other.stuck)
        self.loop_examples.extend(other.loop_examples[: EXAMPLES - len(self.loop_examples)])
        self.stuck_examples.extend(other.stuck_examples[: EXAMPLES - len(self.stuck_examples)])
        self.hambies.update(other.hambies)
        self.hambie_runs += other.hambie_runs
        self.overlaps.extend(other.overlaps)
        for ending, record in other.shortest.items():
            mine = self.shortest.get(ending)
            if mine is None or len(record.choices) < len(mine.choices):
                self.shortest[ending] = record


def play_one(
    story: Story,
    index: int,
    seed: int,
    strategy: str,
    tally: Tally,
    cap: int = STEP_CAP,
) -> None:
    """Play run `index` and add what it found to `tally`."""
    game_seed = run_seed(seed, index)
    pick = random.Random(game_seed)
    state = new_game(story, seed=game_seed)
    taken: list[str] = []
    scenes = story.scenes
    fresh = strategy == "fresh"
    first = strategy == "first"
    visits, paragraphs = tally.visits, tally.paragraphs
    while True:
        scene = scenes.get(state.scene)
        if scene is not None:  # what the reader is shown here
            visits[scene.id] += 1
            for i, block in enumerate(scene.text.blocks):
                if block.when is None or block.when.evaluate(state):
                    paragraphs[(scene.id, i, 0)] += 1
                elif block.otherwise is not None:
                    paragraphs[(scene.id, i, 1)] += 1
        if scene is None or scene.ending is not None:
            break
        if len(taken) >= cap:
            tally.loops += 1
            if len(tally.loop_examples) < EXAMPLES:
                tally.loop_examples.append(
                    RunRecord(index, game_seed, taken, state.scene, _cycle(story, state, taken))
                )
            break
        available = [v.id for v in choices(story, state) if v.available]
        if not available:
            tally.stuck[state.scene] += 1
            if len(tally.stuck_examples) < EXAMPLES:
                tally.stuck_examples.append(RunRecord(index, game_seed, taken, state.scene))
            break
        if fresh:
            counts = [tally.choices[f"{scene.id}/{cid}"] for cid in available]
            least = min(counts)
            available = [cid for cid, n in zip(available, counts, strict=True) if n == least]
        cid = available[0] if first or len(available) == 1 else pick.choice(available)
        before = state
        state, _ = choose(story, state, cid)
        taken.append(cid)
        tally.choices[f"{scene.id}/{cid}"] += 1
        target = _target(story, before, state, scene.id, cid)
        if target is not None:
            tally.edges[(scene.id, cid, target)] += 1
    tally.runs += 1
    tally.steps += len(taken)
    tally.lengths.append(len(taken))
    tally.scenes.update(state.visits.keys())
    _note_hambies(tally, state)
    _note_overlap(tally, index, frozenset(state.visits), taken)
    ended = scenes.get(state.scene)
    if ended is not None and ended.ending is not None:
        tally.endings[state.scene] += 1
        for mid, member in state.members.items():
            tally.fates.setdefault(mid, Counter())[fate_of(member.status())] += 1
        best = tally.shortest.get(state.scene)
        if best is None or len(taken) < len(best.choices):
            tally.shortest[state.scene] = RunRecord(index, game_seed, taken, state.scene)


def _note_hambies(tally: Tally, state: GameState) -> None:
    who = {r.member for r in state.history if r.kind == "turned-hambie"}
    if who:
        tally.hambie_runs += 1
        tally.hambies.update(who)


def _note_overlap(tally: Tally, index: int, scenes: frozenset[str], taken: list[str]) -> None:
    if index % 2 == 0:
        tally.pending = (index, scenes, taken[:EARLY])
        return
    pending, tally.pending = tally.pending, None
    if pending is None or pending[0] != index - 1 or pending[2] == taken[:EARLY]:
        return
    _, other, _ = pending
    union = len(scenes | other)
    if union:
        tally.overlaps.append((len(scenes & other) / union, len(other), len(scenes)))


def _target(story: Story, before: GameState, after: GameState, scene_id: str, cid: str) -> str | None:
    """The scene a choice led to (for a roll: the outcome whose goto was entered)."""
    choice = story.scenes[scene_id].choice(cid)
    if choice is None:
        return None
    if choice.goto:
        return choice.goto
    for outcome in choice.roll:
        goto = outcome.goto
        if goto and after.visits.get(goto, 0) > before.visits.get(goto, 0):
            return goto
    return None


def _cycle(story: Story, state: GameState, taken: list[str]) -> str:
    """The scenes the run kept going round, from the visit counts."""
    busiest = sorted(state.visits.items(), key=lambda kv: -kv[1])[:6]
    return "looping through " + ", ".join(f"{sid} ×{n}" for sid, n in busiest)


# -- running chunks, in this process or in a pool ------------------------------------

_STORY: Story | None = None


def _init_worker(story_root: str) -> None:
    global _STORY
    # Ctrl+C reaches every process in the terminal's group: the parent alone handles it
    # (it ends the pool), so no worker prints a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _hold_sigint(False)  # blocked while the pool forked us; a pending one is dropped now
    if _STORY is None or _STORY.root != story_root:
        from ..engine.loader import load_or_raise

        _STORY = load_or_raise(story_root)


def _run_chunk(task: tuple[int, int, int, int, str, int]) -> tuple[int, Tally]:
    chunk, start, stop, seed, strategy, cap = task
    assert _STORY is not None
    tally = Tally()
    for index in range(start, stop):
        play_one(_STORY, index, seed, strategy, tally, cap)
    return chunk, tally


def _tasks(runs: int, seed: int, strategy: str, cap: int) -> list[tuple[int, int, int, int, str, int]]:
    return [
        (i, start, min(runs, start + CHUNK), seed, strategy, cap)
        for i, start in enumerate(range(0, runs, CHUNK))
    ]


def simulate(
    story: Story,
    runs: int,
    seed: int = 0,
    strategy: str = "random",
    jobs: int | None = None,
    cap: int = STEP_CAP,
    progress: Callable[[int], None] | None = None,
) -> Tally:
    """Play `runs` runs. `progress(n)` is called with the runs finished so far."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r} (one of {', '.join(STRATEGIES)})")
    global _STORY
    tasks = _tasks(runs, seed, strategy, cap)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    results: dict[int, Tally] = {}
    done = 0
    _STORY = story
    for chunk, tally in _chunks(story, tasks, jobs):
        results[chunk] = tally
        done += tally.runs
        if progress is not None:
            progress(done)
    total = Tally()
    for chunk in sorted(results):
        total.merge(results[chunk])
    return total


def _chunks(
    story: Story, tasks: list[tuple[int, int, int, int, str, int]], jobs: int
) -> Iterator[tuple[int, Tally]]:
    if jobs <= 1:
        for task in tasks:
            yield _run_chunk(task)
        return
    methods = multiprocessing.get_all_start_methods()
    # fork hands the loaded story to the workers for free; elsewhere they load it again
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # Forked workers share the loaded story's pages until something writes to them; the
    # cyclic GC would (it walks every object), so park the story outside its reach:
    # 1.5x the runs/s on a 10,000-scene story.
    gc.freeze()
    try:
        # SIGINT is held back while the workers are forked: they are born with it blocked
        # (and ignore it before unblocking), and a Ctrl+C that comes meanwhile reaches
        # this process as soon as the pool is up, instead of being lost.
        _hold_sigint(True)
        try:
            pool = ctx.Pool(jobs, initializer=_init_worker, initargs=(story.root,))
        except BaseException:
            _hold_sigint(False)
            raise
        with pool:  # a held Ctrl+C lands here: leaving the block ends the workers
            _hold_sigint(False)
            yield from pool.imap_unordered(_run_chunk, tasks)
    finally:
        gc.unfreeze()


def _hold_sigint(hold: bool) -> None:
    if hasattr(signal, "pthread_sigmask"):  # not on Windows, where Ctrl+C reaches the parent only
        signal.pthread_sigmask(signal.SIG_BLOCK if hold else signal.SIG_UNBLOCK, {signal.SIGINT})


# -- reading a tally -------------------------------------------------------------------


def percentile(sorted_values: list[int], q: float) -> int:
    if not sorted_values:
        return 0
    k = min(len(sorted_values) - 1, max(0, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def static_edges(story: Story) -> set[tuple[str, str, str]]:
    return {(s.id, cid, target) for s in story.scenes.values() for cid, target, _ in scene_edges(s)}


def paragraph_coverage(story: Story, tally: Tally) -> dict[str, Any]:
    """Which text the runs showed, like ChoiceScript's randomtest line coverage: every
    conditional paragraph (and its `else`) of a reached scene that no run showed, with
    its position. A scene never reached counts all its paragraphs as never shown."""
    total = shown = 0
    never: list[dict[str, Any]] = []
    for sid, scene in story.scenes.items():
        for i, block in enumerate(scene.text.blocks):
            branches = [(0, block.text)] + ([(1, block.otherwise)] if block.otherwise is not None else [])
            for branch, template in branches:
                total += 1
                n = tally.paragraphs.get((sid, i, branch), 0)
                if n:
                    shown += 1
                    continue
                if sid not in tally.visits:
                    continue  # listed under scenes never reached
                pos = block.when.pos if block.when is not None else scene.pos
                never.append(
                    {
                        "scene": sid,
                        "paragraph": i + 1,
                        "branch": "else" if branch else "text",
                        "pos": str(pos),
                        "if": block.when.source if block.when is not None else None,
                        "text": _excerpt(template.source),
                    }
                )
    return {"shown": shown, "total": total, "never_shown": never}


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def report(story: Story, tally: Tally, seed: int, strategy: str) -> dict[str, Any]:
    """The tally as plain data (what `--json` prints and the tables show)."""
    runs = tally.runs or 1
    ended = sum(tally.endings.values())
    lengths = sorted(tally.lengths)
    all_choices = {f"{s.id}/{c.id}" for s in story.scenes.values() for c in s.choices}
    edges = static_edges(story)
    endings = [s for s in story.scenes.values() if s.ending is not None]
    members = [PLAYER, *story.cast]
    return {
        "story": story.title,
        "runs": tally.runs,
        "seed": seed,
        "strategy": strategy,
        "steps": tally.steps,
        "ended": ended,
        "endings": [
            {
                "scene": s.id,
                "title": s.ending.title if s.ending else "",
                "kind": s.ending.kind if s.ending else "",
                "count": tally.endings.get(s.id, 0),
                "percent": 100.0 * tally.endings.get(s.id, 0) / runs,
            }
            for s in endings
        ],
        "fates": {
            mid: {fate: 100.0 * tally.fates.get(mid, Counter()).get(fate, 0) / (ended or 1) for fate in FATES}
            for mid in members
        },
        "coverage": {
            "scenes": {"reached": len(set(tally.scenes) & set(story.scenes)), "total": len(story.scenes)},
            "choices": {"taken": len(set(tally.choices) & all_choices), "total": len(all_choices)},
            "edges": {"taken": len(set(tally.edges) & edges), "total": len(edges)},
            "scenes_never_reached": [sid for sid in story.scenes if sid not in tally.scenes],
            "choices_never_taken": sorted(all_choices - set(tally.choices)),
            "paragraphs": paragraph_coverage(story, tally),
            "scene_visits": {sid: tally.visits.get(sid, 0) for sid in story.scenes},
        },
        "length": {
            "min": lengths[0] if lengths else 0,
            "p50": percentile(lengths, 50),
            "p90": percentile(lengths, 90),
            "p99": percentile(lengths, 99),
            "max": lengths[-1] if lengths else 0,
            "mean": (sum(lengths) / len(lengths)) if lengths else 0.0,
            # the story's own quality bar: few runs should be over almost at once
            "within_10_pct": 100.0 * sum(1 for n in lengths if n <= 10) / (len(lengths) or 1),
        },
        "loops": {"count": tally.loops, "examples": [r.to_dict() for r in tally.loop_examples]},
        "softlocks": {
            "count": sum(tally.stuck.values()),
            "scenes": dict(sorted(tally.stuck.items())),
            "examples": [r.to_dict() for r in tally.stuck_examples],
        },
        "shortest": {sid: r.to_dict() for sid, r in sorted(tally.shortest.items())},
        "hambies": {
            "any": 100.0 * tally.hambie_runs / runs,
            "members": {mid: 100.0 * tally.hambies.get(mid, 0) / runs for mid in members},
        },
        "overlap": overlap_report(tally.overlaps),
    }


def overlap_report(overlaps: list[tuple[float, int, int]]) -> dict[str, Any]:
    """How much of the story two runs that chose differently early on have in common:
    the share of the scenes either visited that both visited, over pairs of runs, and
    over the pairs in which both runs were long (at least the median scene count of the
    paired runs), where a shared act 4 or 5 would show."""
    sizes = sorted(n for _, a, b in overlaps for n in (a, b))
    middle = sizes[len(sizes) // 2] if sizes else 0
    long = [j for j, a, b in overlaps if a >= middle and b >= middle]

    def summary(values: list[float]) -> dict[str, Any]:
        values = sorted(values)
        if not values:
            return {"pairs": 0, "median": 0.0, "p90": 0.0, "max": 0.0}

        def at(q: float) -> float:
            return 100.0 * values[min(len(values) - 1, round(q * (len(values) - 1)))]

        return {"pairs": len(values), "median": at(0.5), "p90": at(0.9), "max": 100.0 * values[-1]}

    return {
        "definition": f"pairs of runs 2k and 2k+1 whose first {EARLY} choices differ: "
        "scenes both visited / scenes either visited, in %",
        "all": summary([j for j, _, _ in overlaps]),
        "long": {**summary(long), "min_scenes": middle},
    }
