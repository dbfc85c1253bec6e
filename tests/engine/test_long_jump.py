"""A long jump (`advance` of 12 hours or more) waits for the events in it.

Reader AN's run in the hills: I-sak was bitten at 17:35, a forage choice jumped ten
days, and his turn (which the history put on the first evening) was shown at the end
of the jump, headed ten days later, under prose that says a turn takes hours. Now the
turn is told at its own hour and the rest of the jump passes after its event scene."""

from __future__ import annotations

from pathlib import Path

from game.engine.clock import MINUTES_PER_DAY as DAY
from game.engine.model import Story
from game.engine.rules import choose, new_game
from game.engine.state import GameState
from tests.storybuild import load, write_story

EVENTS = """\
- {id: turns, on: turned-zombie, if: "with(who) and not you(who)", scene: ev-turn, return: true}
"""

SCENES = """\
- id: s
  location: room
  text: Start.
  choices:
    - {id: bite-bo, label: Bo is bitten, effects: [{bite: bo}], goto: s}
    - {id: bite-cy, label: Cy is bitten far away, effects: [{bite: cy}], goto: s}
    - {id: week, label: A week, text: The days run together., goto: week}
    - {id: bitten-then-week, label: Bitten on the way, effects: [{bite: bo}], time: 40, goto: week}
    - {id: half-day, label: Ten hours, goto: half}
- id: week
  location: street
  on_enter: [{advance: {days: 7}}]
  text: A week on.
  choices: [{id: on, label: On, goto: end}]
- id: half
  location: street
  on_enter: [{advance: 600}]
  text: Ten hours on.
  choices: [{id: on, label: On, goto: end}]
- id: ev-turn
  location: here
  text: "{who} turns."
  choices:
    - {id: back, label: Back, return: true}
    - {id: back-bitten, label: Ana is bitten in the struggle, effects: [{bite: ana}], return: true}
"""

START = 8 * 60  # the test manifest's clock starts on day 1 at 08:00, 5 minutes a step
INCUBATION = 30


def make(tmp_path: Path) -> Story:
    result = load(write_story(tmp_path, SCENES, events=EVENTS))
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.story is not None
    return result.story


def play(story: Story, *ids: str) -> tuple[GameState, list[list[tuple[str, str]]]]:
    state = new_game(story, seed=1)
    told: list[list[tuple[str, str]]] = []
    for cid in ids:
        state, events = choose(story, state, cid)
        told.append([(e.kind, e.text) for e in events if e.kind in ("outcome", "passing", "turned")])
    return state, told


def test_a_turn_inside_a_long_jump_is_shown_at_its_own_hour(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, told = play(story, "bite-bo", "week")
    bitten_at = START
    assert state.scene == "ev-turn" and state.subject == "bo"
    assert state.clock == bitten_at + INCUBATION  # not a week later
    assert [r.clock for r in state.history if r.kind == "turned-zombie"] == [state.clock]
    # the jump began at 08:10 (two 5-minute steps): the rest waits for the event scene
    assert state.resume_at == START + 10 + 7 * DAY
    # twenty minutes in: the turn simply comes, with no caption
    assert told[-1] == [("outcome", "The days run together.")]
    after, told_after = play(story, "bite-bo", "week", "back")
    assert after.scene == "week" and after.resume_at == 0
    assert after.clock == START + 10 + 7 * DAY  # the jump ends where the story said
    assert told_after[-1] == [("passing", "Seven days later.")]


def test_a_turn_earlier_in_the_step_comes_before_the_jump(tmp_path: Path) -> None:
    """AN's case: the turn came in the choice's own 40 minutes, and the scene it led to
    jumped ten days on entering."""
    story = make(tmp_path)
    state, told = play(story, "bitten-then-week")
    assert state.scene == "ev-turn" and state.clock == START + 40
    assert state.resume_at == START + 40 + 7 * DAY
    assert ("passing", "Seven days later.") not in told[-1]
    after, _ = play(story, "bitten-then-week", "back")
    assert (after.scene, after.clock) == ("week", START + 40 + 7 * DAY)


def test_a_second_turn_in_the_rest_of_the_jump_stops_it_again(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, told = play(story, "bite-bo", "week", "back-bitten")
    assert not any(kind == "passing" for kind, _ in told[-1])  # 25 minutes: no "later"
    # Ana is bitten as the event scene's choice is taken, at Bo's turn: half an hour on,
    # the rest of the week stops again for her
    assert state.scene == "ev-turn" and state.subject == "ana"
    assert state.clock == START + INCUBATION + INCUBATION
    assert state.resume_at == START + 10 + 7 * DAY
    done, told = play(story, "bite-bo", "week", "back-bitten", "back")
    assert (done.scene, done.clock, done.resume_at) == ("week", START + 10 + 7 * DAY, 0)
    assert told[-1] == [("passing", "Seven days later.")]


def test_a_turn_no_event_shows_does_not_stop_the_clock(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, told = play(story, "bite-cy", "week")  # Cy is not with the party
    assert state.members["cy"].fate == "zombie"
    assert (state.scene, state.clock, state.resume_at) == ("week", START + 10 + 7 * DAY, 0)
    assert not any(kind == "passing" for kind, _ in told[-1])


def test_a_jump_under_twelve_hours_still_shows_the_turn_at_its_end(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, _ = play(story, "bite-bo", "half-day")
    assert state.scene == "ev-turn" and state.clock == START + 10 + 600
    assert state.resume_at == 0


def test_a_turn_hours_into_the_jump_is_told_how_far_in(tmp_path: Path) -> None:
    root = write_story(tmp_path, SCENES, events=EVENTS)
    manifest = root / "story.yaml"
    manifest.write_text(manifest.read_text().replace("{min: 30, max: 30}", "{min: 240, max: 240}"))
    result = load(root)
    assert result.ok and result.story is not None
    state, told = play(result.story, "bite-bo", "week")
    # bitten at 08:00, turns at 12:00; the week began at 08:10
    assert state.scene == "ev-turn" and state.clock == START + 240
    assert told[-1] == [("outcome", "The days run together."), ("passing", "Four hours later.")]


def test_a_stopped_jump_survives_a_save(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, _ = play(story, "bite-bo", "week")
    data = state.to_dict()
    assert data["resume_at"] == state.resume_at
    assert GameState.from_dict(data) == state
    plain = new_game(story, seed=1).to_dict()
    assert "resume_at" not in plain  # states written before it existed read the same
    assert GameState.from_dict(plain).resume_at == 0
