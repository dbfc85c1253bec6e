"""Clock words, long jumps to a time of day, and the header's clock modes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from game.engine.clock import MINUTES_PER_DAY as DAY
from game.engine.timeofday import (
    clock_label,
    date_words,
    daypart,
    fits,
    minutes_until,
    parse_hhmm,
    words_for,
)


def at(day: int, hhmm: str) -> int:
    minutes = parse_hhmm(hhmm)
    assert minutes is not None
    return (day - 1) * DAY + minutes


@pytest.mark.parametrize(
    ("hhmm", "part"),
    [("00:00", "night"), ("04:59", "night"), ("05:00", "dawn"), ("06:59", "dawn"), ("07:00", "morning"),
     ("11:59", "morning"), ("12:00", "midday"), ("13:00", "afternoon"), ("17:59", "afternoon"),
     ("18:00", "evening"), ("20:59", "evening"), ("21:00", "night"), ("23:59", "night")],
)
def test_daypart(hhmm: str, part: str) -> None:
    assert daypart(at(3, hhmm)) == part


def test_words_that_fit_and_do_not() -> None:
    assert not fits("late morning", at(1, "12:25"))  # the bug a reader found
    assert fits("late morning", at(1, "11:40"))
    assert not fits("afternoon", at(1, "02:35"))
    assert fits("night", at(2, "02:35")) and fits("night", at(2, "22:00"))
    assert not fits("night", at(2, "12:00"))
    assert fits("midnight", at(2, "00:30")) and fits("midnight", at(2, "23:30"))
    assert "dawn" in words_for(at(5, "05:30"))
    assert "evening" not in words_for(at(5, "05:30"))


def test_parse_hhmm() -> None:
    assert parse_hhmm("14:00") == 840
    assert parse_hhmm("9:05") == 545
    assert parse_hhmm("24:00") is None
    assert parse_hhmm("12:60") is None
    assert parse_hhmm("noon") is None


def test_minutes_until() -> None:
    now = at(2, "02:35")
    assert minutes_until(now, days=7, at=840) == at(9, "14:00") - now
    assert minutes_until(now, at=840) == at(2, "14:00") - now  # later today
    late = at(2, "15:00")
    assert minutes_until(late, at=840) == at(3, "14:00") - late  # passed: tomorrow
    assert minutes_until(at(2, "14:00"), at=840) == 0  # already there
    assert minutes_until(now, days=1, minutes=30) == DAY + 30
    assert minutes_until(now, days=2, at=60, minutes=15) == at(4, "01:15") - now


def test_clock_labels() -> None:
    clock = at(3, "14:05")
    day_one = date(2026, 3, 2)  # a Monday
    assert clock_label(clock) == "Day 3, 14:05"
    assert clock_label(clock, "daypart") == "Day 3, afternoon"
    assert clock_label(clock, "day") == "Day 3"
    assert clock_label(clock, "date", day_one) == "Wednesday 4 March"
    assert clock_label(clock, "date") == "Day 3"
    assert clock_label(clock, "hidden") == ""
    assert date_words(at(122, "10:00"), day_one) == "Wednesday 1 July"


PASSING = """\
- id: s
  location: room
  text: The room.
  choices:
    - {id: nap, label: Sleep till dark, effects: [{set: door}, {advance: 330}], goto: s2}
    - {id: nap-told, label: Doze, text: The afternoon goes by while you doze., effects: [{set: door}, {advance: 330}], goto: s2}
    - {id: short, label: Rest a moment, effects: [{set: door}, {advance: 60}], goto: s2}
    - {id: quiet-nap, label: Sleep without the knock, effects: [{advance: 330}], goto: s2}
- id: s2
  location: room
  text: You wake. It is dark.
  choices: [{id: on, label: On, goto: end}]
- id: knock
  location: here
  text: Somebody knocks on the door.
  choices: [{id: ignore, label: Do not answer, return: true}]
"""


def test_hours_that_pass_in_silence_are_told_before_the_event_that_interrupts(tmp_path: Path) -> None:
    from game.engine.rules import choose, new_game
    from tests.storybuild import load, write_story

    knock = "- {id: knock, when: flag(door), scene: knock, return: true}"
    story = load(write_story(tmp_path, PASSING, events=knock)).story
    assert story is not None

    def told(cid: str) -> tuple[str, list[tuple[str, str]]]:
        state, events = choose(story, new_game(story, seed=1), cid)
        return state.scene, [(e.kind, e.text) for e in events]

    assert told("nap") == ("knock", [("passing", "Six hours later.")])  # first, before anything else
    # the choice's own words tell it; an hour is no stretch; no event, nothing to put in order
    assert told("nap-told") == ("knock", [("outcome", "The afternoon goes by while you doze.")])
    assert told("short") == ("knock", [])
    assert told("quiet-nap") == ("s2", [])


HERE_NO_RETURN = """\
- id: s
  location: room
  text: The room.
  choices:
    - {id: wait, label: Wait, effects: [{set: siren}, {set: bomb}], goto: s2}
- id: s2
  location: yard
  text: The yard.
  choices: [{id: on, label: On, goto: end}]
- id: siren
  location: here
  text: The siren goes. You run.
  choices: [{id: run, label: Run, goto: far}]
- id: far
  location: yard
  text: Far off.
  choices: [{id: done, label: Done, goto: end}]
"""


def test_a_here_scene_whose_event_does_not_return_still_stands_where_it_interrupted(tmp_path: Path) -> None:
    """A reader saw '==  | Day 2, 05:30 ==' over the player's turn: an ending (or a bombing
    that sends the party on) does not return, and `here` had nothing to take its place from."""
    from game.engine.rules import choose, location, new_game
    from tests.storybuild import load, write_story

    siren = "- {id: siren, when: flag(siren), scene: siren}"
    story = load(write_story(tmp_path, HERE_NO_RETURN, events=siren)).story
    assert story is not None
    state, _ = choose(story, new_game(story, seed=1), "wait")
    assert (state.scene, location(story, state)) == ("siren", "yard")
    state, _ = choose(story, state, "run")  # a goto out of the event scene drops the way back
    assert (state.scene, state.returns, location(story, state)) == ("far", (), "yard")
