"""A step's working copy becomes the new state in place (`Work.freeze` assigns its
class): the states it makes must be plain GameStates in every way a caller can see."""

from __future__ import annotations

import copy
import pickle
import random
from dataclasses import asdict, fields, replace
from pathlib import Path

import pytest

from game.engine import rules
from game.engine.loader import load_or_raise
from game.engine.state import GameState
from game.engine.work import Work
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def states(root: Path, steps: int = 60) -> list[GameState]:
    story = load_or_raise(root)
    rng = random.Random(5)
    out = [rules.new_game(story, seed=5)]
    for _ in range(steps):
        views = [v for v in rules.choices(story, out[-1]) if v.available]
        if not views:
            break
        out.append(rules.choose(story, out[-1], rng.choice(views).id)[0])
    return out


@pytest.mark.parametrize("root", [FIXTURES / "mini", FIXTURES / "v2", ROOT / "story"], ids=lambda p: p.name)
def test_frozen_steps_are_plain_states(root: Path) -> None:
    for state in states(root):
        assert type(state) is GameState
        # the step's own slots are let go: no story, events or copied containers kept
        assert (state.story, state.events, state.item_lines, state.dirty) == (None, None, None, ())
        assert isinstance(state.flags, frozenset) and isinstance(state.taken, frozenset)
        assert isinstance(state.armed, frozenset) and isinstance(state.fired, frozenset)
        assert type(state.pending) is tuple and type(state.returns) is tuple
        again = GameState.from_dict(state.to_dict())
        assert again == state and again.to_dict() == state.to_dict()
        assert pickle.loads(pickle.dumps(state)) == state
        assert copy.copy(state) == state
        assert replace(state) == state and replace(state, clock=state.clock + 1) != state
        assert asdict(state)["scene"] == state.scene
        assert [f.name for f in fields(state)] == list(GameState.__slots__)
        with pytest.raises(AttributeError):
            state.clock = 0  # type: ignore[misc]


def test_a_step_that_changes_nothing_freezes_to_an_equal_state() -> None:
    story = load_or_raise(FIXTURES / "mini")
    for state in states(FIXTURES / "mini", 20):
        frozen = Work(story, state).freeze()
        assert frozen == state and frozen is not state


def test_a_working_copy_edits_copies_not_the_state_it_came_from() -> None:
    story = load_or_raise(FIXTURES / "mini")
    state = rules.new_game(story, seed=1)
    before = state.to_dict()
    w = Work(story, state)
    w.mutable_set("flags").add("x-new-flag")
    w.mutable_list("pending").append(("died", "player"))
    w.mutable_list("returns").append(state.scene)
    w.mutable_dict("counters")["x-counter"] = 2
    new = w.freeze()
    assert state.to_dict() == before
    assert "x-new-flag" in new.flags and new.pending == (("died", "player"),)
    assert new.returns == (state.scene,) and new.counters["x-counter"] == 2
