"""The party panel in an `apart` scene (tests/engine/test_apart.py has the rule)."""

from __future__ import annotations

from pathlib import Path

from game.engine import rules
from game.tui.widgets.party import render_party
from tests.engine.test_apart import HALL_PASS
from tests.storybuild import load, write_story


def test_the_party_panel_says_the_others_are_elsewhere(tmp_path: Path) -> None:
    result = load(write_story(tmp_path, HALL_PASS))
    assert result.story is not None
    story = result.story
    state = rules.new_game(story, seed=1)
    in_class = render_party(story, state, width=30).plain
    assert "Away" not in in_class and "Well: You, Ana, Bo" in in_class
    state, _ = rules.choose(story, state, "pass")
    lines = render_party(story, state, width=30).plain.splitlines()
    assert lines[0] == "Away from the others for now."
    state, _ = rules.choose(story, state, "find-cy")
    assert render_party(story, state, width=60).plain.splitlines()[0] == "Away from the others for now; with you: Cy."
    assert "Well: You, Ana, Bo" in lines  # their health is still known


def test_a_hyphenated_name_is_not_broken_across_lines() -> None:
    # seen in the terminal: "with you: Hyo-" / "ryeong." at the panel's width
    from game.engine.loader import load_or_raise
    from tests.conftest import REPO

    story = load_or_raise(REPO / "story")
    state = rules.new_game(story, seed=104)
    for cid in ("ask-hall-pass", "go-to-infirmary", "take-medkit-and-go"):
        state, _ = rules.choose(story, state, cid)
    assert rules.beside_you(story, state) == ["hyo-ryeong"]
    lines = render_party(story, state, width=23).plain.splitlines()  # the width that broke it
    assert any("Hyo-ryeong." in line for line in lines[:4]), lines[:4]
