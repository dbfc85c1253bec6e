"""Never lose a run in the TUI: each flow that could replace a run (New game, Continue,
Load, a save to a taken slot, a story edited under a saved run, taking over a replay, the
oldest autosave rolling off) leaves the old run on disk, or asks first."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from game.engine.loader import load_or_raise
from game.engine.model import Story
from game.engine.saves import Run, load_run, save_run, slot_path
from game.engine.saves.autosaves import KEEP_AUTOSAVES, autosave_paths
from game.tui.app import HyosanApp
from game.tui.screens.modals import ConfirmScreen, NameScreen, SaveScreen
from game.tui.screens.play import PlayScreen
from game.tui.widgets.scene import SceneView

from .conftest import HAMBIE_AND_BITTEN, WARD
from .test_replay_watch import played_run

Factory = Callable[..., HyosanApp]


async def play_keys(app: HyosanApp, keys: list[str]) -> str:
    """Play a new run in `app`; returns its autosave slot (written to disk)."""
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*keys)
        assert app.session is not None
        app.session.flush()
        return app.session.autosave_slot


async def test_new_game_keeps_the_last_run(make_app: Factory, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    first = await play_keys(make_app(new=True), HAMBIE_AND_BITTEN)
    before = slot_path(saves, first).read_bytes()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "enter", "3")
        assert app.session is not None and app.session.autosave_slot != first
        app.session.flush()
    assert slot_path(saves, first).read_bytes() == before
    assert len(autosave_paths(saves)) == 2


async def test_continue_goes_on_in_its_own_slot_and_new_game_keeps_it(make_app: Factory, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    first = await play_keys(make_app(new=True), ["3"])
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "1")
        assert app.session is not None and app.session.autosave_slot == first
        app.session.flush()
        assert len(load_run(slot_path(saves, first)).steps) == 2
        await pilot.press("ctrl+p")
        await pilot.press("escape")
    again = make_app(new=True)
    await play_keys(again, ["2"])
    assert len(load_run(slot_path(saves, first)).steps) == 2  # still there, whole


async def test_loading_a_named_save_never_writes_over_it(make_app: Factory, ward: Story, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    save_run(saves, "before-lab", played_run(ward, ["3"]))
    before = slot_path(saves, "before-lab").read_bytes()
    app = make_app(saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "enter")
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("1", "1")
        assert app.session is not None and app.session.autosave_slot.startswith("autosave-")
        app.session.flush()
        assert len(load_run(slot_path(saves, app.session.autosave_slot)).steps) == 3
    assert slot_path(saves, "before-lab").read_bytes() == before


async def test_an_edited_story_never_cuts_the_saved_run(make_app: Factory, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    folder = tmp_path / "ward"
    shutil.copytree(WARD, folder)
    long = await play_keys(make_app(new=True, saves_dir=saves), HAMBIE_AND_BITTEN)
    before = slot_path(saves, long).read_bytes()
    scenes = folder / "scenes" / "school.yaml"
    text = scenes.read_text()
    assert "      - id: wait\n" in text  # the run took it at step 2
    scenes.write_text(text.replace("      - id: wait\n", "      - id: linger\n", 1))
    app = make_app(story=load_or_raise(folder), saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, PlayScreen)
        shown = app.screen.query_one("#scene", SceneView).text.plain
        assert "The story changed" in shown and f"stays whole in {long}" in shown  # in the UI
        await pilot.press("1", "1")
        assert app.session is not None and app.session.autosave_slot != long
        app.session.flush()
    assert slot_path(saves, long).read_bytes() == before  # 5 steps, never cut to 1 + 2


async def test_saving_over_another_run_asks_first(make_app: Factory, ward: Story, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    save_run(saves, "keep", played_run(ward, ["3", "2"]))
    before = slot_path(saves, "keep").read_bytes()
    app = make_app(new=True, saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1", "s")
        assert isinstance(app.screen, SaveScreen)
        app.screen.query_one("#slot").value = "keep"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # the focused answer is "keep it"
        await pilot.pause()
        assert slot_path(saves, "keep").read_bytes() == before
        await pilot.press("s")
        app.screen.query_one("#slot").value = "keep"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert [s.choice for s in load_run(slot_path(saves, "keep")).steps] == ["barricade"]
        # the replaced run is still in the backup
        assert len(load_run(saves / "keep.json.bak").steps) == 2
        # saving this same run again does not ask
        await pilot.press("1", "s")
        app.screen.query_one("#slot").value = "keep"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_taking_over_a_replay_leaves_the_save(make_app: Factory, ward: Story, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    save_run(saves, "watched", played_run(ward, HAMBIE_AND_BITTEN))
    before = slot_path(saves, "watched").read_bytes()
    app = make_app(saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r", "enter")
        await pilot.press("space", "right", "t", "1")
        assert isinstance(app.screen, PlayScreen)
        assert app.session is not None
        app.session.flush()
    assert slot_path(saves, "watched").read_bytes() == before


async def test_the_oldest_autosave_rolls_off_only_when_asked(make_app: Factory, ward: Story, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    run: Run = played_run(ward, ["3"])
    for n in range(KEEP_AUTOSAVES):
        path = save_run(saves, f"autosave-old-{n:02d}", run)
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    app = make_app(saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: nothing is removed, no game starts
        assert app.session is None and len(autosave_paths(saves)) == KEEP_AUTOSAVES
        await pilot.press("n", "y")
        assert isinstance(app.screen, NameScreen)
        await pilot.press("enter")
        assert app.session is not None
        app.session.flush()
    names = {p.name for p in autosave_paths(saves)}
    assert len(names) == KEEP_AUTOSAVES and "autosave-old-00.json" not in names
    assert "autosave-old-01.json" in names
