"""The choices: an OptionList (it redraws much faster than a ListView). Locked choices
are disabled options, dimmed, with their reason.

The list's height is set here, not left to `height: auto`: an auto-height OptionList asks
for a layout of the whole screen on every `set_options`, and a layout repaints every
widget it moves (bench/bench_tui.py: two layouts per keypress, the largest part of one).
The box is at least 30% of the column tall (many scenes' choices fit in it, so many
keypresses change no height at all) and grows, up to the CSS `max-height`, for a scene whose
choices need more; beyond that it scrolls and its border says so."""

from __future__ import annotations

from rich.text import Text
from textual.events import Resize
from textual.geometry import Size
from textual.reactive import Reactive
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...engine.rules import ChoiceView
from ..text import styled
from .scrollbars import line_scrollbar

# The box is always at least this share of the story column tall (with its border), and
# never has room for more than MAX_FLOOR lines by that rule alone: 7 lines at 80x24, 9 at
# 100x30. The bundled story's choice lists fit in 7 lines in 76% of the states of random
# runs at 80x24 (52 columns) and in 9 lines in 96% at 100x30 (64 columns).
FLOOR_SHARE = 0.3
MAX_FLOOR = 9


def choice_prompt(number: int, view: ChoiceView, taken: bool = False) -> Text:
    key = f"{number}. " if number <= 9 else "   "
    out = Text(key, "bold" if view.available else "dim")
    if view.available:
        out.append_text(styled(view.label, "reverse bold" if taken else ""))
    else:
        out.append_text(styled(view.label, "dim strike"))
        out.append_text(styled(f"  (locked: {view.reason})", "dim italic"))
    return out


class ChoiceList(OptionList):
    """Option ids are the choice ids. When the choices do not all fit (80x24 and many
    choices), the border says so ("↓ more below") besides the scrollbar."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        return line_scrollbar(self)  # drawn through the line API (widgets/scrollbars.py)

    # OptionList sets its virtual size on every new set of options, and Widget's
    # reactive asks for a layout of the screen each time; the list's own size is set
    # by `fit`, so a new virtual size only needs a repaint (and the scrollbar update
    # OptionList does itself)
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    fitting = False

    def show(self, views: list[ChoiceView], taken: str | None = None) -> None:
        # while the new options are set, the scrollbar is not shown or hidden for the
        # old height (showing it asks for a layout, and the new height's layout hides
        # it again and asks for another): `fit` decides, or the layout it asks for
        self.fitting = True
        try:
            self.set_options(
                Option(choice_prompt(i, view, view.id == taken), id=view.id, disabled=not view.available)
                for i, view in enumerate(views, 1)
            )
        finally:
            self.fitting = False
        if not self.fit():
            self._scroll_update(self.virtual_size)  # the same height: the bar for it now
        first = next((i for i, v in enumerate(views) if v.id == taken), None)
        if first is None:
            first = next((i for i, v in enumerate(views) if v.available), None)
        self.highlighted = first
        self.update_more()

    def _refresh_scrollbars(self) -> None:
        if not self.fitting:
            super()._refresh_scrollbars()

    def fit(self) -> bool:
        """Set the height for the current options at the current width: a layout only
        when it differs from the height the list has (then True)."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return False  # not laid out yet: on_resize fits it
        lines = len(self._lines)  # the options wrapped at this width (cached by OptionList)
        gutter = self.styles.gutter.height
        column = self.parent.size.height if isinstance(self.parent, Widget) else 0
        floor = min(MAX_FLOOR, round(column * FLOOR_SHARE) - gutter)
        height = max(floor, lines, 1) + gutter
        current = self.styles.height
        if current is None or current.is_auto or current.cells != height:
            self.styles.height = height
            return True
        return False

    def update_more(self) -> None:
        above = self.scroll_y > 0
        below = self.scroll_y < self.max_scroll_y
        parts = (["↑ more above"] if above else []) + (["↓ more below"] if below else [])
        subtitle = "  ".join(parts)
        if subtitle != self.border_subtitle:
            self.border_subtitle = subtitle

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.update_more()

    wrapped_for = -1

    def _on_resize(self, event: Resize | None = None) -> None:
        # OptionList drops its wrapped and rendered options on every resize; they
        # depend on the width only, and a new choice box height (most resizes here)
        # keeps it: then they are kept (prevent_default skips OptionList's handler)
        if event is not None:
            if event.size.width == self.wrapped_for:
                event.prevent_default()
            self.wrapped_for = event.size.width
        self.fit()
        self.update_more()
