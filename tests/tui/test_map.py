"""The map reads at any width: whole place names, never split mid-word, the place you are
in marked, neighbours joined."""

from __future__ import annotations

import pytest

from game.engine import rules
from game.engine.loader import load_or_raise
from game.paths import bundled_story_dir
from game.tui.widgets.map import render_map


@pytest.mark.parametrize("width", [30, 52, 80, 120])
def test_the_school_map_shows_whole_names_at_every_width(width: int) -> None:
    story = load_or_raise(bundled_story_dir())
    state = rules.new_game(story, seed=1)
    lines = render_map(story, state, width=width).plain.splitlines()
    text = " ".join(line.strip() for line in lines)
    school = [loc for loc in story.locations.values() if loc.area == "school" and loc.map is not None]
    for loc in school:
        # each name whole on one line (the grid wraps long names at spaces, the list never)
        assert any(loc.name in line or all(w in text for w in loc.name.split()) for line in lines), loc.name
    assert not any(line.rstrip().endswith("-") and not line.rstrip().endswith(" -") for line in lines)
    here = story.locations[rules.location(story, state)].name
    assert f"@{here}" in text


def test_narrow_map_joins_neighbours_and_lists_rows() -> None:
    story = load_or_raise(bundled_story_dir())
    state = rules.new_game(story, seed=1)
    text = render_map(story, state, width=52).plain
    assert "@Classroom 2-5 ─ " in text  # a way through to the corridor beside it
    assert "Broadcasting room" in text and "Principal's office" in text
