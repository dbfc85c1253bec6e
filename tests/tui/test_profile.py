"""Reasons to play again: the profile kept across runs (atomic, damaged files set aside),
the Endings screen (found ones, missing ones as hints, not titles) and the ending
screen's comparison with the player's best and the canon's six."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static

from game.engine import rules
from game.engine.model import Story
from game.profile import endings_catalogue, load_profile, profile_path, save_profile
from game.tui.app import HyosanApp
from game.tui.screens.ending import EndingScreen
from game.tui.screens.endings import EndingsScreen
from game.tui.screens.replay import ReplayScreen
from game.tui.screens.title import TitleScreen

Factory = Callable[..., HyosanApp]
TO_THE_LAB_GATE = ["3", "2", "1"]  # an ending, seed 7


def ended(story: Story, keys: list[str], seed: int = 7) -> rules.GameState:  # type: ignore[name-defined]
    state = rules.new_game(story, seed=seed)
    for key in keys:
        state, _ = rules.choose(story, state, rules.choices(story, state)[int(key) - 1].id)
    assert rules.is_ended(story, state)
    return state


def test_a_run_counts_once_and_the_file_is_atomic(ward: Story, tmp_path: Path) -> None:
    path = profile_path(tmp_path)
    profile = load_profile(path)
    state = ended(ward, TO_THE_LAB_GATE)
    first = profile.record(ward, state, "run-1")
    assert first.best_before == -1 and first.new_ending and first.runs == 1
    again = profile.record(ward, state, "run-1")  # an undo and the same ending again
    assert again.runs == 1
    save_profile(path, profile)
    assert [p.name for p in tmp_path.iterdir()] == ["profile.json"]  # no temp file left
    loaded = load_profile(path)
    rec = loaded.of(ward)
    end = rules.ending(ward, state)
    assert end is not None and rec.endings == {end.title: 1} and rec.runs == 1
    assert rec.best == len(rules.survivors(ward, state))
    assert rec.fates  # each member's fate seen
    second = loaded.record(ward, state, "run-2")
    assert second.best_before == rec.best and not second.new_ending and second.runs == 2


def test_a_damaged_profile_is_set_aside(ward: Story, tmp_path: Path) -> None:
    path = profile_path(tmp_path)
    path.write_text('{"format": 1, "stories": [')
    assert load_profile(path).stories == {}
    assert (tmp_path / "profile.json.damaged").read_text().startswith('{"format"')


async def test_the_ending_compares_and_the_endings_screen_hints(
    make_app: Factory, ward: Story, tmp_path: Path
) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*TO_THE_LAB_GATE)
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        text = str(app.screen.query_one("#ending-text", Static).render())
        assert "Your first ending." in text and "Runs finished: 1" in text
        assert "the story everyone knows" in text
        await pilot.press("r")  # replay this run
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
    profile = load_profile(profile_path(tmp_path / "saves"))
    assert profile.of(ward).runs == 1
    title_app = make_app()
    async with title_app.run_test(size=(100, 30)) as pilot:
        assert isinstance(title_app.screen, TitleScreen)
        await pilot.press("e")
        assert isinstance(title_app.screen, EndingsScreen)
        shown = str(title_app.screen.query_one("#endings-text", Static).render())
        catalogue = endings_catalogue(ward)
        found = rules.ending(ward, ended(ward, TO_THE_LAB_GATE))
        assert found is not None and f"Endings found: 1 of {len(catalogue)}" in shown
        assert found.title in shown
        for title, kind, _ in catalogue:
            if title != found.title:
                assert title not in shown  # a hint, not a spoiler
                assert f"a '{kind}' ending" in shown
        await pilot.press("escape")
        assert isinstance(title_app.screen, TitleScreen)
