"""Positioned errors for the engine-v2 syntax: text variation, pronoun forms, history
templates and queries, the time-of-day effect and the scene clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.storybuild import load, write_story


def diagnostics(tmp_path: Path, scene_yaml: str) -> list[str]:
    write_story(tmp_path, scene_yaml)
    return [str(d) for d in load(tmp_path).diagnostics if d.severity == "error"]


def scene(text: str, label: str = "Go", effects: str = "[]", fields: str = "") -> str:
    return f"""\
    - id: s
      location: room
      text: {text}
      {fields}
      choices:
        - id: go
          label: {label}
          effects: {effects}
          goto: end
    """


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ("Hello {theyre:ana} there", "scenes.yaml:4:16", "unknown form 'theyre'"),
        ("Hello {they} there", "scenes.yaml:4:16", "needs a member"),
        ("Hello {they:nobody} there", "scenes.yaml:4:21", "unknown cast member 'nobody'"),
        ("Hello {seq one} there", "scenes.yaml:4:15", "at least 2"),
        ("Hello {cycle a | b", "scenes.yaml:4:15", "never closed"),
        ("Hello {if flag(door) a | b}", "scenes.yaml:4:15", "needs `then`"),
        ("Hello {if flag(nope) then a | b}", "scenes.yaml:4:24", "unknown flag 'nope'"),
        ("Hello {if present(ana, bo) then a}", "scenes.yaml:4:19", "takes 1 argument"),
        ("Hello {died_at:nobody}", "scenes.yaml:4:24", "unknown cast member 'nobody'"),
        ("Hello {a | b}", "scenes.yaml:4:15", "need a word first"),
    ],
)
def test_text_errors_have_positions(tmp_path: Path, text: str, where: str, fragment: str) -> None:
    errors = diagnostics(tmp_path, scene(text))
    assert any(where in e and fragment in e for e in errors), errors


def test_errors_inside_a_block_scalar_point_at_the_line_and_column(tmp_path: Path) -> None:
    errors = diagnostics(tmp_path, scene("|\n        First line.\n        Second {they're:nobody} line."))
    assert any("scenes.yaml:6:21: error: unknown cast member 'nobody'" in e for e in errors), errors


def test_label_errors(tmp_path: Path) -> None:
    errors = diagnostics(tmp_path, scene("Hi", label="Go {seq x}"))
    assert any("scenes.yaml:8:17" in e and "at least 2" in e for e in errors), errors


@pytest.mark.parametrize(
    ("condition", "fragment"),
    [
        ("died_at(ana, nowhere)", "unknown location or area 'nowhere'"),
        ("saw(ana, eaten, bo)", "unknown happening 'eaten'"),
        ("day_of(bitten, nobody) > 0", "unknown cast member 'nobody'"),
        ("daypart(teatime)", "unknown daypart 'teatime'"),
        ("been(nowhere)", "unknown location or area 'nowhere'"),
    ],
)
def test_query_errors(tmp_path: Path, condition: str, fragment: str) -> None:
    errors = diagnostics(tmp_path, scene(f'"{{if {condition} then a}}"'))
    assert any(fragment in e for e in errors), errors


@pytest.mark.parametrize(
    ("effects", "fragment"),
    [
        ('[{advance: {days: 1, at: "25:00"}}]', "not a time of day"),
        ("[{advance: {weeks: 1}}]", "unknown field 'weeks'"),
        ("[{advance: {days: -1}}]", "at least 0"),
        ("[{bite: {who: ana, by: nobody}}]", "unknown cast member 'nobody'"),
        ("[{leave: {who: ana, why: army}}]", "unknown field 'why' in leave"),
        ('[{leave: {who: ana, how: "  "}}]', "leave: how is empty"),
        ("[{separate: {who: ana, how: 3}}]", "separate.how must be text"),
        ('[{leave: {how: "went home"}}]', "leave is missing the field 'who'"),
        ('[{leave: {who: nobody, how: "went home"}}]', "unknown cast member 'nobody'"),
    ],
)
def test_effect_errors(tmp_path: Path, effects: str, fragment: str) -> None:
    errors = diagnostics(tmp_path, scene("Hi", effects=effects))
    assert any(fragment in e for e in errors), errors


def test_scene_clock_mode_errors(tmp_path: Path) -> None:
    errors = diagnostics(tmp_path, scene("Hi", fields="clock: sometimes"))
    assert any("clock" in e and "sometimes" in e for e in errors), errors
    errors = diagnostics(tmp_path, scene("Hi", fields="clock: date"))
    assert any("clock.date" in e for e in errors), errors  # the manifest gives no date


def test_bad_pronouns_in_the_manifest(tmp_path: Path) -> None:
    write_story(tmp_path, scene("Hi"), extra="player: {default_name: X, pronouns: it/its}\n")
    errors = [str(d) for d in load(tmp_path).diagnostics if d.severity == "error"]
    assert any("story.yaml" in e and "pronouns" in e for e in errors), errors


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "{seq ",
                "{cycle ",
                "{once ",
                "{shuffle ",
                "{if ",
                " then ",
                "present(ana)",
                "flag(door)",
                "|",
                "}",
                "{",
                "{ana}",
                "{they:ana}",
                "{They're:bo}",
                "{died_at:bo}",
                "word",
                " ",
                "{{",
                "}}",
                "(",
                ")",
                "{x:y}",
            ]
        ),
        max_size=12,
    )
)
def test_any_text_gives_diagnostics_never_an_exception(tmp_path: Path, pieces: list[str]) -> None:
    text = "".join(pieces).replace('"', "")
    write_story(tmp_path, scene('"' + text + '"'))
    result = load(tmp_path)
    lines = (tmp_path / "scenes.yaml").read_text().count("\n") + 1
    for d in result.diagnostics:
        assert 1 <= d.line <= lines or "story.yaml" in d.path
    if result.ok:
        from game.engine.rules import new_game, scene_text

        assert result.story is not None
        scene_text(result.story, new_game(result.story, seed=3))
