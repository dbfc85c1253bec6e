"""`PlainRows` (game/tui/widgets/rows.py) gives the compositor the same rows as Textual's
styles cache: the scene, its header, the choices (a border with a title and a
subtitle, the focus tint), the side column (a left border and padding), the play screen
(its background) and the scrollbars
of the scene, choices and party, over a played run, scrolled and not, at two sizes and in
a light theme."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from game.tui.app import HyosanApp
from game.tui.widgets.rows import PlainRows

from .conftest import HAMBIE_AND_BITTEN


def rows_both_ways(widget: Widget) -> tuple[list[Strip], list[Strip]]:
    crop = Region(0, 0, widget.region.width, widget.region.height)
    ours = widget.render_lines(crop)
    widget._styles_cache.clear()
    theirs = Widget.render_lines(widget, crop)
    return ours, theirs


def check(app: HyosanApp) -> int:
    compared = 0
    for name in ("#scene", "#scene-header", "#choices", "#party", "#side", "screen"):
        widget = app.screen if name == "screen" else app.screen.query_one(name, Widget)
        widgets = [] if name == "#party" else [widget]  # the party: only its scrollbar
        if widget._vertical_scrollbar is not None:
            widgets.append(widget._vertical_scrollbar)
        for each in widgets:
            assert isinstance(each, PlainRows)
            ours, theirs = rows_both_ways(each)
            assert each._plain_rows is not None, f"{name}: went Textual's way"
            assert len(ours) == len(theirs)
            for y, (a, b) in enumerate(zip(ours, theirs, strict=True)):
                assert (list(a), a.cell_length) == (list(b), b.cell_length), f"{name} row {y}"
            compared += 1
    return compared


@pytest.mark.parametrize(
    ("size", "theme"), [((100, 30), None), ((80, 24), None), ((80, 24), "textual-light")]
)
async def test_rows_are_the_styles_caches(
    make_app: Callable[..., HyosanApp], size: tuple[int, int], theme: str | None
) -> None:
    app = make_app(new=True)
    compared = 0
    async with app.run_test(size=size) as pilot:
        if theme:
            app.theme = theme
        await pilot.pause()
        compared += check(app)
        for key in HAMBIE_AND_BITTEN:
            await pilot.press(key)
            await pilot.pause()
            if not app.screen.query("#scene"):
                break
            compared += check(app)
            app.screen.query_one("#scene", Widget).scroll_to(y=2, animate=False, immediate=True)
            await pilot.pause()
            compared += check(app)
    assert compared >= 20


async def test_the_mixin_keeps_textuals_css(make_app: Callable[..., HyosanApp]) -> None:
    """Textual takes a widget's default CSS through its first DOM-node base only: the
    scene and the choices keep ScrollView's (the choices' overflow-y: auto, so a long list
    shows its scrollbar), the side column VerticalScroll's, the scrollbars ScrollBar's."""
    app = make_app(new=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for name in ("#scene", "#choices"):
            widget = app.screen.query_one(name, Widget)
            assert "ScrollView" in widget._css_type_names
            assert (
                widget._vertical_scrollbar is None
                or "ScrollBar" in widget._vertical_scrollbar._css_type_names
            )
        assert app.screen.query_one("#choices", Widget).styles.overflow_y == "auto"
        side = app.screen.query_one("#side", Widget)  # a VerticalScroll's: it scrolls with the map
        assert "VerticalScroll" in side._css_type_names
        assert side.styles.overflow_y == "auto"
