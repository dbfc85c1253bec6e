"""The run's memory through the rules: what each effect records, and what conditions,
templates and fate lines make of it (small stories built per test)."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

from game.engine import rules
from game.engine.model import Story
from game.engine.rules import choose, new_game
from game.engine.state import GameState
from tests.storybuild import load, write_story

EXTRA_SCENES = """
- id: street-scene
  location: street
  text: |
    {if died_at(bo, room) then Bo died {died_at:bo}, day {day_died:bo}. | Bo is alive.}
    {if saw(ana, bitten, bo) then Ana saw the bite. | Nobody saw.}
    {if been(school) then From school. | Not from school.}
    {if been(city) then City. | No city.}
  choices:
    - {id: back, label: Back, goto: s}
    - {id: leave, label: Leave, goto: end}
"""


def build(tmp_path: Path, effects: str, extra: str = EXTRA_SCENES) -> Story:
    write_story(
        tmp_path,
        textwrap.dedent(f"""\
        - id: s
          location: room
          text: Start.
          choices:
            - id: go
              label: Go
              effects: {effects}
              goto: s
            - id: out
              label: Out
              goto: street-scene
            - id: leave
              label: Leave
              goto: end
        """)
        + extra,
    )
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.story is not None
    return result.story


def go(story: Story, *ids: str, state: GameState | None = None) -> GameState:
    state = state or new_game(story, seed=1)
    for cid in ids:
        state, _ = choose(story, state, cid)
    return state


def test_a_seen_bite_is_recorded_with_place_biter_and_witnesses(tmp_path: Path) -> None:
    story = build(tmp_path, "[{bite: {who: bo, by: ana}}]")
    state = go(story, "go")
    (record,) = state.history
    assert (record.kind, record.member, record.by, record.location, record.scene) == (
        "bitten",
        "bo",
        "ana",
        "room",
        "s",
    )
    assert record.clock == story.clock_start and not record.concealed
    assert set(record.seen_by) == {"player", "ana"}
    text = rules.scene_text(story, go(story, "out", state=state))
    assert "Ana saw the bite." in text


def test_a_concealed_bite_is_seen_by_nobody_but_the_biter(tmp_path: Path) -> None:
    story = build(tmp_path, "[{bite: {who: bo, concealed: true}}]")
    (record,) = go(story, "go").history
    assert record.concealed and record.seen_by == ()
    assert "Nobody saw." in rules.scene_text(story, go(story, "go", "out"))


def test_turning_is_recorded_when_and_where_the_clock_runs_out(tmp_path: Path) -> None:
    story = build(tmp_path, "[{bite: bo}, {advance: 40}]")  # incubation is 30 minutes
    state = go(story, "go")
    bitten, turned = state.history
    assert turned.kind == "turned-zombie" and turned.member == "bo"
    assert turned.clock == bitten.clock + 30  # the moment incubation ended, not the step's end
    assert turned.location == "room"


def test_a_death_prints_its_place_and_day(tmp_path: Path) -> None:
    story = build(tmp_path, "[{kill: bo}]")
    state = go(story, "go", "out")
    text = rules.scene_text(story, state)
    assert "Bo died at Room, day 1." in text
    assert "From school." in text and "City." in text  # the street scene is in the city
    assert "Bo is alive." in rules.scene_text(story, go(story, "out"))


def test_leaving_going_missing_and_joining_are_recorded(tmp_path: Path) -> None:
    story = build(tmp_path, "[{separate: bo}, {leave: ana}, {join: cy}]")
    kinds = [(r.kind, r.member) for r in go(story, "go").history]
    assert kinds == [("missing", "bo"), ("left", "ana"), ("joined", "cy")]


def test_nothing_is_recorded_for_effects_that_change_nothing(tmp_path: Path) -> None:
    story = build(tmp_path, "[{join: ana}, {leave: cy}, {bite: bo}, {bite: bo}]")
    assert [(r.kind, r.member) for r in go(story, "go").history] == [("bitten", "bo")]


def test_fate_lines_come_from_the_history(tmp_path: Path) -> None:
    story = build(tmp_path, "[{kill: bo}, {separate: ana}]")
    state = go(story, "go", "leave")
    assert state.scene == "end"
    lines = {f.member: f.line for f in rules.fates(story, state)}
    assert lines["bo"] == "Bo died."  # the manifest's default says nothing of places
    from game.engine.templates import fate_line

    assert fate_line(story, state, "bo") == "Bo died at Room on day 1."
    assert (
        fate_line(story, state, "ana")
        == "Ana was separated from you at Room on day 1 and you have not seen each other since."
    )


def test_a_death_the_player_never_saw_is_told_as_never_known(tmp_path: Path) -> None:
    # reader AU read "Hyo-ryeong turned, away from you, on day 1" of a turn nobody told them of
    from game.engine.templates import fate_line

    story = build(tmp_path, "[{leave: bo}, {kill: bo}, {kill: ana}]")
    state = go(story, "go")
    unseen = next(r for r in state.history if r.member == "bo" and r.kind == "died")
    assert unseen.seen_by == ()  # Bo was away from the party when it happened
    assert fate_line(story, state, "bo") == (
        "Bo never came back to you, and nobody you know saw how it ended for them."
    )
    assert fate_line(story, state, "ana") == "Ana died at Room on day 1."  # seen: where and when


def test_a_parting_in_the_storys_own_words_is_its_fate_line(tmp_path: Path) -> None:
    story = build(
        tmp_path,
        '[{leave: {who: ana, how: "was taken by the army"}}, {separate: {who: bo, how: "went on the other bus"}}]',
    )
    state = go(story, "go", "leave")
    from game.engine.templates import fate_line

    assert fate_line(story, state, "ana") == "Ana was taken by the army at Room on day 1."
    assert (
        fate_line(story, state, "bo")
        == "Bo went on the other bus at Room on day 1 and you have not seen each other since."
    )
    assert [(r.kind, r.how) for r in state.history] == [
        ("left", "was taken by the army"),
        ("missing", "went on the other bus"),
    ]
    assert GameState.from_dict(state.to_dict()) == state  # the words survive a save


def test_leave_without_words_keeps_the_default_fate_line(tmp_path: Path) -> None:
    story = build(tmp_path, "[{leave: {who: ana}}]")
    from game.engine.templates import fate_line

    assert fate_line(story, go(story, "go", "leave"), "ana") == "Ana left the group at Room on day 1."


def test_history_survives_to_dict_and_back(tmp_path: Path) -> None:
    story = build(tmp_path, "[{bite: {who: bo, by: ana, concealed: true}}, {kill: ana}]")
    state = go(story, "go")
    assert GameState.from_dict(state.to_dict()) == state
    old = state.to_dict()
    del old["history"]  # a state written before the history existed still loads
    assert GameState.from_dict(old).history == ()


def test_a_found_bite_is_recorded_with_who_saw_it(tmp_path: Path) -> None:
    story = build(tmp_path, "[{bite: {who: bo, concealed: true}}, {reveal: bo}]")
    bitten, found = go(story, "go").history
    assert found.kind == "bite-discovered" and found.member == "bo"
    assert set(found.seen_by) == {"player", "ana"} and bitten.seen_by == ()


def test_a_hambie_turn_is_recorded_as_such(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: "{if turned_at(bo, school) then Bo turned {turned_at:bo}. | Not yet.}"
          choices:
            - {id: go, label: Go, effects: [{bite: bo}, {advance: 40}], goto: s}
        """,
        hambie=1.0,
    )
    result = load(tmp_path)
    assert result.story is not None and result.ok, [str(d) for d in result.diagnostics]
    story = result.story
    state = go(story, "go")
    assert [r.kind for r in state.history] == ["bitten", "turned-hambie"]
    assert rules.scene_text(story, state) == "Bo turned at Room."
    assert rules.scene_text(story, new_game(story, seed=1)) == "Not yet."


def test_advance_adds_hours_and_minutes(tmp_path: Path) -> None:
    story = build(tmp_path, "[{advance: {hours: 1, minutes: 5}}]")
    start = new_game(story, seed=1)
    assert go(story, "go", state=start).clock == start.clock + 65 + story.clock_step


def test_explore_keys_the_history_only_when_a_condition_asks_it(tmp_path: Path) -> None:
    from game.engine.expr import Context, compile_full
    from game.engine.model import Condition, Pos
    from game.tools.statekey import key_plan, state_key

    story = build(tmp_path, "[{kill: bo}]")

    def conditions(*sources: str) -> list[Condition]:
        out = []
        for source in sources:
            compiled = compile_full(source, Context())
            out.append(Condition(source, compiled.evaluate, Pos("x"), compiled.thresholds))
        return out

    plain = key_plan(story, conditions("flag(door)", "clock < 2d00:00"))
    asking = key_plan(story, conditions("died_at(bo, room)"))
    route = key_plan(story, conditions("been(city)"))
    timely = key_plan(story, conditions("time >= 14:00", "clock < 2d00:00"))
    assert not plain.history and not plain.all_visits and plain.horizon < 1e9
    assert asking.history and not asking.all_visits
    assert route.all_visits and not route.history
    assert timely.horizon > 1e12  # the time of day repeats: the clock is never forgotten
    dead = go(story, "go")
    forgotten = replace(dead, history=())
    assert state_key(plain, dead) == state_key(plain, forgotten)
    assert state_key(asking, dead) != state_key(asking, forgotten)
    moved = go(story, "out")
    assert state_key(route, moved) != state_key(route, replace(moved, visits={"street-scene": 1}))
