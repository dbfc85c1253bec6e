"""Behaviour the mutation run (docs/TESTING.md) showed no engine test pinned down: each
test here fails on at least one mutant that survived the rest of tests/engine and
tests/saves. They go through the engine's public functions only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.engine.diagnostics import Diagnostic
from game.engine.model import Story
from game.engine.rules import choose, new_game
from game.engine.saves import SaveError, list_saves, loads_run
from game.engine.state import GameState
from game.engine.yamlpos import pack, unpack
from tests.engine.test_effects import story_with
from tests.engine.test_infection import make
from tests.storybuild import load, write_story

PLAIN_SCENE = """\
- id: s
  location: room
  text: Hello.
  choices:
    - {id: go, label: Go, goto: end}
"""


def loaded(root: Path) -> Story:
    result = load(root)
    assert result.ok and result.story is not None, [str(d) for d in result.diagnostics]
    return result.story


@pytest.mark.parametrize(
    ("start", "clock"),
    [("1d08:00", 480), ("2d09:15", 1440 + 555), ('"09:15"', 555), ("10d00:05", 9 * 1440 + 5)],
)
def test_the_start_clock_reads_with_and_without_a_day(tmp_path: Path, start: str, clock: int) -> None:
    write_story(tmp_path, PLAIN_SCENE)
    manifest = tmp_path / "story.yaml"
    manifest.write_text(manifest.read_text().replace("start: 1d08:00", f"start: {start}"))
    result = load(tmp_path)
    assert result.story is not None, [str(d) for d in result.diagnostics]
    assert result.story.clock_start == clock


def test_a_state_written_without_the_optional_fields_reads_with_their_defaults(tmp_path: Path) -> None:
    write_story(tmp_path, PLAIN_SCENE)
    story = loaded(tmp_path)
    state, _ = choose(story, new_game(story, seed=4), "go")
    full = state.to_dict()
    required = (
        "version",
        "scene",
        "seed",
        "rng",
        "player_name",
        "clock",
        "members",
        "inventory",
        "flags",
        "counters",
        "noise",
        "visits",
    )
    bare = GameState.from_dict({k: full[k] for k in required})
    assert bare.turn == 0 and state.turn == 1
    assert (bare.taken, bare.fired, bare.armed, bare.pending, bare.returns) == (frozenset(),) * 3 + ((),) * 2
    assert bare.subject is None and bare.log == () and bare.history == ()
    assert bare.members == state.members and bare.clock == state.clock
    member = {"fate": "human", "where": "party"}
    alone = GameState.from_dict({**full, "members": {"player": member}}).members["player"]
    assert (alone.injured, alone.bitten, alone.turns_at, alone.concealed, alone.hunger, alone.met) == (
        False,
        False,
        None,
        False,
        0.0,
        False,
    )


def test_yaml_positions_pack_and_unpack_to_one_based_line_and_column() -> None:
    class Mark:
        def __init__(self, line: int, column: int) -> None:
            self.line, self.column = line, column

    assert unpack(pack(Mark(0, 0))) == (1, 1)
    assert unpack(pack(Mark(41, 7))) == (42, 8)
    assert unpack(pack(Mark(3, 5_000_000))) == (4, (1 << 20))  # a column past the mask is capped
    assert pack(Mark(1, 0)) > pack(Mark(0, 999))


def test_a_diagnostic_as_check_json_prints_it() -> None:
    d = Diagnostic("s.yaml", 3, 5, "error", "unknown item 'arow' (did you mean 'arrow'?)")
    assert d.to_dict() == {
        "path": "s.yaml",
        "line": 3,
        "col": 5,
        "end_line": 3,
        "end_col": 5,
        "severity": "error",
        "code": d.rule,
        "message": "unknown item 'arow' (did you mean 'arrow'?)",
        "summary": "unknown item 'arow'",
        "suggestion": "arrow",
    }
    ended = d.with_end(["", "", "    give: {arow: 1}"])
    assert (ended.end_line, ended.end_col) == (3, 16)  # just past the quoted name, not the key
    assert ended.to_dict()["end_col"] == 16
    assert ended.with_end(["whatever"]) is ended  # an end once found is kept
    assert d.with_end(None) is d and d.with_end(["one line"]) is d  # no such line


@pytest.mark.parametrize(
    ("line", "col", "end_col"),
    [
        ("key: value  # note", 6, 11),
        ("key: [a, {b: c}, d] tail", 6, 25),  # a flow collection up to the end of the line
        ("- {a: [x, y]}, next", 3, 14),  # ends at the comma that closes the flow item
        ("  name: 'quoted text' after", 9, 22),
        ("  name: 'never closed", 9, 22),
        ("a:b: c", 1, 4),  # a colon not followed by a space is part of the scalar
        ("x]", 1, 2),  # an unmatched closing bracket ends the token
        ("", 1, 1),
    ],
)
def test_a_diagnostic_ends_where_its_yaml_token_ends(line: str, col: int, end_col: int) -> None:
    d = Diagnostic("s.yaml", 1, col, "error", "bad value").with_end([line])
    assert (d.end_line, d.end_col) == (1, end_col)


def test_turning_tells_the_player_who_turned(tmp_path: Path) -> None:
    def turned(story_dir: Path, hambie: float, *ids: str) -> list[tuple[str, str | None, str, bool]]:
        story = make(story_dir, hambie=hambie)
        state, seen = new_game(story, seed=1), []
        for cid in ids:
            state, events = choose(story, state, cid)
            seen += [(e.kind, e.who, e.text, e.visible) for e in events if e.kind.startswith("turned")]
        return seen

    assert turned(tmp_path / "a", 0.0, "bite-bo", "wait", "wait", "wait") == [
        ("turned-zombie", "bo", "Bo has turned.", True)
    ]
    assert turned(tmp_path / "b", 0.0, "bite-me", "wait", "wait", "wait") == [
        ("turned-zombie", "player", "You turn.", True)
    ]
    assert turned(tmp_path / "c", 1.0, "hambie-bo") == [
        ("turned-hambie", "bo", "Bo has turned, but is still Bo: a hambie.", True)
    ]


def test_each_member_effect_says_what_happened_and_to_whom(tmp_path: Path) -> None:
    def said(story_dir: Path, effects: str) -> list[tuple[str, str | None, str]]:
        story = story_with(story_dir, effects)
        _, events = choose(story, new_game(story, seed=1), "go")
        return [(e.kind, e.who, e.text) for e in events]

    assert said(tmp_path / "a", "[{join: cy}, {leave: ana}, {separate: bo}]") == [
        ("joined", "cy", "Cy is with you."),
        ("left", "ana", "Ana leaves the group."),
        ("separated", "bo", "You lose track of Bo."),
    ]
    assert said(tmp_path / "b", "[{injure: ana}, {heal: ana}, {kill: bo}]") == [
        ("injured", "ana", "Ana is hurt."),
        ("healed", "ana", "Ana's wound is dressed."),
        ("died", "bo", "Bo is dead."),
    ]
    assert said(tmp_path / "c", "[{injure: player}, {heal: player}, {kill: player}]") == [
        ("injured", "player", "You are hurt."),
        ("healed", "player", "Your wound is dressed."),
        ("died", "player", "You die."),
    ]


def test_a_damaged_save_is_listed_without_claims_about_its_run(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{")
    [info] = list_saves(tmp_path)
    assert (info.slot, info.status) == ("broken", "damaged") and info.error
    assert (info.player, info.scene, info.day, info.time, info.alive, info.total, info.outcome) == (
        "",
        "",
        0,
        "",
        0,
        0,
        None,
    )


@pytest.mark.parametrize("raw", [b"[]", b"3", b'"a save"', b"null"])
def test_json_that_is_not_an_object_is_a_damaged_save(raw: bytes) -> None:
    with pytest.raises(SaveError) as caught:
        loads_run(raw, "slot.json")
    assert str(caught.value).startswith("slot.json: damaged: ")


@pytest.mark.parametrize("field", ["scene", "choice", "label"])
def test_a_save_step_without_a_field_is_damaged(field: str) -> None:
    from game.engine.loader import load_or_raise
    from game.engine.saves import dumps_run
    from tests.saves.helpers import MINI, play

    run, _ = play(load_or_raise(MINI), 5, ["shut", "bite-bo"])
    doc = json.loads(dumps_run(run))
    assert loads_run(json.dumps(doc), "slot.json").steps == run.steps
    del doc["steps"][1][field]
    with pytest.raises(SaveError) as caught:
        loads_run(json.dumps(doc), "slot.json")
    assert str(caught.value) == f"slot.json: step 2: damaged: no {field!r} field"
    doc["steps"][1][field] = 7
    with pytest.raises(SaveError) as caught:
        loads_run(json.dumps(doc), "slot.json")
    assert str(caught.value) == f"slot.json: step 2: damaged: {field!r} is 7"


def test_an_error_in_a_block_of_short_lines_points_at_its_own_line(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: |
            Hello {seq one}
            a
            b
            c
          choices:
            - {id: go, label: Go, goto: end}
        """,
    )
    errors = [d for d in load(tmp_path).diagnostics if d.severity == "error"]
    assert [(d.line, d.col) for d in errors] == [(5, 11)], [str(d) for d in errors]


def test_a_return_with_nowhere_to_return_to_stays_in_the_scene(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Here.
          on_enter: [{add: {trust: 1}}]
          choices:
            - {id: back, label: Back, return: true}
            - {id: go, label: Go, goto: end}
        """,
    )
    story = loaded(tmp_path)
    start = new_game(story, seed=2)
    after, _ = choose(story, start, "back")
    assert after.scene == "s" and after.returns == () and after.turn == 1
    assert after.counters["trust"] == start.counters["trust"] == 4  # resumed, not entered again


def test_a_bad_member_in_an_effect_is_reported_where_it_stands(tmp_path: Path) -> None:
    from tests.engine.test_v2_errors import diagnostics, scene

    errors = diagnostics(tmp_path, scene("Hi", effects="[{injure: nobody}, {kill: 3}]"))
    assert [e.split("scenes.yaml:", 1)[1] for e in errors] == [
        "9:26: error: unknown cast member 'nobody'",
        "9:42: error: kill: expects a member id, got a number",
    ]
    errors = diagnostics(tmp_path, scene("Hi", effects="[join, {join: ana, leave: bo}, 3]"))
    assert [e.split("scenes.yaml:", 1)[1].split(": error: ")[0] for e in errors] == ["9:17", "9:23", "9:47"]
    assert "one-key mapping" in errors[0] and "has 2: join, leave" in errors[1] and "a number" in errors[2]
    errors = diagnostics(tmp_path, scene("Hi", effects='[{if: "flag(door)", then: 3, else: 4}]'))
    assert [e.split("scenes.yaml:", 1)[1] for e in errors] == [
        "9:42: error: then must be a list of effects, got a number",
        "9:51: error: else must be a list of effects, got a number",
    ]


@pytest.mark.parametrize(
    ("condition", "shown"),
    [
        ("false or true", True),
        ("false or false", False),
        ("false or false or true", True),
        ("false or (false or false)", False),
        ("true and true and true", True),
        ("true and false", False),
        ("false and true", False),
        ("true and true and false", False),
        ("not false and not false", True),
        ("false or true and true", True),
    ],
)
def test_and_or_over_every_operand(tmp_path: Path, condition: str, shown: bool) -> None:
    from game.engine.rules import choices

    write_story(
        tmp_path,
        f"""\
        - id: s
          location: room
          text: Hello.
          choices:
            - {{id: maybe, label: Maybe, if: "{condition}", goto: end}}
            - {{id: go, label: Go, goto: end}}
        """,
    )
    story = loaded(tmp_path)
    assert ("maybe" in [v.id for v in choices(story, new_game(story))]) is shown


def test_every_loop_with_no_way_to_an_ending_is_warned_about_once(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Hello.
          choices:
            - {id: in, label: In, goto: d}
            - {id: loop, label: Loop, goto: e}
            - {id: out, label: Out, goto: end}
        - id: d
          location: room
          text: D.
          choices: [{id: on, label: On, goto: a}]
        - id: a
          location: room
          text: A.
          choices: [{id: on, label: On, goto: b}]
        - id: b
          location: room
          text: B.
          choices: [{id: on, label: On, goto: c}]
        - id: c
          location: room
          text: C.
          choices: [{id: on, label: On, goto: a}, {id: back, label: Back, goto: b}, {id: stay, label: Stay, goto: c}]
        - id: e
          location: room
          text: E.
          choices: [{id: again, label: Again, goto: e}]
        """,
    )
    warnings = [d.message for d in load(tmp_path).diagnostics if "no path to any ending" in d.message]
    assert [w.split(" has no path")[0] for w in warnings] == [
        "scene 'd'",
        "cycle of scenes 'a' -> 'b' -> 'c' -> 'a'",
        "cycle of scenes 'e' -> 'e'",
    ]


def test_scene_edges_name_each_way_out_and_its_kind(tmp_path: Path) -> None:
    from game.engine.check import scene_edges

    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Hello.
          choices:
            - {id: plain, label: Plain, goto: end}
            - {id: shown, label: Shown, if: flag(door), goto: end}
            - id: locked
              label: Locked
              requires: {if: "item(arrows) > 3", reason: Not enough arrows.}
              goto: s
            - id: luck
              label: Luck
              roll:
                - {chance: 50, goto: s}
                - {chance: 50, goto: end}
            - {id: back, label: Back, return: true}
        """,
    )
    story = loaded(tmp_path)
    assert scene_edges(story.scenes["s"]) == [
        ("plain", "end", "plain"),
        ("shown", "end", "conditional"),
        ("locked", "s", "conditional"),
        ("luck", "s", "roll"),
        ("luck", "end", "roll"),
    ]


@pytest.mark.parametrize(
    ("ending", "message"),
    [
        ("{title: Over, kind: end, mood: sad}", "9:36: error: unknown field 'mood' in the ending of 'fin'"),
        ("{title: Over}", "9:11: error: the ending of 'fin' is missing the field 'kind'"),
        ("over", "9:11: error: the ending of 'fin' must be a mapping, got text"),
    ],
)
def test_a_bad_ending_names_its_scene(tmp_path: Path, ending: str, message: str) -> None:
    write_story(
        tmp_path,
        f"""\
        - id: s
          location: room
          text: Hello.
          choices: [{{id: go, label: Go, goto: fin}}]
        - id: fin
          location: room
          text: Over.
          ending: {ending}
        """,
    )
    errors = [str(d).split("scenes.yaml:", 1)[1] for d in load(tmp_path).diagnostics if d.severity == "error"]
    assert message in errors, errors


def test_an_unknown_name_in_a_requirement_is_reported_at_the_name(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Hello.
          choices:
            - id: go
              label: Go
              requires: {if: "item(arows) > 1", reason: No.}
              goto: end
        """,
    )
    errors = [str(d).split("scenes.yaml:", 1)[1] for d in load(tmp_path).diagnostics if d.severity == "error"]
    assert errors == ["8:27: error: unknown item 'arows' (did you mean 'arrows'?)"]


def test_effects_that_are_not_a_list_are_reported_at_their_value(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Hello.
          on_enter: {join: cy}
          choices:
            - {id: go, label: Go, effects: 3, goto: end}
        """,
    )
    errors = [str(d).split("scenes.yaml:", 1)[1] for d in load(tmp_path).diagnostics if d.severity == "error"]
    assert errors == [
        "5:13: error: on_enter must be a list of effects, got a mapping",
        "7:36: error: effects must be a list of effects, got a number",
    ]


@pytest.mark.parametrize(
    ("drop", "effects", "message"),
    [
        ("you-turn", "[{bite: player}]", "the player can be bitten, but no event handles the player turning"),
        ("you-die", "[{kill: player}]", "the player can be killed, but no event handles the player dying"),
    ],
)
def test_a_player_fate_no_event_handles_is_an_error(
    tmp_path: Path, drop: str, effects: str, message: str
) -> None:
    write_story(
        tmp_path,
        f"""\
        - id: s
          location: room
          text: Hello.
          choices:
            - {{id: go, label: Go, effects: {effects}, goto: end}}
        """,
    )
    manifest = tmp_path / "story.yaml"
    manifest.write_text(
        "\n".join(line for line in manifest.read_text().splitlines() if drop not in line) + "\n"
    )
    errors = [str(d).split("story.yaml:", 1)[1] for d in load(tmp_path).diagnostics if d.severity == "error"]
    assert [e.split(" (on: ")[0] for e in errors] == [f"1:1: error: {message}"]


def test_a_scene_file_with_unknown_or_missing_top_level_fields(tmp_path: Path) -> None:
    write_story(tmp_path, PLAIN_SCENE)
    (tmp_path / "scenes.yaml").write_text((tmp_path / "scenes.yaml").read_text() + "scens: []\n")
    (tmp_path / "more.yaml").write_text("events: []\n")
    errors = sorted(str(d).rsplit("/", 1)[1] for d in load(tmp_path).diagnostics if d.severity == "error")
    assert errors == [
        "more.yaml:1:1: error: a scene file is missing the field 'scenes'",
        "scenes.yaml:12:1: error: unknown field 'scens' in a scene file (did you mean 'scenes'?)",
    ]


def test_a_folder_symlink_out_of_the_story_is_refused_and_not_read(tmp_path: Path) -> None:
    import os

    story = tmp_path / "story"
    write_story(story, PLAIN_SCENE)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "more.yaml").write_text("scenes: [{id: s, location: room, text: Twice.}]\n")
    os.symlink(outside, story / "linked")
    errors = [str(d).split(str(story) + "/", 1)[1] for d in load(story).diagnostics if d.severity == "error"]
    assert errors == [f"linked:1:1: error: symlink leads out of the story folder (to {outside.resolve()})"]


def test_a_bad_start_and_a_bad_modifier_are_named_and_positioned(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Hello.
          choices:
            - id: go
              label: Go
              roll:
                - {chance: 50, modifiers: [{if: "item(arows) > 1", add: 10}], goto: s}
                - {chance: 50, goto: end}
        """,
        start="Bad Start",
    )
    errors = sorted(str(d).rsplit("/", 1)[1] for d in load(tmp_path).diagnostics if d.severity == "error")
    assert errors == [
        "scenes.yaml:9:46: error: unknown item 'arows' (did you mean 'arrows'?)",
        "story.yaml:1:1: error: the manifest has no start scene",
        "story.yaml:3:8: error: manifest.start 'Bad Start' is not an id (lower-case words joined by '-')",
    ]


@pytest.mark.parametrize(
    ("noise", "errors", "limits"),
    [
        ("noise: {max: 5, decay_minutes: 10}", [], (5, 10)),
        ("noise: {max: 5, loud: 1}", ["story.yaml:28:17: error: unknown field 'loud' in noise"], (5, 30)),
        ("noise: 3", ["story.yaml:28:8: error: noise must be a mapping, got a number"], (10, 30)),
    ],
)
def test_the_manifest_noise_settings(
    tmp_path: Path, noise: str, errors: list[str], limits: tuple[int, int]
) -> None:
    write_story(tmp_path, PLAIN_SCENE, extra=noise + "\n")
    result = load(tmp_path)
    assert [str(d).rsplit("/", 1)[1] for d in result.diagnostics if d.severity == "error"] == errors
    assert result.story is not None
    assert (result.story.noise_max, result.story.noise_decay) == limits
    assert {mid: m.id for mid, m in result.story.cast.items()} == {"ana": "ana", "bo": "bo", "cy": "cy"}


def test_a_location_whose_key_is_not_an_id_is_refused(tmp_path: Path) -> None:
    write_story(tmp_path, PLAIN_SCENE)
    manifest = tmp_path / "story.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "  street: {name: Street", "  Big Room: {name: Big}\n  street: {name: Street"
        )
    )
    errors = [str(d).rsplit("/", 1)[1] for d in load(tmp_path).diagnostics if d.severity == "error"]
    assert errors == ["story.yaml:19:3: error: location id 'Big Room' is not an id"]


def test_bad_hunger_settings_are_each_named(tmp_path: Path) -> None:
    write_story(tmp_path, PLAIN_SCENE)
    manifest = tmp_path / "story.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "per_hour: 60, rising: 50, crisis: 100, after_feed: 10",
            "per_hour: lots, rising: many, crisis: -1, after_feed: x",
        )
    )
    errors = [str(d).rsplit("/", 1)[1] for d in load(tmp_path).diagnostics if d.severity == "error"]
    assert errors == [
        "story.yaml:8:22: error: hunger.per_hour must be a number, got text",
        "story.yaml:8:36: error: hunger.rising must be a whole number, got text",
        "story.yaml:8:50: error: hunger.crisis must be at least 1",
        "story.yaml:8:66: error: hunger.after_feed must be a whole number, got text",
    ]


def test_an_unreadable_file_and_a_stray_brace_are_positioned(tmp_path: Path) -> None:
    import os

    write_story(
        tmp_path,
        "- id: s\n  location: room\n  text: Hi } there.\n  choices: [{id: go, label: Go, goto: end}]\n",
    )
    os.symlink(tmp_path / "gone.yaml", tmp_path / "dangling.yaml")
    errors = [str(d).rsplit("/", 1)[1] for d in load(tmp_path).diagnostics if d.severity == "error"]
    assert errors == [
        "dangling.yaml:1:1: error: cannot read: No such file or directory",
        "scenes.yaml:4:12: error: unmatched '}' in text (write }} for a brace)",
    ]
