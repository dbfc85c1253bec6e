"""SVG snapshots (pytest-textual-snapshot) of the play screen with a bitten and a hambie
member, the map, the load list with a damaged save, and the ending screen, at 80x24 and
120x40. Accept changes with `--snapshot-update` only after looking at the SVGs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from game.engine import rules
from game.engine.model import Story
from game.engine.saves import Run, save_run
from game.tui.app import HyosanApp

from .conftest import HAMBIE_AND_BITTEN

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Factory = Callable[..., HyosanApp]


def keys_then_quiet(*keys: str) -> Callable[[Pilot[Any]], Any]:
    """Press the keys, then clear the toasts so the picture does not depend on timing."""

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
def test_play_with_a_bitten_and_a_hambie_member(snap_compare: Any, make_app: Factory, size: Any) -> None:
    app = make_app(new=True, saves_dir=None)
    assert snap_compare(app, terminal_size=size, run_before=keys_then_quiet(*HAMBIE_AND_BITTEN))


@pytest.mark.parametrize("size", SIZES)
def test_map(snap_compare: Any, make_app: Factory, size: Any) -> None:
    app = make_app(new=True, saves_dir=None)
    assert snap_compare(app, terminal_size=size, run_before=keys_then_quiet("3", "2", "m"))


@pytest.mark.parametrize("size", SIZES)
def test_load_list_with_a_damaged_save(
    snap_compare: Any, make_app: Factory, ward: Story, tmp_path: Path, size: Any
) -> None:
    saves = tmp_path / "fixed-saves"
    state = rules.new_game(ward, seed=7, player_name="[bold]Ha-neul[/]")
    run = Run.start(ward, state)
    for choice in ["nam-ra-bitten", "lab"]:
        scene = state.scene
        view = next(v for v in rules.choices(ward, state) if v.id == choice)
        state, _ = rules.choose(ward, state, choice)
        run = run.record(ward, scene, choice, view.label, state)
    stamp = "2026-03-01T09:30:00Z"
    save_run(saves, "before-the-lab", replace(run, created=stamp, updated=stamp))
    (saves / "torn.json").write_text('{"format": 1, "story_title": "Ward", "steps": [', encoding="utf-8")
    app = make_app(saves_dir=saves)
    assert snap_compare(app, terminal_size=size, press=["l"])


@pytest.mark.parametrize("size", SIZES)
def test_ending(snap_compare: Any, make_app: Factory, size: Any) -> None:
    app = make_app(new=True, saves_dir=None)
    assert snap_compare(app, terminal_size=size, run_before=keys_then_quiet("3", "2", "1"))


@pytest.mark.parametrize("size", SIZES)
def test_endings_screen(snap_compare: Any, make_app: Factory, ward: Story, tmp_path: Path, size: Any) -> None:
    from game.profile import Profile, profile_path, save_profile

    state = rules.new_game(ward, seed=7)
    for key in ["3", "2", "1"]:
        state, _ = rules.choose(ward, state, rules.choices(ward, state)[int(key) - 1].id)
    profile = Profile()
    profile.record(ward, state, "one")
    saves = tmp_path / "profiled"
    save_profile(profile_path(saves), profile)
    app = make_app(saves_dir=saves)
    assert snap_compare(app, terminal_size=size, press=["e"])


@pytest.mark.parametrize("size", SIZES)
def test_a_save_over_another_run_asks(
    snap_compare: Any, make_app: Factory, ward: Story, tmp_path: Path, size: Any
) -> None:
    saves = tmp_path / "asking"
    state = rules.new_game(ward, seed=7)
    run = Run.start(ward, state)
    stamp = "2026-03-01T09:30:00Z"
    save_run(saves, "keep", replace(run, created=stamp, updated=stamp))

    async def ask(pilot: Pilot[Any]) -> None:
        await pilot.press("1", "s")
        pilot.app.screen.query_one("#slot").value = "keep"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    app = make_app(new=True, saves_dir=saves)
    assert snap_compare(app, terminal_size=size, run_before=ask)
