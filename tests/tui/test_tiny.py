"""The TUI survives any terminal size, 1x1 included, with every screen and modal open and
with the command palette open (Textual's OptionList fails with `range() arg 3 must not be
zero` when an option has no width: app.tcss keeps every OptionList at least 12 wide).
A hostile player's name reaches no widget and no toast."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandPalette

from game.engine import rules
from game.engine.model import Story
from game.engine.saves import Run, save_run
from game.tui.app import HyosanApp
from game.tui.screens.ending import EndingScreen
from game.tui.screens.endings import EndingsScreen
from game.tui.screens.modals import HelpScreen, LoadScreen, NameScreen, QuitScreen, SaveScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.replay import ReplayScreen
from game.tui.screens.title import TitleScreen

from .test_replay_watch import played_run

Factory = Callable[..., HyosanApp]


def screen_text(app: HyosanApp) -> str:
    """The words on screen, from the SVG screenshot's text runs."""
    runs = re.findall(r"<text [^>]*>([^<]*)</text>", app.export_screenshot())
    return html.unescape("".join(runs)).replace("\xa0", " ")


SIZES = [(1, 1), (2, 3), (3, 24), (4, 1), (5, 5), (6, 24), (1, 40), (20, 8), (59, 15), (80, 24), (6, 2)]
HOSTILE = "\x1b]52;c;cm0gLXJm\x07[bold]Eun[/]\x1b[2J\x9b31m-ji\u202e"

# (what to press from a new game, the title ("title", ...) or a replay ("replay", ...), or
# None for the title; the screen that must then be on top)
OPENERS: list[tuple[str, list[str] | None, type]] = [
    ("title", None, TitleScreen),
    ("name", ["title", "n"], NameScreen),
    ("title-palette", ["title", "ctrl+p"], CommandPalette),
    ("endings", ["title", "e"], EndingsScreen),
    ("play", [], PlayScreen),
    ("palette", ["ctrl+p"], CommandPalette),
    ("help", ["question_mark"], HelpScreen),
    ("save", ["s"], SaveScreen),
    ("load", ["l"], LoadScreen),
    ("quit", ["q"], QuitScreen),
    ("map", ["m"], PlayScreen),
    ("ending", ["3", "2", "1"], EndingScreen),
    ("ending-palette", ["3", "2", "1", "ctrl+p"], CommandPalette),
    ("replay", ["replay"], ReplayScreen),
    ("replay-help", ["replay", "question_mark"], HelpScreen),
]


@pytest.mark.parametrize(("opener", "keys", "screen"), OPENERS, ids=[o[0] for o in OPENERS])
async def test_every_screen_survives_tiny_sizes(
    make_app: Factory, ward: object, tmp_path: Path, opener: str, keys: list[str] | None, screen: type
) -> None:
    saves = tmp_path / "saves"
    save_run(saves, "earlier", played_run(ward, ["3"]))  # type: ignore[arg-type]
    if keys and keys[0] == "replay":
        app = make_app(replay=played_run(ward, ["3", "2"]), saves_dir=saves)  # type: ignore[arg-type]
        keys = keys[1:]
    elif keys and keys[0] == "title":
        app = make_app(saves_dir=saves)
        keys = keys[1:]
    else:
        app = make_app(new=keys is not None, saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*(keys or []))
        await pilot.pause()
        assert isinstance(app.screen, screen)
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
        # the palette opened while the terminal is tiny, and closed again
        await pilot.resize_terminal(3, 10)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert isinstance(app.screen, screen)
        assert app.is_running


async def test_a_hostile_name_reaches_no_widget(make_app: Factory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        name = app.screen.query_one("#name")
        name.value = HOSTILE  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.state is not None and app.state.player_name == "[bold]Eun[/]-ji"
        assert "You are [bold]Eun[/]-ji" in screen_text(app)  # markup shown as typed, not as style
        await pilot.press("3", "s")
        app.screen.query_one("#slot").value = "x"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        # everything drawn: the screen's text, every toast
        drawn = screen_text(app)
        toasts = " ".join(str(n.message) + n.title for n in app._notifications)
        for text in (drawn, toasts):
            assert "52;c;" not in text and "\x9b" not in text and "\u202e" not in text


async def test_a_hostile_save_in_the_load_list(make_app: Factory, ward: Story, tmp_path: Path) -> None:
    """A save made elsewhere, by a game that did not clean the name."""
    saves = tmp_path / "saves"
    state = rules.new_game(ward, seed=7, player_name=HOSTILE)
    run = Run.start(ward, state)
    view = rules.choices(ward, state)[2]
    after, _ = rules.choose(ward, state, view.id)
    save_run(saves, "evil", run.record(ward, state.scene, view.id, "\x1b]0;owned\x07x", after))
    app = make_app(saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        drawn = screen_text(app)
        assert "52;c;" not in drawn and "owned" not in drawn and "[bold]Eun[/]" in drawn
        await pilot.press("enter")
        await pilot.pause()
        assert app.state is not None and app.state.player_name == HOSTILE  # the run as saved
        drawn = screen_text(app)
        assert "52;c;" not in drawn and "owned" not in drawn and "\u202e" not in drawn
