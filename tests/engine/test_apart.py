"""`apart: true`: a scene where the player is on their own while the party is elsewhere
(the hall pass of act 1). Nobody leaves the party; what the player is shown says so."""

from __future__ import annotations

from pathlib import Path

from game.engine import rules
from game.plain import party_line
from tests.storybuild import load, write_story

HALL_PASS = """\
- id: s
  location: room
  text: Class.
  choices: [{id: pass, label: Take the hall pass, goto: corridor}]
- id: corridor
  location: street
  apart: true
  text: The corridor is empty.
  choices:
    - {id: back, label: Back to class, goto: end}
    - {id: find-cy, label: Cy is in the nurse's room, effects: [{join: cy}], goto: corridor}
"""


def test_an_apart_scene_keeps_the_party_but_shows_it_elsewhere(tmp_path: Path) -> None:
    result = load(write_story(tmp_path, HALL_PASS))
    assert result.ok and result.story is not None, [str(d) for d in result.diagnostics]
    story = result.story
    assert (story.scenes["s"].apart, story.scenes["corridor"].apart) == (False, True)
    state = rules.new_game(story, seed=1)
    assert party_line(story, state).splitlines()[0] == "Party: You (healthy), Ana, Bo"
    state, _ = rules.choose(story, state, "pass")
    assert [mid for mid in ("ana", "bo") if state.members[mid].present] == ["ana", "bo"]  # nobody left
    assert party_line(story, state).splitlines()[0] == (
        "Party: You (healthy), away from the others for now | the rest of the party: Ana, Bo"
    )
    # a friend found on the way is beside you; the class is still upstairs (reader BO)
    state, _ = rules.choose(story, state, "find-cy")
    assert rules.beside_you(story, state) == ["cy"]
    assert party_line(story, state).splitlines()[0] == (
        "Party: You (healthy), Cy, away from the others for now | the rest of the party: Ana, Bo"
    )


def test_apart_must_be_true_or_false(tmp_path: Path) -> None:
    root = write_story(tmp_path, HALL_PASS.replace("apart: true", "apart: sometimes"))
    errors = [str(d) for d in load(root).diagnostics if d.severity == "error"]
    assert len(errors) == 1 and "scenes.yaml:8:" in errors[0], errors
    assert "apart must be true or false" in errors[0]


def test_a_hurt_hambie_is_shown_hurt(tmp_path: Path) -> None:
    # reader BM: "Gyeong-su is hurt." and the party line said only "(hambie, hunger 66)"
    scenes = """\
- id: s
  location: room
  text: The room.
  choices:
    - {id: turn, label: Bo turns, effects: [{bite: bo}, {turn: bo}], goto: s}
    - {id: hurt, label: Bo is hurt, effects: [{injure: bo}], goto: s}
"""
    result = load(write_story(tmp_path, scenes, hambie=1.0))
    assert result.story is not None, [str(d) for d in result.diagnostics]
    story = result.story
    state, _ = rules.choose(story, rules.new_game(story, seed=1), "turn")
    assert state.members["bo"].fate == "hambie"
    assert "Bo (hambie, hunger" in party_line(story, state)
    state, _ = rules.choose(story, state, "hurt")
    assert "Bo (hambie, hurt, hunger" in party_line(story, state)
