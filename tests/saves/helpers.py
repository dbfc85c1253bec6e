"""Shared by the saves tests: play a run on a story and record it as a save would."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from game.engine import rules
from game.engine.model import Story
from game.engine.saves import Run
from game.engine.state import GameState

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini"


def play(
    story: Story, seed: int, choice_ids: list[str], name: str = "Ha-neul"
) -> tuple[Run, list[GameState]]:
    state = rules.new_game(story, seed=seed, player_name=name)
    run = Run.start(story, state)
    states = [state]
    for cid in choice_ids:
        label = {v.id: v.label for v in rules.choices(story, state)}[cid]
        before = state.scene
        state, _ = rules.choose(story, state, cid)
        run = run.record(story, before, cid, label, state)
        states.append(state)
    return run, states


def wander(story: Story, seed: int, steps: int, prefer: tuple[str, ...] = ()) -> tuple[Run, list[GameState]]:
    """A run of up to `steps` choices picked by a seeded policy (preferred ids first)."""
    pick = random.Random(seed)
    state = rules.new_game(story, seed=seed, player_name="Ha-neul")
    ids: list[str] = []
    for _ in range(steps):
        if rules.is_ended(story, state):
            break
        views = [v for v in rules.choices(story, state) if v.available]
        preferred = [v for v in views if v.id in prefer]
        view = preferred[0] if preferred else pick.choice(views)
        ids.append(view.id)
        state, _ = rules.choose(story, state, view.id)
    return play(story, seed, ids)


def copy_mini(tmp_path: Path) -> Path:
    """A copy of the mini story to edit."""
    target = tmp_path / "story"
    shutil.copytree(MINI, target)
    return target


def edit(story_dir: Path, old: str, new: str, file: str = "story.yaml") -> None:
    path = story_dir / file
    text = path.read_text()
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1))
