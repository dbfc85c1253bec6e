"""The key bar (widgets/keybar.py): one line, kept until the bindings, the width or the
theme change; a click on a key presses it."""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Offset

from game.tui.app import HyosanApp
from game.tui.screens.modals import HelpScreen
from game.tui.widgets.keybar import KeyBar

Factory = Callable[..., HyosanApp]


def bar_text(app: HyosanApp) -> str:
    bar = app.screen.query_one(KeyBar)
    return "".join(segment.text for segment in bar.render_line(0))


async def test_the_line_names_the_keys_and_fills_the_width(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert text.startswith(" u Undo  m Map  s Save  l Load  ? Help  q Quit ")
        assert text.rstrip().endswith("▏^p palette")
        assert len(text) == 100
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert len(bar_text(app)) == 80


async def test_a_click_on_a_key_presses_it(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        start, _end, key = next(span for span in bar.spans if span[2] == "m")
        await pilot.click(KeyBar, offset=Offset(start + 1, 0))
        await pilot.pause()
        assert key == "m" and app.map_shown
        start = next(span[0] for span in bar.spans if span[2] == "question_mark")
        await pilot.click(KeyBar, offset=Offset(start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_a_new_theme_draws_the_line_again(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        dark = {segment.style.bgcolor for segment in bar.render_line(0) if segment.style}
        await pilot.press("ctrl+t")
        await pilot.pause()
        light = {segment.style.bgcolor for segment in bar.render_line(0) if segment.style}
        assert app.theme == "textual-light"
        assert dark and light and dark != light
