"""History records and the queries conditions, templates and tools share."""

from __future__ import annotations

from pathlib import Path

from game.engine.history import (
    Record,
    bitten_by,
    day_of,
    deciding,
    fate_sentence,
    from_list,
    happened_at,
    hid_bite,
    last,
    places,
    records,
    saw,
    to_list,
)
from game.engine.rules import choose, fates, new_game
from tests.storybuild import load, write_story

AREAS = {"store-room": "school", "stairwell": "school", "bridge": "city"}
H = (
    Record("bitten", "gyeong-su", 600, "a2-store", "store-room", by="na-yeon", seen_by=("player", "on-jo")),
    Record("bitten", "player", 700, "a2-stairs", "stairwell", concealed=True),
    Record("turned-zombie", "gyeong-su", 1500, "a3-bridge", "bridge", seen_by=("player",)),
    Record("missing", "mi-jin", 1600, "a3-bridge", "bridge", seen_by=("player",)),
    Record("left", "ji-min", 1700, "a3-bridge", "bridge"),
    Record("joined", "ji-min", 1800, "a3-bridge", "bridge"),
    Record("died", "i-sak", 3000),
)


def test_round_trip_is_compact_and_exact() -> None:
    data = to_list(H)
    assert data[6] == {"kind": "died", "member": "i-sak", "clock": 3000}
    assert data[1]["concealed"] is True and "seen_by" not in data[1]
    assert from_list(data) == H


def test_last_and_records() -> None:
    assert last(H, "turned", "gyeong-su") is H[2]
    assert last(H, "turned-hambie", "gyeong-su") is None
    assert last(H, "died", "gyeong-su") is None
    assert records(H, "bitten") == [H[0], H[1]]
    assert records(H, member="ji-min") == [H[4], H[5]]


def test_happened_at_locations_and_areas() -> None:
    assert happened_at(H, "bitten", "gyeong-su", "store-room", AREAS)
    assert happened_at(H, "bitten", "gyeong-su", "school", AREAS)
    assert not happened_at(H, "bitten", "gyeong-su", "city", AREAS)
    assert happened_at(H, "turned", "gyeong-su", "city", AREAS)
    assert not happened_at(H, "died", "i-sak", "school", AREAS)  # away: nobody knows where


def test_witnesses_biters_and_hidden_bites() -> None:
    assert saw(H, "on-jo", "bitten", "gyeong-su")
    assert not saw(H, "on-jo", "turned", "gyeong-su")
    assert not saw(H, "on-jo", "bitten", "player")
    assert bitten_by(H, "gyeong-su", "na-yeon") and not bitten_by(H, "player", "na-yeon")
    assert hid_bite(H, "player") and not hid_bite(H, "gyeong-su")


def test_days() -> None:
    assert day_of(H, "bitten", "gyeong-su") == 1
    assert day_of(H, "turned", "gyeong-su") == 2
    assert day_of(H, "died", "i-sak") == 3
    assert day_of(H, "died", "gyeong-su") == 0


def test_deciding_record_and_fate_sentences() -> None:
    assert deciding(H, "gyeong-su") is H[2]
    assert deciding(H, "ji-min") is None  # came back
    assert deciding(H, "on-jo") is None
    assert (
        fate_sentence(H[2], "Gyeong-su", "on the bridge", "his", False)
        == "Gyeong-su turned on the bridge on day 2."
    )
    assert fate_sentence(H[3], "Mi-jin", "on the bridge", "her", False) == (
        "Mi-jin was separated from you on the bridge on day 2 and you have not seen each other since."
    )
    assert fate_sentence(H[6], "I-sak", "", "his", False) == "I-sak died, away from you, on day 3."
    hambie = Record("turned-hambie", "nam-ra", 2000, "x", "stairwell")
    assert (
        fate_sentence(hambie, "Nam-ra", "on the stairs", "her", True)
        == "Nam-ra turned on the stairs on day 2, but kept her mind."
    )
    assert fate_sentence(None, "On-jo", "", "her", True) == "On-jo made it."
    assert fate_sentence(None, "On-jo", "", "her", False) == "On-jo was not with you at the end."


def test_route_memory_from_visits() -> None:
    scene_location = {"a1": "store-room", "ev": "here", "a3": "bridge"}
    assert places(scene_location, ["a1", "ev"]) == {"store-room"}
    assert places(scene_location, {"a1": 1, "a3": 2}) == {"store-room", "bridge"}


class _Member:
    def __init__(self, where: str = "party", fate: str = "human") -> None:
        self.with_party = where == "party"
        self.present = self.with_party and fate in ("human", "hambie")


class _Story:
    def location_of(self, scene: str, returns: object = ()) -> str:
        return {"a2": "store-room"}.get(scene, "")


class _Work:
    def __init__(self) -> None:
        self.story = _Story()
        self.scene = "a2"
        self.returns: list[str] = []
        self.clock = 615
        self.history: tuple[Record, ...] = ()
        self.members = {
            "player": _Member(),
            "ana": _Member(),
            "bo": _Member(),
            "cy": _Member(where="away"),
            "dee": _Member(fate="dead"),
        }


def test_note_records_where_and_who_saw() -> None:
    from game.engine.history import note

    w = _Work()
    note(w, "bitten", "ana", by="bo")
    note(w, "bitten", "bo", by="ana", concealed=True)
    note(w, "bitten", "player", concealed=True)
    note(w, "died", "cy")  # away from the party: nobody saw where
    note(w, "joined", "cy", here=True)
    a, b, p, c, j = w.history
    assert a == Record("bitten", "ana", 615, "a2", "store-room", "bo", False, ("player", "bo"))
    assert b.seen_by == ("ana",)  # only the biter knows
    assert p.seen_by == () and p.location == "store-room"
    assert (c.scene, c.location, c.seen_by) == ("", "", ())
    assert j.location == "store-room" and "cy" not in j.seen_by and "dee" not in j.seen_by


ARRIVAL = """\
- id: s
  location: room
  text: Start.
  choices:
    - {id: bite-bo, label: Bo is bitten, effects: [{bite: bo}], goto: s}
    - {id: wait, label: Wait an hour here, time: 60, goto: s}
    - {id: go, label: Walk to the street (an hour), time: 60, goto: t}
- id: t
  location: street
  text: The street.
  choices:
    - {id: on, label: On, goto: end}
"""


def test_a_turn_on_the_way_is_placed_where_the_choice_leads(tmp_path: Path) -> None:
    story = load(write_story(tmp_path, ARRIVAL)).story
    assert story is not None
    moved, _ = choose(story, choose(story, new_game(story, seed=1), "bite-bo")[0], "go")
    turned = last(moved.history, "turned", "bo")
    assert turned is not None and (turned.scene, turned.location) == ("t", "street")
    bitten = last(moved.history, "bitten", "bo")
    assert bitten is not None and bitten.location == "room"  # before the walk: where it was
    stayed, _ = choose(story, choose(story, new_game(story, seed=1), "bite-bo")[0], "wait")
    turned = last(stayed.history, "turned", "bo")
    assert turned is not None and (turned.scene, turned.location) == ("s", "room")


ENDINGS = """\
- id: s
  location: room
  text: Start.
  choices:
    - {id: fall, label: Hold the door alone, goto: door-end}
    - {id: walk, label: Walk out together, goto: end}
- id: door-end
  location: room
  text: You hold the door. The others run.
  on_enter: [{kill: player}, {leave: ana}, {leave: bo}]
  ending: {title: The door, kind: sacrifice}
"""


def test_an_ending_without_the_player_counts_who_went_on_and_hides_the_leaving(tmp_path: Path) -> None:
    story = load(write_story(tmp_path, ENDINGS)).story
    assert story is not None
    state, events = choose(story, new_game(story, seed=1), "fall")
    from game.engine.rules import survivors_line, with_you_at_end

    assert with_you_at_end(story, state) == ["ana", "bo"]
    assert survivors_line(story, state) == "Survivors: you did not make it; 2 friends went on without you."
    left = [e for e in events if e.kind == "left"]
    assert len(left) == 2 and not any(e.visible for e in left)
    lived, events = choose(story, new_game(story, seed=1), "walk")
    assert (
        survivors_line(story, lived) == "Survivors: you and 2 friends, 3 in all, fewer than the 6 of the story everyone knows."
    )
    # the same number is not the same people (a reader read "the same 3" as the canon's three)
    from dataclasses import replace

    assert survivors_line(replace(story, baseline_survivors=3), lived) == (
        "Survivors: you and 2 friends, 3 in all, as many as the 3 who made it in the story everyone knows."
    )


TAKEN = """\
- id: s
  location: room
  text: Start.
  choices:
    - {id: give-up, label: Walk down to the patrol, goto: taken}
- id: taken
  location: room
  text: They take you. The others go up the hill.
  on_enter: [{leave: ana}, {leave: bo}]
  ending: {title: Taken, kind: taken}
"""


def test_a_player_taken_alive_is_not_counted_as_a_party_of_one(tmp_path: Path) -> None:
    """A reader's hambie gave themself up and 12 friends went free: the line read "you
    alone, fewer than the 6 ...; 13 more alive elsewhere", as if the held player had
    survived alone and the friends were strangers to the ending."""
    from game.engine.rules import elsewhere, survivors_line

    story = load(write_story(tmp_path, TAKEN)).story
    assert story is not None
    state, _ = choose(story, new_game(story, seed=1), "give-up")
    assert elsewhere(story, state) == (0, 0)
    assert survivors_line(story, state) == "Survivors: you live, apart from them; 2 friends went on without you."


ELSEWHERE = """\
- id: s
  location: room
  text: Start.
  choices:
    - {id: split, label: Split up, effects: [{leave: ana}, {separate: bo}], goto: end}
    - {id: send, label: Send Ana on, effects: [{leave: ana}], goto: door-end}
    - {id: together, label: Stay together, goto: end}
    - {id: lost, label: Bo is lost and turns out of sight, effects: [{bite: bo}, {separate: bo}, {turn: bo}], goto: end}
- id: door-end
  location: room
  text: You hold the door.
  on_enter: [{kill: player}, {leave: bo}]
  ending: {title: The door, kind: sacrifice}
"""


def test_the_count_says_who_is_alive_elsewhere_and_who_is_missing(tmp_path: Path) -> None:
    from game.engine.rules import elsewhere, survivors_line

    story = load(write_story(tmp_path, ELSEWHERE)).story
    assert story is not None
    split, _ = choose(story, new_game(story, seed=1), "split")
    assert elsewhere(story, split) == (1, 1)
    assert survivors_line(story, split) == (
        "Survivors: you alone, fewer than the 6 of the story everyone knows;"
        " 1 more alive elsewhere and 1 missing."
    )
    # lost track of, and turned where nobody saw: still missing to the player, as the fate
    # line and the board of the missing say (reader BL)
    lost, _ = choose(story, new_game(story, seed=1), "lost")
    assert lost.members["bo"].fate == "zombie" and lost.members["bo"].where == "missing"
    assert elsewhere(story, lost) == (0, 1)
    together, _ = choose(story, new_game(story, seed=1), "together")
    assert elsewhere(story, together) == (0, 0)
    assert survivors_line(story, together).endswith("story everyone knows.")
    # the player gone: Bo went on from the ending itself; Ana left before it, and is elsewhere
    door, _ = choose(story, new_game(story, seed=1), "send")
    assert survivors_line(story, door) == (
        "Survivors: you did not make it; 1 friend went on without you; 1 more alive elsewhere."
    )


HEALING = """\
- id: s
  location: room
  text: Start.
  choices:
    - {id: hurt, label: Everyone is hurt, effects: [{injure: player}, {injure: ana}, {injure: bo}], goto: s}
    - {id: bo-goes, label: Bo goes, effects: [{leave: bo}], goto: s}
    - {id: rest, label: Rest, effects: [{heal: all}], goto: s}
    - {id: ana, label: Dress Ana, effects: [{heal: ana}], goto: s}
"""


def test_heal_all_dresses_everyone_with_the_party_and_only_them(tmp_path: Path) -> None:
    story = load(write_story(tmp_path, HEALING)).story
    assert story is not None
    state = new_game(story, seed=1)
    for cid in ("hurt", "bo-goes"):
        state, _ = choose(story, state, cid)
    state, events = choose(story, state, "rest")
    assert [mid for mid in ("player", "ana", "bo") if state.members[mid].injured] == ["bo"]
    assert sorted(e.who or "" for e in events if e.kind == "healed") == ["ana", "player"]
    one, _ = choose(story, choose(story, new_game(story, seed=1), "hurt")[0], "ana")
    assert [mid for mid in ("player", "ana", "bo") if one.members[mid].injured] == ["player", "bo"]


FINAL = """\
- id: s
  location: room
  text: Start.
  choices:
    - {id: turn-bo, label: Bo turns, effects: [{bite: bo}, {turn: bo}], goto: s}
    - {id: walk-away, label: Leave Bo tied to the pipe, effects: [{leave: bo}], goto: s}
"""


def test_a_later_leave_does_not_undo_a_turn_in_the_fate_line(tmp_path: Path) -> None:
    from game.engine.history import deciding

    story = load(write_story(tmp_path, FINAL)).story
    assert story is not None
    state, _ = choose(story, new_game(story, seed=1), "turn-bo")
    state, _ = choose(story, state, "walk-away")
    kinds = [r.kind for r in state.history if r.member == "bo"]
    assert kinds[-1] == "left" and "turned-zombie" in kinds  # the leave was recorded after the turn
    record = deciding(state.history, "bo")
    assert record is not None and record.kind == "turned-zombie"


PUT_DOWN = """\
- id: s
  location: room
  text: Start.
  choices:
    - {id: turn-bo, label: Bo turns, effects: [{bite: bo}, {turn: bo}], goto: s}
    - {id: out, label: Out to the street the next day, effects: [{advance: {days: 1, at: "09:00"}}], goto: yard}
    - {id: kill-ana, label: Ana falls, effects: [{kill: ana}], goto: s}
- id: yard
  location: street
  text: The street.
  choices:
    - {id: shoot, label: Put Bo down, effects: [{kill: bo}], goto: yard}
    - {id: shoot-ana, label: Shoot at what is left of Ana, effects: [{kill: ana}], goto: yard}
- id: after
  location: here
  text: Nobody says his name.
  choices: [{id: back, label: Go on, return: true}]
"""


def test_kill_on_a_zombie_puts_it_down_and_its_fate_line_says_both(tmp_path: Path) -> None:
    from game.engine.templates import fate_line

    root = write_story(tmp_path, PUT_DOWN, events="- {id: grief, on: put-down, scene: after, return: true}")
    story = load(root).story
    assert story is not None
    state = new_game(story, seed=1)
    for cid in ("turn-bo", "out"):
        state, _ = choose(story, state, cid)
    assert state.members["bo"].has_status("zombie")
    assert fate_line(story, state, "bo") == "Bo turned at Room on day 1."
    state, events = choose(story, state, "shoot")
    bo = state.members["bo"]
    assert bo.has_status("dead") and not bo.has_status("zombie") and not bo.alive
    assert [(e.kind, e.text) for e in events if e.who == "bo"] == [("put-down", "Bo is put down.")]
    assert state.scene == "after"  # `on: put-down` runs its event
    assert [r.kind for r in state.history if r.member == "bo"][-2:] == ["turned-zombie", "put-down"]
    assert deciding(state.history, "bo") == last(state.history, "put-down", "bo")
    assert fate_line(story, state, "bo") == (
        "Bo turned at Room on day 1 and was put down at Street on day 2."
    )
    # killing the dead again changes nothing: no second record, no second event
    again, events = choose(story, choose(story, state, "back")[0], "shoot")
    assert [r.kind for r in again.history if r.member == "bo"] == [
        r.kind for r in state.history if r.member == "bo"
    ]
    assert not [e for e in events if e.who == "bo"]


def test_a_living_member_killed_dies_and_is_not_put_down(tmp_path: Path) -> None:
    story = load(write_story(tmp_path, PUT_DOWN)).story
    assert story is not None
    state, events = choose(story, new_game(story, seed=1), "kill-ana")
    assert [e.kind for e in events if e.who == "ana"] == ["died"]
    assert last(state.history, "put-down", "ana") is None and last(state.history, "died", "ana") is not None


NO_LINE = """\
- id: s
  location: room
  text: Start.
  choices:
    - {id: go, label: Go, goto: end-here}
- id: end-here
  location: street
  text: Out.
  ending:
    title: Out
    kind: end
    fates:
      bo:
        - if: "is(bo, dead)"
          text: Bo fell on the stairs.
"""


def test_a_member_with_no_fitting_ending_line_gets_the_storys_line_not_a_blank(tmp_path: Path) -> None:
    # reader AK: ten friends who ran into the dark got "-" and nothing: the ending's
    # lines for them all asked for a status they did not have
    root = write_story(tmp_path, NO_LINE, extra='fates: {alive: "{name} is out there somewhere."}')
    story = load(root).story
    assert story is not None
    state, _ = choose(story, new_game(story, seed=1), "go")
    lines = {f.member: f.line for f in fates(story, state)}
    assert lines["bo"] == "Bo is out there somewhere."
