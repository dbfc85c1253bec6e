"""Replay mode (issue 4) and live reload with `--watch` (issue 5)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from game.engine import rules
from game.engine.loader import load_or_raise
from game.engine.model import Story
from game.engine.saves import Run, load_run, slot_path
from game.tui.app import HyosanApp
from game.tui.screens.play import PlayScreen
from game.tui.screens.replay import DEFAULT_SPEED, SPEEDS, ReplayScreen
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.scene import SceneView

from .conftest import HAMBIE_AND_BITTEN, WARD

Factory = Callable[..., HyosanApp]


def played_run(story: Story, keys: list[str], seed: int = 7) -> Run:
    state = rules.new_game(story, seed=seed)
    run = Run.start(story, state)
    for key in keys:
        view = rules.choices(story, state)[int(key) - 1]
        scene = state.scene
        state, _ = rules.choose(story, state, view.id)
        run = run.record(story, scene, view.id, view.label, state)
    return run


async def test_replay_steps_pauses_and_changes_speed(make_app: Factory, ward: Story) -> None:
    run = played_run(ward, HAMBIE_AND_BITTEN)
    app = make_app(replay=run)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await pilot.press("space")
        assert screen.paused
        # on a loaded machine the autoplay may take a step before the pause lands
        for _ in range(5):
            if screen.index:
                await pilot.press("left")
        assert screen.index == 0
        # the choice taken at this step is the highlighted one
        choices = screen.query_one(ChoiceList)
        assert choices.highlighted is not None
        assert choices.get_option_at_index(choices.highlighted).id == "nam-ra-bitten"
        await pilot.press("right", "right")
        assert screen.index == 2
        assert screen.result.states[2].scene == "ev-hambie"
        await pilot.press("left")
        assert screen.index == 1
        await pilot.press("left", "left")
        assert screen.index == 0
        await pilot.press("plus")
        assert screen.speed == DEFAULT_SPEED + 1
        await pilot.press("minus", "minus")
        assert screen.speed == DEFAULT_SPEED - 1
        assert "step 0/5" in str(screen.status_line())


async def test_replay_plays_itself(make_app: Factory, ward: Story) -> None:
    run = played_run(ward, ["3", "2"])
    app = make_app(replay=run)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        for _ in range(len(SPEEDS)):
            await pilot.press("plus")
        # it plays on by itself: wait for it (a bounded poll, not a fixed time)
        for _ in range(400):
            if screen.index == 2:
                break
            await pilot.pause(SPEEDS[-1])
        assert screen.index == 2
        assert "end of run" in str(screen.status_line())


async def test_take_over_plays_on_as_a_new_run(make_app: Factory, ward: Story, tmp_path: Path) -> None:
    run = played_run(ward, HAMBIE_AND_BITTEN)
    app = make_app(replay=run)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await pilot.press("space", "right", "right", "right", "t")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.state == screen.result.states[3]
        assert app.session is not None and len(app.session.history) == 3
        await pilot.press("2")  # on from the music room: the roof, an ending
        app.session.flush()  # autosaves are written in the background
        autosave = load_run(slot_path(tmp_path / "saves", app.session.autosave_slot))
        assert [s.choice for s in autosave.steps] == ["nam-ra-bitten", "wait", "go-on", "roof"]


async def test_replay_from_the_title(make_app: Factory, ward: Story, tmp_path: Path) -> None:
    first = make_app(new=True)
    async with first.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "2")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await pilot.press("enter")
        assert isinstance(app.screen, ReplayScreen)
        assert len(app.screen.run.steps) == 2


def copy_story(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    shutil.copytree(WARD, folder)
    return folder


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "scenes" / "school.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    later = os.stat(path).st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(later, later))


async def test_watch_reloads_and_keeps_the_player_where_they_were(make_app: Factory, tmp_path: Path) -> None:
    folder = copy_story(tmp_path)
    app = make_app(story=load_or_raise(folder), new=True, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "2")
        assert app.state is not None and app.state.scene == "lab"
        edit(folder, "Cages, and the teacher's notes.", "Cages, and *new* notes.")
        app.check_story_files()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.state.scene == "lab"  # type: ignore[union-attr]
        assert "new notes" in app.screen.query_one("#scene", SceneView).text.plain
        assert app.session is not None and len(app.session.history) == 2


async def test_watch_divergence_stays_on_the_last_valid_step(make_app: Factory, tmp_path: Path) -> None:
    folder = copy_story(tmp_path)
    app = make_app(story=load_or_raise(folder), new=True, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "2")
        assert app.session is not None
        first_slot = app.session.autosave_slot
        edit(
            folder,
            "      - id: lab\n        label: Go to the science lab",
            "      - id: lab-door\n        label: Go to the science lab",
        )
        app.check_story_files()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.state is not None and app.state.scene == "corridor"
        old_slot = slot_path(tmp_path / "saves", first_slot)
        # said on the play screen, above the scene, not only in a toast
        shown = app.screen.query_one("#scene", SceneView).text.plain
        assert "step 2" in shown and "'lab'" in shown and first_slot in shown
        await pilot.press("2")  # the renamed choice works at once
        assert app.state.scene == "lab"
        assert app.session is not None and app.session.autosave_slot != first_slot
        app.session.flush()
        # the whole run is still on disk, in its own slot; the new one goes on elsewhere
        assert [s.choice for s in load_run(old_slot).steps] == ["nam-ra-bitten", "lab"]
        new = load_run(slot_path(tmp_path / "saves", app.session.autosave_slot))
        assert [s.choice for s in new.steps] == ["nam-ra-bitten", "lab-door"]


async def test_watch_keeps_the_old_story_when_the_edit_is_broken(make_app: Factory, tmp_path: Path) -> None:
    folder = copy_story(tmp_path)
    app = make_app(story=load_or_raise(folder), new=True, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        edit(folder, "goto: lab\n", "goto: nowhere-at-all\n")
        app.check_story_files()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(n.severity == "error" for n in app._notifications)
        await pilot.press("2")
        assert app.state is not None and app.state.scene == "lab"
