"""`choose` skips checking a choice again when `choices` has just listed it available
for the very same state: the result, and every refusal, must be the same either way."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from game.engine import rules
from game.engine.loader import load_or_raise
from game.engine.model import Story
from game.engine.state import GameState
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def outcome(story: Story, state: GameState, choice_id: str) -> object:
    try:
        new, events = rules.choose(story, state, choice_id)
    except rules.ChoiceError as exc:
        return f"refused: {exc}"
    return new.to_dict(), events


@pytest.mark.parametrize("root", [FIXTURES / "mini", FIXTURES / "v2", ROOT / "story"], ids=lambda p: p.name)
def test_choose_after_choices_is_choose_alone(root: Path) -> None:
    story = load_or_raise(root)
    rng = random.Random(3)
    for seed in range(8):
        state = rules.new_game(story, seed=seed)
        other = rules.new_game(story, seed=seed + 100)
        for _ in range(40):
            if rules.is_ended(story, state):
                break
            scene = story.scenes[state.scene]
            ids = [c.id for c in scene.choices] + ["no-such-choice"]
            for cid in ids:
                rules.choices(story, other)  # listed for another state: the full checks
                alone = outcome(story, state, cid)
                rules.choices(story, state)  # listed for this one: the short way
                assert outcome(story, state, cid) == alone, (root.name, state.scene, cid)
            views = [v for v in rules.choices(story, state) if v.available]
            if not views:
                break
            state, _ = rules.choose(story, state, rng.choice(views).id)
