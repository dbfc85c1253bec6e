"""Finding a new path for a story test that no longer plays (`hyosan test --rederive`).

When a writer changes an early scene, the witnesses written through it stop playing: a
choice is locked, or the run no longer reaches what the test expects. A test says what it
wants to see in its `expect:`; this module looks for a new seed and choices that show it,
among seeded random runs (the runs `simulate --seed S` plays), and keeps the shortest.

What a test expects stays what it expects: `scene`, `ending`, `visited`, `flags`,
`items`, `counters` and `members` must all hold at the end of the new path. The one
exception is a witness of an ending (a test with `ending:`), whose member statuses record
who lived in the run it was drawn from rather than a rule of the story: for it the new
run must reach the same ending and pass the other expectations, and `members` is pinned
again from the new run, so the test still fails if that run ever changes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine.model import Story
from ..engine.rules import choices, choose, new_game
from ..engine.state import GameState
from . import testwrite
from .simulate import STEP_CAP, run_seed
from .storytest import StoryTest, differences


@dataclass
class Found:
    seed: int
    choices: list[str]
    expect: dict[str, Any]


def _wanted(test: StoryTest) -> dict[str, Any]:
    """The expectations a new path must meet."""
    want = {key: value for key, (value, _) in test.expect.items()}
    if "ending" in want:
        want.pop("members", None)
    return want


def rederive(
    story: Story,
    tests: list[StoryTest],
    runs: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> dict[int, Found]:
    """For each test (by index in `tests`), the shortest path found in `runs` random runs
    that meets what it expects. Tests that start from another test or a save are skipped."""
    pending = {i: _wanted(t) for i, t in enumerate(tests) if t.start is None and t.expect}
    found: dict[int, Found] = {}
    for index in range(runs):
        if progress is not None and index % 100 == 0:
            progress(index)
        game_seed = run_seed(seed, index)
        pick = random.Random(game_seed)
        state = new_game(story, seed=game_seed)
        taken: list[str] = []
        while True:
            for i, want in pending.items():
                best = found.get(i)
                if best is not None and len(best.choices) <= len(taken):
                    continue
                if _meets(story, state, want, tests[i]):
                    found[i] = Found(game_seed, list(taken), _expectations(story, state, tests[i]))
            scene = story.scenes.get(state.scene)
            if scene is None or scene.ending is not None or len(taken) >= STEP_CAP:
                break
            available = [v.id for v in choices(story, state) if v.available]
            if not available:
                break
            cid = available[0] if len(available) == 1 else pick.choice(available)
            state, _ = choose(story, state, cid)
            taken.append(cid)
    return found


def _meets(story: Story, state: GameState, want: dict[str, Any], test: StoryTest) -> bool:
    if test.player is not None and test.player != state.player_name:
        return False
    return not any(True for key, value in want.items() for _ in differences(story, state, key, value))


def _expectations(story: Story, state: GameState, test: StoryTest) -> dict[str, Any]:
    expect = {key: value for key, (value, _) in test.expect.items()}
    if "ending" in expect:
        expect["members"] = testwrite.ending_expectations(story, state)["members"]
    return expect


def rewrite(path: Path, tests: list[StoryTest], found: dict[int, Found]) -> str:
    """The test file's text with each found test's entry written anew (its name, seed,
    player, choices and expectations; comments inside that entry are dropped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = sorted(t.line for t in tests)
    spans: list[tuple[int, int, list[str]]] = []
    for i, new in found.items():
        test = tests[i]
        first = test.line - 1
        later = [s for s in starts if s > test.line]
        end = (later[0] - 1) if later else len(lines)
        while end > first + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        entry = {
            "name": test.name,
            "seed": new.seed,
            "player": test.player,
            "choices": new.choices,
            "expect": new.expect,
        }
        dash = lines[first].index("-") if "-" in lines[first] else 2
        new_lines = [_shift(ln, dash - 2) for ln in testwrite.entry_lines(entry)]
        spans.append((first, end, new_lines))
    for first, end, new_lines in sorted(spans, reverse=True):
        lines[first:end] = new_lines
    return "\n".join(lines) + "\n"


def _shift(line: str, by: int) -> str:
    if by >= 0:
        return " " * by + line
    return line[min(-by, len(line) - len(line.lstrip(" "))) :]
