"""Every effect, applied through `choose` on small stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.model import Story
from game.engine.rules import ChoiceError, choices, choose, new_game
from game.engine.state import GameState
from tests.storybuild import load, write_story


def story_with(tmp_path: Path, effects: str, *, on_enter: str = "[]", hambie: float = 0.0) -> Story:
    write_story(
        tmp_path,
        f"""\
        - id: s
          location: room
          text: Start.
          on_enter: {on_enter}
          choices:
            - id: go
              label: Go
              effects: {effects}
              goto: s
            - id: leave
              label: Leave
              goto: end
        """,
        hambie=hambie,
    )
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.story is not None
    return result.story


def go(story: Story, state: GameState | None = None) -> tuple[GameState, list[str]]:
    state = state or new_game(story, seed=1)
    after, events = choose(story, state, "go")
    return after, [e.kind for e in events]


def test_join_leave_separate(tmp_path: Path) -> None:
    story = story_with(tmp_path, "[{join: cy}, {leave: ana}, {separate: bo}]")
    after, kinds = go(story)
    assert after.members["cy"].where == "party" and after.members["cy"].met
    assert after.members["ana"].where == "away"
    assert after.members["bo"].where == "missing"
    assert kinds == ["joined", "left", "separated"]


def test_injure_heal_kill(tmp_path: Path) -> None:
    story = story_with(tmp_path, "[{injure: ana}, {kill: bo}]")
    after, kinds = go(story)
    assert after.members["ana"].injured
    assert after.members["bo"].fate == "dead"
    assert kinds == ["injured", "died"]
    healer = story_with(tmp_path / "h", "[{heal: ana}]")
    state = new_game(healer, seed=1)
    members = dict(state.members)
    from dataclasses import replace

    members["ana"] = replace(members["ana"], injured=True)
    healed, kinds = go(healer, replace(state, members=members))
    assert not healed.members["ana"].injured and kinds == ["healed"]


def test_dead_cannot_join(tmp_path: Path) -> None:
    story = story_with(tmp_path, "[{kill: cy}, {join: cy}]")
    after, _ = go(story)
    assert after.members["cy"].fate == "dead" and after.members["cy"].where == "away"


def test_give_take_clamped(tmp_path: Path) -> None:
    story = story_with(tmp_path, "[{give: {arrows: 10, food: 2}}, {take: {food: 5}}]")
    after, kinds = go(story)
    assert after.inventory.get("arrows") == 5  # max 5
    assert after.inventory.get("food", 0) == 0  # never below 0
    assert kinds == ["item"]  # food went +2 then -2 within the step: no line for it


def test_one_net_line_per_item_per_step(tmp_path: Path) -> None:
    # the screening takes the arrows in three takes and an event gives some back: the
    # player reads one line per item, in the order the items first changed
    story = story_with(
        tmp_path,
        "[{take: {arrows: 1}}, {give: {food: 4}}, {take: {arrows: 1}}, {give: {food: 2}}]",
        on_enter="[{give: {arrows: 1}}]",
    )
    state = new_game(story, seed=1)
    after, events = choose(story, state, "go")
    assert [e.text for e in events if e.kind == "item"] == ["-1 Arrows", "+6 Food"]
    assert after.inventory.get("arrows") == state.inventory["arrows"] - 1 and after.inventory.get("food") == 6


def test_flags_and_counters(tmp_path: Path) -> None:
    story = story_with(tmp_path, "[{set: door}, {add: {trust: 2}}]")
    after, _ = go(story)
    assert "door" in after.flags and after.counters["trust"] == 5
    story2 = story_with(tmp_path / "b", "[{clear: door}, {counter: {trust: 0}}]")
    state = new_game(story2, seed=1)
    from dataclasses import replace

    after2, _ = go(story2, replace(state, flags=frozenset({"door"})))
    assert "door" not in after2.flags and after2.counters.get("trust", 0) == 0


def test_noise_clamps_and_decays(tmp_path: Path) -> None:
    story = story_with(tmp_path, "[{noise: 50}]")
    after, _ = go(story)
    assert after.noise == 10  # noise.max defaults to 10
    # 30-minute decay: a 5-minute step across the 08:30 boundary drops it by one
    story2 = story_with(tmp_path / "d", "[{advance: 60}]")
    from dataclasses import replace

    state = replace(new_game(story2, seed=1), noise=5)
    after2, _ = go(story2, state)
    assert after2.clock == 8 * 60 + 65
    assert after2.noise == 3  # 08:00 -> 09:05 crosses 08:30 and 09:00


def test_advance_and_step_time(tmp_path: Path) -> None:
    story = story_with(tmp_path, "[{advance: 25}]")
    after, _ = go(story)
    assert after.clock == 8 * 60 + 30  # 25 + the default 5-minute step


def test_conditional_effects(tmp_path: Path) -> None:
    story = story_with(tmp_path, '[{if: "flag(door)", then: [{give: {food: 1}}], else: [{set: door}]}]')
    once, _ = go(story)
    assert "door" in once.flags and not once.inventory.get("food")
    twice, _ = go(story, once)
    assert twice.inventory.get("food") == 1


def test_on_enter_runs_each_entry(tmp_path: Path) -> None:
    story = story_with(tmp_path, "[]", on_enter="[{add: {trust: 1}}]")
    state = new_game(story, seed=1)
    assert state.counters["trust"] == 4
    after, _ = go(story, state)
    assert after.counters["trust"] == 5 and after.visits["s"] == 2


def test_once_requires_and_hidden(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Start.
          choices:
            - {id: once, label: Once, once: true, goto: s}
            - id: locked
              label: Shoot
              requires: {if: "item(arrows) >= 3", reason: Not enough arrows.}
              goto: s
            - {id: hidden, label: Hidden, if: present(cy), goto: s}
            - {id: leave, label: Leave, goto: end}
        """,
    )
    story = load(tmp_path).story
    assert story is not None
    state = new_game(story, seed=1)
    views = {v.id: v for v in choices(story, state)}
    assert set(views) == {"once", "locked", "leave"}
    assert not views["locked"].available and views["locked"].reason == "Not enough arrows."
    with pytest.raises(ChoiceError, match="locked"):
        choose(story, state, "locked")
    with pytest.raises(ChoiceError, match="no choice"):
        choose(story, state, "hidden")
    after, _ = choose(story, state, "once")
    assert "once" not in {v.id for v in choices(story, after)}


def test_ending_has_no_choices(tmp_path: Path) -> None:
    story = story_with(tmp_path, "[]")
    state, _ = choose(story, new_game(story, seed=1), "leave")
    assert choices(story, state) == []
    with pytest.raises(ChoiceError, match="ended"):
        choose(story, state, "go")
