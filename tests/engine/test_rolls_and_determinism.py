"""Rolls shift with the state; the same seed and choices give the same run, always."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path

from game.engine.model import Story
from game.engine.rules import choices, choose, new_game
from game.engine.state import GameState
from tests.storybuild import load, write_story

ROLL = """\
- id: s
  location: room
  text: Start.
  choices:
    - id: gamble
      label: Gamble (risky)
      roll:
        - chance: 50
          modifiers: [{if: flag(door), add: 50}]
          goto: s
          text: Lucky.
          effects: [{set: door}]
        - chance: 50
          modifiers: [{if: "noise >= 5", add: 1000}]
          goto: s
          text: Unlucky.
          effects: [{injure: player}]
    - {id: leave, label: Leave, goto: end}
"""


def make(tmp_path: Path) -> Story:
    write_story(tmp_path, ROLL)
    result = load(tmp_path)
    assert result.ok and result.story is not None
    return result.story


def outcome_text(story: Story, state: GameState) -> str:
    _, events = choose(story, state, "gamble")
    return next(e.text for e in events if e.kind == "outcome")


def test_roll_odds_follow_weights_and_modifiers(tmp_path: Path) -> None:
    story = make(tmp_path)
    base = Counter(outcome_text(story, new_game(story, seed=s)) for s in range(400))
    assert 150 < base["Lucky."] < 250
    door = Counter(
        outcome_text(story, replace(new_game(story, seed=s), flags=frozenset({"door"}))) for s in range(400)
    )
    assert door["Lucky."] > 230  # weights 100:50
    loud = Counter(outcome_text(story, replace(new_game(story, seed=s), noise=6)) for s in range(200))
    assert loud["Unlucky."] > 175  # weights 50:1050


def test_forced_outcome_draws_nothing(tmp_path: Path) -> None:
    story = make(tmp_path)
    state = new_game(story, seed=5)
    after, events = choose(story, state, "gamble", outcome=1)
    assert after.members["player"].injured and after.rng == state.rng


def test_same_seed_same_run_bundled_or_mini(mini: Story) -> None:
    def play(seed: int) -> list[str]:
        rng = random.Random(seed)
        state = new_game(mini, seed=seed)
        dumps = []
        for _ in range(30):
            views = [v for v in choices(mini, state) if v.available]
            if not views:
                break
            state, _ = choose(mini, state, rng.choice(views).id)
            dumps.append(json.dumps(state.to_dict(), sort_keys=True))
        return dumps

    for seed in (1, 2, 3):
        assert play(seed) == play(seed)
    assert play(1) != play(2)


def test_state_round_trips_through_json(mini: Story) -> None:
    state = new_game(mini, seed=9)
    for cid in ("shut", "bite-ana-hidden", "wait"):
        state, _ = choose(mini, state, cid)
    assert state.scene == "ev-turn" and state.returns == ("hall",)  # Ana turned meanwhile
    data = json.loads(json.dumps(state.to_dict()))
    again = GameState.from_dict(data)
    assert again == state
    # and the copy continues identically, RNG included
    a, _ = choose(mini, state, "back")
    b, _ = choose(mini, again, "back")
    assert a == b and a.scene == "hall"


def test_roll_weights_see_the_choices_own_effects(tmp_path: Path) -> None:
    from game.engine.rules import roll_weights

    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Start.
          choices:
            - id: shut-and-gamble
              label: Shut the door, then gamble
              text: You pull the door shut.
              effects: [{set: door}]
              roll:
                - {chance: 50, modifiers: [{if: flag(door), add: 50}], goto: s}
                - {chance: 50, goto: end}
            - {id: leave, label: Leave, goto: end}
        """,
    )
    story = load(tmp_path).story
    assert story is not None
    state = new_game(story, seed=1)
    assert roll_weights(story, state, "shut-and-gamble") == [100.0, 50.0]
    assert roll_weights(story, state, "leave") == []
    _, events = choose(story, state, "shut-and-gamble")
    assert events[0].kind == "outcome" and events[0].text == "You pull the door shut."


def test_every_field_of_a_state_round_trips(mini: Story) -> None:
    from dataclasses import replace

    from game.engine.state import Event, MemberState

    state = new_game(mini, seed=4)
    members = dict(state.members)
    members["ana"] = MemberState("human", "party", True, True, 700, True, 0.0, True)
    members["bo"] = MemberState("hambie", "missing", False, False, None, False, 42.5, True)
    full = replace(
        state,
        members=members,
        inventory={"arrows": 3},
        flags=frozenset({"door-shut"}),
        counters={"c": -2},
        noise=4,
        visits={"start": 2, "hall": 1},
        turn=7,
        taken=frozenset({"start/shut"}),
        fired=frozenset({"you-turn"}),
        armed=frozenset({"late"}),
        pending=(("died", "bo"),),
        returns=("hall",),
        subject="bo",
        log=(Event("bitten", "ana", "Ana has been bitten.", False), Event("item")),
    )
    again = GameState.from_dict(json.loads(json.dumps(full.to_dict())))
    assert again == full
    for field in ("members", "inventory", "counters", "visits", "log"):
        assert getattr(again, field) == getattr(full, field), field
