"""Pilot tests: every screen, key and modal, asserting on the App's state."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from game.engine import rules
from game.engine.model import PLAYER, Story
from game.engine.saves import AUTOSAVE, load_run, slot_path
from game.tui.app import HyosanApp
from game.tui.screens.ending import EndingScreen
from game.tui.screens.modals import HelpScreen, LoadScreen, NameScreen, QuitScreen, SaveScreen, TooSmallScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.scene import SceneView

from .conftest import HAMBIE_AND_BITTEN

Factory = Callable[..., HyosanApp]


def scene_text(app: HyosanApp) -> str:
    return app.screen.query_one("#scene", SceneView).text.plain


async def test_title_new_game_asks_the_name(make_app: Factory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NameScreen)
        assert app.screen.query_one(Input).value == "Kim Ha-neul"
        app.screen.query_one(Input).value = "Lee Su-ah"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.state is not None and app.state.player_name == "Lee Su-ah"
        assert app.state.scene == "classroom"


async def test_title_menu_by_arrows(make_app: Factory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # "New game" is highlighted first
        assert isinstance(app.screen, NameScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)
        assert app.session is None


async def test_new_flag_skips_the_title(make_app: Factory) -> None:
    app = make_app(new=True, name="Ha-neul")
    async with app.run_test(size=(100, 30)):
        assert isinstance(app.screen, PlayScreen)
        assert app.state is not None and app.state.player_name == "Ha-neul"


async def test_digit_keys_choose_at_once(make_app: Factory, ward: Story) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        assert app.state is not None and app.state.scene == "corridor"
        assert app.state.members["nam-ra"].bitten
        assert "» Nam-ra shields Dae-su" in scene_text(app)  # the choice is echoed
        assert "Nam-ra has been bitten." in scene_text(app)


async def test_arrows_and_enter_choose(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        choices = app.screen.query_one(ChoiceList)
        assert choices.highlighted == 0
        await pilot.press("down", "down", "enter")  # the locked one is skipped
        assert app.state is not None and app.state.scene == "corridor"
        assert app.state.members["su-hyeok"].bitten


async def test_locked_choice_is_dimmed_and_refused(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        choices = app.screen.query_one(ChoiceList)
        locked = choices.get_option_at_index(1)
        assert locked.disabled
        assert "locked: You need at least ten arrows." in str(locked.prompt)
        before = app.state
        await pilot.press("2")
        assert app.state is before


async def test_undo_restores_the_exact_state_rng_included(make_app: Factory, tmp_path: Path) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        start = app.state
        await pilot.press("5")  # the roll
        rolled = app.state
        assert rolled is not None and rolled.rng != start.rng  # type: ignore[union-attr]
        await pilot.press("u")
        assert app.state == start
        assert app.session is not None
        app.session.flush()  # autosaves are written in the background
        assert load_run(slot_path(tmp_path / "saves", app.session.autosave_slot)).steps == ()
        await pilot.press("5")
        assert app.state == rolled  # undo cannot reroll a bad roll
        await pilot.press("u", "u")  # nothing more to undo: no crash
        assert app.state == start


async def test_autosave_after_every_choice_and_continue(make_app: Factory, tmp_path: Path) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*HAMBIE_AND_BITTEN)
        final = app.state
        assert app.session is not None and app.session.autosave_slot.startswith("autosave-")
        slot = app.session.autosave_slot
    run = load_run(slot_path(tmp_path / "saves", slot))
    assert [s.choice for s in run.steps] == ["nam-ra-bitten", "wait", "go-on", "out", "hold"]
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        assert isinstance(again.screen, PlayScreen)
        assert again.state == final
        assert again.session is not None and again.session.autosave_slot == slot  # goes on in its own slot
        await pilot.press("u")  # the loaded run's history is there to undo
        assert again.state is not None and again.state.scene == "corridor"
        assert not again.state.members["su-hyeok"].bitten


async def test_bites_and_turns_go_to_the_scene_not_toasts(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "1")
        messages = [n.message for n in app._notifications]
        assert "Nam-ra has been bitten." not in messages  # toasts are for things outside the story
        assert not any("hambie" in m for m in messages)
        assert "hambie" in scene_text(app)  # the scene's event lines say it


async def test_party_panel_shows_known_status_only(make_app: Factory, ward: Story) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*HAMBIE_AND_BITTEN)
        from game.tui.widgets.party import PartyPanel

        party = str(app.screen.query_one("#party", PartyPanel).drawn)
        assert "hambie" in party and "hunger" in party and "bitten" in party
        assert "Water" in party and "Noise" in party


async def test_save_modal_writes_the_slot_and_refuses_bad_names(make_app: Factory, tmp_path: Path) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "s")
        assert isinstance(app.screen, SaveScreen)
        await pilot.press(*"../x", "enter")
        assert isinstance(app.screen, SaveScreen)  # refused, the dialog stays
        assert str(app.screen.query_one("#slot-error", Static).render())
        app.screen.query_one(Input).value = "before-lab"
        await pilot.press("enter")
        assert isinstance(app.screen, PlayScreen)
    assert len(load_run(slot_path(tmp_path / "saves", "before-lab")).steps) == 1


async def test_load_list_shows_a_damaged_save(make_app: Factory, tmp_path: Path) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        (tmp_path / "saves" / "broken.json").write_text('{"format": 1, "steps": [', encoding="utf-8")
        await pilot.press("l")
        assert isinstance(app.screen, LoadScreen)
        options = app.screen.query_one(OptionList)
        rows = {str(options.get_option_at_index(i).prompt): options.get_option_at_index(i) for i in range(2)}
        damaged = [o for text, o in rows.items() if "damaged" in text]
        assert len(damaged) == 1 and damaged[0].disabled
        await pilot.press("escape")
        assert isinstance(app.screen, PlayScreen)


async def test_load_a_save_from_the_list(make_app: Factory, tmp_path: Path) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        saved = app.state
        await pilot.press("2")
        assert app.state != saved
        await pilot.press("l")
        await pilot.press("enter")  # the autosave, the only (newest) save
        assert isinstance(app.screen, PlayScreen)
        assert app.state is not None and app.state.scene == "lab"


async def test_help_and_quit_confirmation(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "take that choice at once" in str(app.screen.query_one("#help-text", Static).render())
        await pilot.press("escape")
        await pilot.press("q")
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("n")
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 0


async def test_map_toggle(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        # before `m` the scene shows and no map does (the map panels and the story
        # column's map box are made on the first `m`)
        assert app.screen.query_one("#scene").display
        assert not app.screen.query("#map-main-box")
        assert not any(panel.display for panel in app.screen.query(".map"))
        await pilot.press("m")
        assert app.screen.query_one("#map-main-box").display
        assert app.screen.query_one("#map-main").display
        assert not app.screen.query_one("#scene").display
        drawn = str(app.screen.query_one("#map-main").render())
        assert "@Classroom" in drawn and "Corridor" in drawn
        await pilot.press("m")
        assert app.screen.query_one("#scene").display
        assert not app.screen.query_one("#map-main").display
        await pilot.press("1")  # a map shown again is drawn for the new place
        await pilot.press("m")
        assert app.screen.query_one("#map-main").display
        assert "@" in str(app.screen.query_one("#map-main").render())


async def test_ending_screen(make_app: Factory, ward: Story) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "2", "1")  # the lab, then the gate
        assert isinstance(app.screen, EndingScreen)
        text = str(app.screen.query_one("#ending-text", Static).render())
        assert "Through the gate" in text
        assert "On-jo keeps counting heads" in text
        count = len(rules.survivors(ward, app.state))  # type: ignore[arg-type]
        friends = f"{count - 1} friend" + ("s" if count > 2 else "")
        assert f"Survivors: you and {friends}, {count} in all, better than the 3" in text
        assert "3 choices" in text
        await pilot.press("u")  # undo from the ending goes back to playing
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("1")
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NameScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, PlayScreen)
        assert app.state is not None and app.state.turn == 0


async def test_player_death_ends_the_run(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("6")
        assert isinstance(app.screen, EndingScreen)
        assert app.state is not None and app.state.members[PLAYER].fate == "dead"


async def test_name_with_markup_and_escapes_is_shown_literally(make_app: Factory) -> None:
    app = make_app(new=True, name="[bold]Eun[/] [link=http://x]\x1b[31mji\x07")
    async with app.run_test(size=(100, 30)):
        assert app.state is not None
        # the screen shows the name as typed, without the escape sequence (removed whole)
        app_text = scene_text(app)
        assert "You are [bold]Eun[/] [link=http://x]ji, class 2-5." in app_text
        assert app.state.player_name == "[bold]Eun[/] [link=http://x]ji"
        assert "\x1b" not in app_text and "\x07" not in app_text


async def grow_and_play_on(app: HyosanApp, pilot: Pilot[None]) -> None:
    """Back to 80x24: the game is on screen again and takes a key where it left off."""
    await pilot.resize_terminal(80, 24)
    await pilot.pause()
    assert isinstance(app.screen, PlayScreen)
    await pilot.press("1")
    assert app.state is not None and app.state.flags == frozenset({"door-shut"})


async def test_too_small_then_recovers(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "need 60x16" in str(app.screen.query_one("#too-small", Static).render())
        await grow_and_play_on(app, pilot)


async def test_theme_toggle_and_light_flag(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        dark = app.theme
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == dark
    light = make_app(new=True, light=True)
    async with light.run_test(size=(100, 30)):
        assert light.theme == "textual-light"


async def test_palette_has_the_same_commands(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Save", "Load", "Undo", "Help", "Map", "New game", "Quit"} <= set(titles)
        assert len(titles) == len(set(titles))  # no entry twice


async def test_palette_quit_and_ctrl_q_ask_first(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        quit_command = next(c for c in app.get_system_commands(app.screen) if c.title == "Quit")
        quit_command.callback()
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen) and app.is_running
        await pilot.press("n")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen) and app.is_running
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


async def test_no_color(make_app: Factory, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)):
        assert app.no_color


async def test_unwritable_saves_folder_is_reported_not_fatal(make_app: Factory, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    app = make_app(new=True, saves_dir=blocker)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        assert app.state is not None and app.state.scene == "corridor"
        assert any(n.severity == "error" for n in app._notifications)


def test_damaged_autosave_json_is_refused_cleanly(tmp_path: Path) -> None:
    # the title's Continue uses load_run; a damaged file is a SaveError, never a crash
    path = tmp_path / "autosave.json"
    path.write_text(json.dumps({"format": 1}), encoding="utf-8")
    import pytest

    from game.engine.saves import SaveError

    with pytest.raises(SaveError):
        load_run(path)


def test_background_autosave_keeps_order_and_reports_errors(ward: Story, tmp_path: Path) -> None:
    from game.session import Session

    errors: list[str] = []
    session = Session.new(ward, seed=1, name=None, saves_dir=tmp_path / "saves")
    session.on_background_error = errors.append
    for _ in range(5):
        view = next(v for v in session.choices() if v.available)
        session.choose(view)
        if session.ended:
            break
    taken = len(session.run.steps)
    session.flush()
    assert len(load_run(slot_path(tmp_path / "saves", AUTOSAVE)).steps) == taken and errors == []  # noqa: E501
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    broken = Session.new(ward, seed=1, name=None, saves_dir=blocked)
    broken.on_background_error = errors.append
    broken.autosave()
    broken.flush()
    assert len(errors) == 1 and "file-not-folder" in errors[0]


async def test_page_keys_scroll_a_long_scene(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(60, 16)) as pilot:
        scene = app.screen.query_one("#scene", SceneView)
        long = "\n\n".join(f"Paragraph {i} of a scene far longer than the screen." for i in range(30))
        from rich.text import Text

        scene.text = Text(long)
        scene.rewrap()
        scene.refresh()
        await pilot.pause()
        assert scene.virtual_size.height > scene.scrollable_content_region.height
        await pilot.press("pagedown")
        await pilot.pause()
        assert scene.scroll_offset.y > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert scene.scroll_offset.y == 0


async def test_started_too_small_the_notice_is_on_top_then_the_game(make_app: Factory) -> None:
    # the notice was pushed at mount, then the play screen over it: a cramped game showed
    app = make_app(new=True)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "have 40x12" in str(app.screen.query_one("#too-small", Static).render())
        await grow_and_play_on(app, pilot)
