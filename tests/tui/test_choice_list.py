"""The choice list (game/tui/widgets/choices.py, our own line-API list): keys, the mouse,
locked choices, the highlight's repaint and a list longer than its box at 80x24."""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Offset

from game.engine.rules import ChoiceView
from game.tui.app import HyosanApp
from game.tui.screens.play import PlayScreen
from game.tui.widgets.choices import ChoiceList

Factory = Callable[..., HyosanApp]


def option_lines(choices: ChoiceList) -> list[str]:
    """The list's visible content rows as text."""
    height = choices.scrollable_content_region.height
    return [choices.render_line(y).text.rstrip() for y in range(height)]


async def test_a_click_takes_an_open_choice_and_not_a_locked_one(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        choices = app.screen.query_one(ChoiceList)
        assert choices.get_option_at_index(1).disabled
        await pilot.pause()
        rows = option_lines(choices)
        second = next(y for y, row in enumerate(rows) if row.startswith("2. "))
        third = next(y for y, row in enumerate(rows) if row.startswith("3. "))
        before = app.state
        top = choices.styles.gutter.top
        await pilot.click(choices, offset=Offset(4, top + second))  # the locked second choice
        await pilot.click(choices, offset=Offset(4, top + second + 1))  # its reason's line
        assert app.state is before
        await pilot.click(choices, offset=Offset(4, top + third))  # the third: Nam-ra shields Dae-su
        assert app.state is not None and app.state.scene == "corridor"
        assert app.state.members["nam-ra"].bitten


async def test_the_arrows_wrap_and_skip_locked_choices(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        choices = app.screen.query_one(ChoiceList)
        last_open = max(i for i, o in enumerate(choices.options) if not o.disabled)
        assert choices.highlighted == 0
        await pilot.press("up")  # from the first to the last open choice
        assert choices.highlighted == last_open
        await pilot.press("down")
        assert choices.highlighted == 0
        await pilot.press("down")
        assert choices.highlighted == 2  # the locked second one skipped
        await pilot.press("end")
        assert choices.highlighted == last_open
        await pilot.press("home")
        assert choices.highlighted == 0


async def test_a_locked_choice_shows_its_reason_dimmed(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        rows = option_lines(choices)
        assert rows[1].startswith("2. ") and not rows[2][:3].strip(".0123456789 ") == ""
        assert "(locked: You need at least ten arrows.)" in " ".join(rows[1:3])  # wrapped at 100x30
        row = choices.render_line(1)
        assert any(seg.style is not None and seg.style.strike for seg in row)  # struck through
        assert not any(seg.style is not None and seg.style.strike for seg in choices.render_line(0))


async def test_a_new_highlight_repaints_only_its_rows(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        assert choices.highlighted == 0
        choices._repaint_regions.clear()
        choices.highlighted = 2  # the second option takes two lines at 100x30
        top = choices.styles.gutter.top
        assert sorted(r.y for r in choices._repaint_regions) == [top, top + 3]
        assert all(r.height == 1 for r in choices._repaint_regions)


async def test_a_long_list_scrolls_and_says_so_at_80x24(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, PlayScreen)
        choices = app.screen.query_one(ChoiceList)
        views = [ChoiceView(f"c{i}", f"Choice number {i}, which goes somewhere", True) for i in range(14)]
        views[12] = ChoiceView("c12", "A locked one", False, "You need a key.")
        choices.show(views)
        await pilot.pause()
        await pilot.pause()
        column = choices.column_height()
        assert column == 24 - 2  # the screen less the header and the key line
        assert choices.outer_size.height <= column * 0.55  # capped by max-height
        assert choices.virtual_size.height == 14 > choices.scrollable_content_region.height
        assert "↓ more below" in str(choices.border_subtitle)
        await pilot.press("end")
        await pilot.pause()
        assert choices.highlighted == 13
        rows = option_lines(choices)
        assert rows[-1].startswith("   Choice number 13")  # the last is in view (no number key past 9)
        assert "↑ more above" in str(choices.border_subtitle)
        assert "↓ more below" not in str(choices.border_subtitle)
        await pilot.press("up")
        assert choices.highlighted == 11  # the locked twelfth skipped
        await pilot.press("home")
        await pilot.pause()
        assert choices.scroll_y == 0 and option_lines(choices)[0].startswith("1. Choice number 0")


async def test_the_mouse_over_an_option_lights_it(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        rows = option_lines(choices)
        fourth = next(y for y, row in enumerate(rows) if row.startswith("4. "))
        plain = choices.render_line(fourth)
        await pilot.hover(choices, offset=Offset(4, choices.styles.gutter.top + fourth))
        await pilot.pause()
        lit = choices.render_line(fourth)
        assert lit.text == plain.text
        assert lit != plain  # another background
        await pilot.hover(app.screen.query_one("#scene"))
        await pilot.pause()
        assert choices.render_line(fourth) == plain


def views(count: int) -> list[ChoiceView]:
    return [ChoiceView(f"c{i}", f"Choice {i}", True) for i in range(count)]


async def test_the_box_keeps_its_height_for_a_list_a_little_shorter_at_100x30(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        choices = app.screen.query_one(ChoiceList)
        choices.show(views(10))  # a long scene: every row of it counts
        await pilot.pause()
        tall = choices.outer_size.height
        assert tall == 10 + 2
        choices.show(views(8))  # two lines to spare: no layout, the same box
        await pilot.pause()
        assert choices.outer_size.height == tall
        choices.show(views(7))  # three: the box shrinks
        await pilot.pause()
        assert choices.outer_size.height == 7 + 2


async def test_the_box_follows_each_list_at_80x24(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(80, 24)) as pilot:
        choices = app.screen.query_one(ChoiceList)
        choices.show(views(9))
        await pilot.pause()
        assert choices.outer_size.height == 9 + 2
        choices.show(views(8))  # every row of the scene counts here
        await pilot.pause()
        assert choices.outer_size.height == 8 + 2


async def test_a_shorter_list_or_scene_leaves_no_old_rows_on_screen(make_app: Factory) -> None:
    """Only the rows the old or new text covers are repainted: what is on screen after a
    long list and scene, then short ones, is the short ones and blank rows."""
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        choices = screen.query_one(ChoiceList)
        scene = screen.query_one("#scene")
        choices.show(views(6))
        await pilot.press("1")  # a new scene over the first one
        await pilot.pause()
        choices.show(views(6))
        await pilot.pause()
        choices.show(views(2))
        await pilot.pause()
        rows = [strip.text for strip in screen._compositor.render_strips()]
        box = choices.content_region
        inside = [rows[y][box.x : box.right].rstrip() for y in range(box.y, box.bottom)]
        assert inside[:2] == ["1. Choice 0", "2. Choice 1"]
        assert all(not row for row in inside[2:])
        text = scene.content_region
        shown = [rows[y][text.x : text.right].rstrip() for y in range(text.y, text.bottom)]
        lines = [line.plain.rstrip() for line in scene.lines or []]
        assert shown[: len(lines)] == lines[: len(shown)]
        assert all(not row for row in shown[len(lines) :])
