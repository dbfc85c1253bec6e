"""The infection rules: incubation, turning, hambies, hunger, senses, and events."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from game.engine.model import Story
from game.engine.rules import choose, is_ended, new_game
from game.engine.state import GameState
from tests.storybuild import load, write_story

EVENTS = """\
  - {id: turns, on: turned-zombie, if: "with(who) and not you(who)", scene: ev-turn, return: true}
  - {id: hambie, on: turned-hambie, if: "not you(who)", scene: ev-hambie, return: true}
  - {id: me-hambie, on: turned-hambie, who: [player], scene: ev-hambie, return: true}
  - {id: hungry, on: hunger-crisis, scene: ev-hunger, return: true}
  - {id: found, on: bite-discovered, scene: ev-found, return: true}
  - {id: late, when: "clock >= 10:00", scene: ev-late, return: true}
"""

SCENES = """\
- id: s
  location: room
  text: Start.
  choices:
    - {id: bite-bo, label: Bo is bitten, effects: [{bite: bo}], goto: s}
    - {id: hide-bo, label: Bo hides a bite, effects: [{bite: {who: bo, concealed: true}}], goto: s}
    - {id: bite-me, label: I am bitten, effects: [{bite: player}], goto: s}
    - {id: hambie-bo, label: Bo turns hambie, effects: [{bite: bo}, {turn: bo}], goto: s}
    - {id: check, label: Check everyone, effects: [{reveal: all}], goto: s}
    - {id: wait, label: Wait, time: 10, goto: s}
    - {id: wait-hour, label: Wait an hour, time: 60, goto: s}
    - {id: leave, label: Leave, goto: end}
- id: ev-turn
  location: room
  text: "{who} turns."
  on_enter: [{add: {trust: -1}}]
  choices: [{id: back, label: Back, return: true}]
- id: ev-hambie
  location: room
  text: "{who} is a hambie."
  choices: [{id: back, label: Back, return: true}]
- id: ev-hunger
  location: room
  text: "{who} starves."
  choices: [{id: feed, label: Feed, effects: [{feed: who}], return: true}]
- id: ev-found
  location: room
  text: "{who} was bitten."
  choices: [{id: back, label: Back, return: true}]
- id: ev-late
  location: room
  text: It is late.
  choices: [{id: back, label: Back, return: true}]
"""


def make(tmp_path: Path, hambie: float = 0.0, cast_hambie: float | None = None) -> Story:
    write_story(tmp_path, SCENES, hambie=hambie, events=EVENTS)
    if cast_hambie is not None:
        manifest = tmp_path / "story.yaml"
        text = manifest.read_text().replace(
            "bo: {name: Bo, traits: [fighter], with: true}",
            f"bo: {{name: Bo, traits: [fighter], with: true, hambie: {cast_hambie}}}",
        )
        manifest.write_text(text)
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.story is not None
    return result.story


def run(story: Story, *ids: str, seed: int = 1) -> tuple[GameState, list[list[str]]]:
    state = new_game(story, seed=seed)
    kinds: list[list[str]] = []
    for cid in ids:
        state, events = choose(story, state, cid)
        kinds.append([e.kind for e in events])
    return state, kinds


def test_bite_draws_hidden_incubation(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, kinds = run(story, "bite-bo")
    bo = state.members["bo"]
    assert bo.bitten and bo.fate == "human" and not bo.concealed
    assert bo.turns_at == 8 * 60 + 30  # incubation fixed at 30 minutes in this story
    assert kinds == [["bitten"]]


def test_turns_into_zombie_when_incubation_ends(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, kinds = run(story, "bite-bo", "wait", "wait")  # 08:05 -> 08:25: not yet
    assert state.members["bo"].fate == "human"
    state, kinds = run(story, "bite-bo", "wait", "wait", "wait")  # 08:35: turned
    assert state.members["bo"].fate == "zombie"
    assert "turned-zombie" in kinds[-1]
    assert state.scene == "ev-turn" and state.subject == "bo"
    assert state.counters["trust"] == 2
    back, _ = choose(story, state, "back")
    assert back.scene == "s" and back.subject is None
    assert back.counters["trust"] == 2  # returning does not re-enter the scene


def test_hambie_by_story_odds_and_member_modifier(tmp_path: Path) -> None:
    certain = make(tmp_path / "a", hambie=1.0)
    state, kinds = run(certain, "hambie-bo")
    assert state.members["bo"].fate == "hambie" and state.scene == "ev-hambie"
    assert kinds == [["bitten", "turned-hambie"]]
    by_member = make(tmp_path / "b", hambie=0.0, cast_hambie=1.0)
    state, _ = run(by_member, "hambie-bo")
    assert state.members["bo"].fate == "hambie"
    never = make(tmp_path / "c", hambie=0.0)
    state, _ = run(never, "hambie-bo")
    assert state.members["bo"].fate == "zombie"


def test_hambie_odds_are_a_fraction(tmp_path: Path) -> None:
    story = make(tmp_path, hambie=0.3)
    outcomes = [run(story, "hambie-bo", seed=seed)[0].members["bo"].fate for seed in range(400)]
    share = outcomes.count("hambie") / len(outcomes)
    assert 0.2 < share < 0.4


def test_hunger_rises_and_peaks(tmp_path: Path) -> None:
    story = make(tmp_path, hambie=1.0)
    state, _ = run(story, "hambie-bo", "back")
    assert state.members["bo"].hunger == 10  # two 5-minute steps at 60 an hour
    state, events = choose(story, state, "wait-hour")
    assert state.members["bo"].hunger == 70
    assert "hunger-rising" in [e.kind for e in events]
    state, events = choose(story, state, "wait-hour")
    assert state.members["bo"].hunger == 100
    assert "hunger-crisis" in [e.kind for e in events]
    assert state.scene == "ev-hunger"
    fed, _ = choose(story, state, "feed")
    assert fed.members["bo"].hunger == 15  # after_feed 10, then the 5-minute step
    # 10:00 passed during the crisis; that event waited until the crisis scene was left
    assert fed.scene == "ev-late"


def test_concealed_bite_is_invisible_until_checked(tmp_path: Path) -> None:
    story = make(tmp_path)
    state = new_game(story, seed=1)
    state, events = choose(story, state, "hide-bo")
    assert state.members["bo"].concealed
    assert [e.visible for e in events if e.kind == "bitten"] == [False]
    assert state.members["bo"].shown_status(False) == "healthy"
    state, events = choose(story, state, "check")
    assert not state.members["bo"].concealed
    assert state.scene == "ev-found" and state.subject == "bo"


def test_hambie_senses_find_a_hidden_bite(tmp_path: Path) -> None:
    story = make(tmp_path, hambie=1.0)
    state = new_game(story, seed=1)
    members = dict(state.members)
    members["ana"] = replace(members["ana"], fate="hambie")
    state = replace(state, members=members)
    state, events = choose(story, state, "hide-bo")
    assert not state.members["bo"].concealed
    found = [e for e in events if e.kind == "bite-discovered"]
    assert found and "Ana's senses" in found[0].text


def test_player_turns_and_the_run_ends(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, kinds = run(story, "bite-me", "wait-hour")
    assert state.members["player"].fate == "zombie"
    assert state.scene == "end" and is_ended(story, state)


def test_player_can_become_a_hambie(tmp_path: Path) -> None:
    story = make(tmp_path, hambie=1.0)
    state, _ = run(story, "bite-me", "wait-hour")
    assert state.members["player"].fate == "hambie"
    assert state.scene == "ev-hambie" and state.subject == "player"


def test_when_events_fire_on_the_rising_edge_only(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, _ = run(story, "wait-hour", "wait-hour")  # 10:00 reached
    assert state.scene == "ev-late"
    state, _ = choose(story, state, "back")
    state, _ = choose(story, state, "wait")
    assert state.scene == "s"  # still true, but it already fired


def test_turn_order_follows_the_clock(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, _ = run(story, "bite-bo", "wait")  # bo turns at 08:30
    state, _ = choose(story, state, "bite-me")  # player turns at 08:40
    state, _ = choose(story, state, "wait-hour")
    # both turn in this step; the player's own turn takes priority over the friend's
    assert state.members["bo"].fate == "zombie" and state.members["player"].fate == "zombie"
    assert state.scene == "end"


def test_an_ending_event_scene_stands_even_when_it_kills_the_player(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Start.
          choices:
            - {id: wait, label: Wait, time: 120, goto: s}
        - id: bombed
          location: street
          text: The sky falls.
          on_enter: [{kill: player}, {kill: ana}]
          ending: {title: Bombed, kind: bombing}
        """,
        events="- {id: bombing, when: 'clock >= 9:00', scene: bombed}\n",
    )
    result = load(tmp_path)
    assert result.ok and result.story is not None
    state, _ = choose(result.story, new_game(result.story, seed=1), "wait")
    assert state.scene == "bombed" and state.members["player"].fate == "dead"


def test_event_scene_with_location_here_takes_the_interrupted_place(tmp_path: Path) -> None:
    from game.engine.rules import location

    write_story(
        tmp_path,
        """\
        - id: s
          location: street
          text: Start.
          choices:
            - {id: bite-bo, label: Bo is bitten, effects: [{bite: bo}, {turn: bo}], goto: s}
            - {id: leave, label: Leave, goto: end}
        - id: ev-turn
          location: here
          text: "{who} turns."
          choices:
            - {id: city, label: In the city, if: at(city), return: true}
            - {id: elsewhere, label: Elsewhere, if: not at(city), return: true}
        """,
        events="- {id: turns, on: turned-zombie, if: with(who), scene: ev-turn, return: true}\n",
    )
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    story = result.story
    assert story is not None
    state, _ = choose(story, new_game(story, seed=1), "bite-bo")
    assert state.scene == "ev-turn" and location(story, state) == "street"
    from game.engine.rules import choices

    assert [v.id for v in choices(story, state)] == ["city"]


def test_location_here_outside_an_event_scene_is_an_error(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: here
          text: Start.
          choices: [{id: leave, label: Leave, goto: end}]
        """,
    )
    messages = [d.message for d in load(tmp_path).errors]
    assert any("has location: here, but no event leads to it" in m for m in messages)


# -- rules that a by-hand break showed unguarded (see docs/TESTING.md) -------------------


def test_a_bite_due_at_the_end_of_a_step_turns_in_that_step(tmp_path: Path) -> None:
    story = make(tmp_path)
    # bitten at 08:00 (turns at 08:30); 08:05 + 10 + 10 = 08:25, then one 5-minute step
    state, kinds = run(story, "bite-bo", "wait", "wait", "check")
    assert state.clock == 8 * 60 + 30 and state.members["bo"].turns_at is None
    assert state.members["bo"].fate == "zombie" and "turned-zombie" in kinds[-1]


MODIFIERS = """\
  hambie_modifiers:
    - {if: "clock < 8:35", add: 1.0}
    - {if: "trait(who, archer)", add: -2.0}
"""


def make_with_modifiers(tmp_path: Path) -> Story:
    write_story(tmp_path, SCENES, events=EVENTS)
    manifest = tmp_path / "story.yaml"
    text = manifest.read_text()
    manifest.write_text(text.replace("  hambie_chance: 0.0\n", "  hambie_chance: 0.0\n" + MODIFIERS))
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.story is not None
    return result.story


def test_hambie_modifiers_are_read_at_the_minute_of_turning(tmp_path: Path) -> None:
    story = make_with_modifiers(tmp_path)
    # bo turns at 08:30, inside a one-hour wait that ends at 09:05: the modifier
    # `clock < 8:35` holds at the minute he turns, not at the end of the wait
    state, _ = run(story, "bite-bo", "wait-hour")
    assert state.members["bo"].fate == "hambie"
    # bitten at 08:05 by waiting first: turns at 08:35, the modifier no longer holds
    state, _ = run(story, "wait", "bite-bo", "wait-hour", "back")
    assert state.members["bo"].fate == "zombie"


def test_hambie_modifiers_speak_of_the_one_turning(tmp_path: Path) -> None:
    story = make_with_modifiers(tmp_path)
    state = new_game(story, seed=1)
    members = dict(state.members)
    # Ana (an archer) turns at 08:30 too: her -2.0 outweighs the clock's +1.0
    members["ana"] = replace(members["ana"], bitten=True, turns_at=8 * 60 + 30)
    members["bo"] = replace(members["bo"], bitten=True, turns_at=8 * 60 + 30)
    state = replace(state, members=members)
    state, _ = choose(story, state, "wait-hour")
    assert state.members["bo"].fate == "hambie" and state.members["ana"].fate == "zombie"


def test_hambie_senses_reach_only_those_with_the_party(tmp_path: Path) -> None:
    story = make(tmp_path, hambie=1.0)
    state = new_game(story, seed=1)
    members = dict(state.members)
    members["ana"] = replace(members["ana"], fate="hambie")
    members["cy"] = replace(members["cy"], bitten=True, concealed=True, turns_at=10_000)  # away
    state, events = choose(story, replace(state, members=members), "wait")
    assert state.members["cy"].concealed and not [e for e in events if e.kind == "bite-discovered"]


def test_the_player_always_knows_of_their_own_concealed_bite(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Start.
          choices:
            - {id: hide, label: Hide my bite, effects: [{bite: {who: player, concealed: true}}], goto: s}
            - {id: leave, label: Leave, goto: end}
        """,
    )
    result = load(tmp_path)
    assert result.ok and result.story is not None
    state, events = choose(result.story, new_game(result.story, seed=1), "hide")
    bitten = [e for e in events if e.kind == "bitten"]
    assert [(e.who, e.visible, e.text) for e in bitten] == [("player", True, "You have been bitten. Nobody saw.")]
    assert state.members["player"].concealed and state.members["player"].shown_status(True) == "bitten"


def test_a_when_event_rearms_once_its_condition_fell(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Start.
          choices:
            - {id: open, label: Open, effects: [{set: door}], goto: s}
            - {id: shut, label: Shut, effects: [{clear: door}], goto: s}
            - {id: leave, label: Leave, goto: end}
        - id: draught
          location: room
          text: A draught.
          choices: [{id: back, label: Back, return: true}]
        """,
        events="- {id: draught, when: flag(door), once: false, scene: draught, return: true}\n",
    )
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    story = result.story
    assert story is not None
    state, _ = choose(story, new_game(story, seed=1), "open")
    assert state.scene == "draught"
    state, _ = choose(story, state, "back")
    state, _ = choose(story, state, "open")  # still open: no new edge
    assert state.scene == "s"
    state, _ = choose(story, state, "shut")
    state, _ = choose(story, state, "open")  # fell, then rose again
    assert state.scene == "draught"


def test_a_when_event_with_one_who_is_about_that_member(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Start.
          choices:
            - {id: mark, label: Mark Bo, effects: [{set: door}], goto: s}
            - {id: leave, label: Leave, goto: end}
        - id: about
          location: room
          text: "{who} looks at {their:who} hands."
          choices: [{id: back, label: Back, effects: [{clear: door}], return: true}]
        """,
        events=(
            "- {id: about-bo, when: flag(door), if: flag(door), who: [bo], scene: about, return: true}\n"
        ),
    )
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    story = result.story
    assert story is not None
    state, _ = choose(story, new_game(story, seed=1), "mark")
    assert state.scene == "about" and state.subject == "bo"
    state, _ = choose(story, state, "back")
    assert state.scene == "s" and state.subject is None

    # two members on a when-event: which one would it be about?
    write_story(
        tmp_path,
        "- {id: s, location: room, text: Start., choices: [{id: leave, label: Leave, goto: end}]}\n",
        events="- {id: two, when: flag(door), who: [bo, player], scene: s}\n",
    )
    result = load(tmp_path)
    assert not result.ok
    assert any("who: only filters on: events" in str(d) for d in result.diagnostics)


def test_returning_from_an_event_resumes_without_entering_again(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Start.
          on_enter: [{add: {trust: 1}}]
          choices:
            - {id: bite-bo, label: Bo is bitten, effects: [{bite: bo}, {turn: bo}], goto: s}
            - {id: leave, label: Leave, goto: end}
        - id: ev-turn
          location: room
          text: "{who} turns."
          choices: [{id: back, label: Back, return: true}]
        """,
        events="- {id: turns, on: turned-zombie, if: with(who), scene: ev-turn, return: true}\n",
    )
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    story = result.story
    assert story is not None
    state = new_game(story, seed=1)
    assert state.counters["trust"] == 4 and state.visits["s"] == 1
    state, _ = choose(story, state, "bite-bo")  # goto s (entered again), then the event
    assert state.scene == "ev-turn" and state.counters["trust"] == 5 and state.visits["s"] == 2
    state, _ = choose(story, state, "back")
    assert state.scene == "s" and state.counters["trust"] == 5 and state.visits["s"] == 2
