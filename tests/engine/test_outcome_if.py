"""An outcome's `if:`: false, the outcome cannot happen (weight 0), whatever its chance and
modifiers. It replaces the `add: -1000` modifier the story used to rule a bite out."""

from __future__ import annotations

from pathlib import Path

from game.engine import rules
from tests.storybuild import load, write_story

ROLL = """\
- id: s
  location: room
  text: The door gives.
  choices:
    - id: shove
      label: Shove it
      roll:
        - chance: 100
          if: not flag(door)
          effects: [{bite: ana}]
          goto: end
        - chance: 1
          text: Nobody is hurt.
          goto: end
    - {id: mark, label: Mark the door, effects: [{set: door}], goto: s}
"""


def test_an_outcome_whose_if_is_false_cannot_happen(tmp_path: Path) -> None:
    result = load(write_story(tmp_path, ROLL))
    assert result.ok and result.story is not None, [str(d) for d in result.diagnostics]
    story = result.story
    state = rules.new_game(story, seed=1)
    assert rules.roll_weights(story, state, "shove") == [100.0, 1.0]
    marked, _ = rules.choose(story, state, "mark")
    assert rules.roll_weights(story, marked, "shove") == [0.0, 1.0]
    for seed in range(20):  # the 1-in-101 outcome, every time
        after, _ = rules.choose(story, rules.new_game(story, seed=seed), "mark")
        after, events = rules.choose(story, after, "shove")
        assert not after.members["ana"].bitten
        assert "Nobody is hurt." in [e.text for e in events]


def test_an_outcome_if_is_a_checked_condition(tmp_path: Path) -> None:
    root = write_story(tmp_path, ROLL.replace("if: not flag(door)", "if: not flag(dor)"))
    errors = [str(d) for d in load(root).diagnostics if d.severity == "error"]
    assert len(errors) == 1 and "scenes.yaml:10:" in errors[0] and "dor" in errors[0], errors
