"""The choices: a list of our own on Textual's line API. Locked choices are shown dimmed,
with their reason, and cannot be taken; number keys are the play screen's, the list has
the arrows (locked choices skipped), Home/End, PgUp/PgDn, Enter and a mouse click.

Why not Textual's OptionList (issue 15): it wraps each new option twice (once for its
height, once for its lines) through the generic Visual path, on every new set of options,
and repaints the whole list for a new highlight. Here each option is wrapped once per
scene (or new width) into Content lines, each line turned into a Strip only when drawn,
and a new highlight or hover repaints only the rows of the options it moves between.

The list's height is set here, not left to `height: auto` (an auto height asks for a
layout of the whole screen on every new set of options): the box is at least 30% of the
column tall (many scenes' choices fit in it, so many keypresses change no height at all)
and grows, up to the CSS `max-height`, for a scene whose choices need more; beyond that
it scrolls and its border says so.

Over 400 lines: one whole widget (options, wrapping, height, drawing, highlight, keys,
mouse), kept in one module as Textual keeps OptionList."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from ...engine.rules import ChoiceView
from ..text import styled, wrap
from .rows import PlainRows
from .scrollbars import line_scrollbar

# The box is always at least this share of the story column tall (with its border), and
# never has room for more than MAX_FLOOR lines by that rule alone: 7 lines at 80x24, 9 at
# 100x30. The bundled story's choice lists fit in 7 lines in 76% of the states of random
# runs at 80x24 (52 columns) and in 9 lines in 96% at 100x30 (64 columns).
FLOOR_SHARE = 0.3
MAX_FLOOR = 9
# A box taller than the new list needs keeps its height (no layout) while it has at most
# SLACK spare lines, in a column of SLACK_FROM rows or more (100x30 and up; at 80x24 every
# row of the scene counts). Half the keys of random runs changed the box's height, each
# one a layout of the screen; with this, a fifth at 100x30 (bench/bench_tui_ab.py,
# issue 15).
SLACK = 2
SLACK_FROM = 26


def choice_prompt(number: int, view: ChoiceView, taken: bool = False) -> Text:
    key = f"{number}. " if number <= 9 else "   "
    out = Text(key, "bold" if view.available else "dim")
    if view.available:
        out.append_text(styled(view.label, "reverse bold" if taken else ""))
    else:
        out.append_text(styled(view.label, "dim strike"))
        out.append_text(styled(f"  (locked: {view.reason})", "dim italic"))
    return out


class ChoiceOption(NamedTuple):
    """One row of the list as shown: the choice's id, its prompt and whether it is locked."""

    id: str
    prompt: Text
    disabled: bool


# the component class of each way an option is drawn ("" is the plain one)
PLAIN, HIGHLIGHTED, DISABLED, HOVER = "", "highlighted", "disabled", "hover"


class ChoiceList(PlainRows, ScrollView, can_focus=True):
    """Option ids are the choice ids. When the choices do not all fit (80x24 and many
    choices), the border says so ("↓ more below") besides the scrollbar."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    # the look of Textual's OptionList (its DEFAULT_CSS, under our own names)
    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        background: $surface;
        & > .choice-list--option-highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .choice-list--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .choice-list--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .choice-list--option-disabled {
            color: $text-disabled;
        }
        & > .choice-list--option-hover {
            background: $block-hover-background;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice-list--option",
        "choice-list--option-disabled",
        "choice-list--option-highlighted",
        "choice-list--option-hover",
    }

    class Selected(Message):
        """The player took the option at `index` (Enter or a click on an open choice)."""

        def __init__(self, choice_list: ChoiceList, index: int, option_id: str) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.index = index
            self.option_id = option_id

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        return line_scrollbar(self)  # drawn through the line API (widgets/scrollbars.py)

    # the list's own size is set by `fit`, so a new virtual size only needs a repaint
    # and the scrollbar's update (Widget's reactive asks for a layout of the screen)
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(id=id, classes=classes, disabled=disabled)
        self._options: list[ChoiceOption] = []
        self._contents: list[Content] = []
        self._highlighted: int | None = None
        self._hover: int | None = None
        # the options wrapped at `_wrapped_for` columns: each option's lines, the
        # (option, line of it) of every line, and each option's first line
        self._wrapped_for = -1
        self._wrapped: list[list[Content]] = []
        self._lines: list[tuple[int, int]] = []
        self._first_line: list[int] = []
        # each option's Strips in one way of drawing it, with the style they were made in
        self._strips: dict[tuple[int, str], tuple[Style, list[Strip]]] = {}
        self._blank = Strip.blank(0)
        self._blank_style: object = None

    # -- the options ------------------------------------------------------------------

    @property
    def options(self) -> Sequence[ChoiceOption]:
        return self._options

    @property
    def option_count(self) -> int:
        return len(self._options)

    def get_option_at_index(self, index: int) -> ChoiceOption:
        return self._options[index]

    def show(self, views: list[ChoiceView], taken: str | None = None) -> None:
        """A new set of choices; `taken` is highlighted (the replay), else the first open one."""
        old_rows = len(self._lines) if self._wrapped_for > 0 and not self.scroll_y else -1
        self._options = [
            ChoiceOption(view.id, choice_prompt(i, view, view.id == taken), not view.available)
            for i, view in enumerate(views, 1)
        ]
        self._contents = [Content.from_rich_text(option.prompt) for option in self._options]
        self._strips.clear()
        self._hover = None
        self._wrapped_for = -1
        self.scroll_y = 0  # the new list from its top
        self.rewrap()
        first = next((i for i, v in enumerate(views) if v.id == taken), None)
        if first is None:
            first = next((i for i, v in enumerate(views) if v.available), None)
        self._highlighted = first
        self.scroll_to_highlight()
        self.update_more()
        content = self.scrollable_content_region
        if old_rows < 0 or self.scroll_y or self._wrapped_for <= 0:
            self.refresh()
        else:
            # only the rows the old or the new options cover: the border and the blank
            # rows under both lists are the same (a new height repaints it all anyway)
            rows = min(content.height, max(old_rows, len(self._lines)))
            if rows > 0:
                self.refresh(Region(0, 0, content.width, rows))

    def rewrap(self) -> None:
        """Wrap the options at the list's width (once per set of options or new width),
        then set its height for them and the scroll range."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return  # not laid out yet: on_resize wraps them
        self._wrapped_for = width
        self._wrapped = [wrap(content, width) or [Content("")] for content in self._contents]
        self._lines = []
        self._first_line = []
        for index, lines in enumerate(self._wrapped):
            self._first_line.append(len(self._lines))
            self._lines.extend((index, n) for n in range(len(lines)))
        self._strips.clear()
        size = Size(width, len(self._lines))
        if size != self.virtual_size:
            self.set_reactive(ChoiceList.virtual_size, size)
        if not self.fit():
            # the same height: the scrollbar for it now (a new height's layout does
            # that for the new height; showing the bar for the old one would ask for a
            # layout, and the new height's would hide it again)
            self._scroll_update(size)

    def fit(self) -> bool:
        """Set the height for the current options at the current width: a layout only
        when it differs from the height the list has (then True)."""
        if self._wrapped_for <= 0:
            return False  # not laid out yet: on_resize fits it
        gutter = self.styles.gutter.height
        column = self.column_height()
        floor = min(MAX_FLOOR, round(column * FLOOR_SHARE) - gutter)
        height = max(floor, len(self._lines), 1) + gutter
        current = self.styles.height
        if current is None or current.is_auto or current.cells is None:
            self.styles.height = height
            return True
        now = int(current.cells)
        spare = SLACK if column >= SLACK_FROM else 0
        if height > now or now - height > spare:
            self.styles.height = height
            return True
        return False

    def column_height(self) -> int:
        """The height of the story column: the parent's, less what is split off its top
        and bottom (the play screen's header and key line)."""
        parent = self.parent
        if not isinstance(parent, Widget):
            return 0
        height = parent.size.height
        for sibling in parent.children:
            if sibling.display and sibling.styles.is_split and sibling.styles.split in ("top", "bottom"):
                height -= sibling.outer_size.height
        return height

    def _on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._wrapped_for:
            self.rewrap()
        else:
            self.fit()  # a new column height: maybe a new floor
        self.scroll_to_highlight()
        self.update_more()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # a new theme or focus: drawn again in its colours

    # -- drawing ----------------------------------------------------------------------

    def _kind(self, index: int) -> str:
        if self._options[index].disabled:
            return DISABLED
        if index == self._highlighted:
            return HIGHLIGHTED
        if index == self._hover:
            return HOVER
        return PLAIN

    def _style(self, kind: str) -> Style:
        if kind:
            return self.get_visual_style("choice-list--option", f"choice-list--option-{kind}")
        return self.get_visual_style("choice-list--option")

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._wrapped_for:
            self.rewrap()
        line = y + self.scroll_offset.y
        if not 0 <= line < len(self._lines) or width <= 0:
            # the same Strip while nothing changed: PlainRows keeps the row made from it
            rich = self._style(PLAIN).rich_style
            if self._blank.cell_length != max(0, width) or self._blank_style != rich:
                self._blank = Strip.blank(max(0, width), rich)
                self._blank_style = rich
            return self._blank
        index, offset = self._lines[line]
        kind = self._kind(index)
        style = self._style(kind)
        made = self._strips.get((index, kind))
        if made is None or made[0] is not style:
            rich = style.rich_style
            meta = {"option": index}  # a click or hover finds its option by this
            strips = [
                Strip(part.render_segments(style), part.cell_length)
                .extend_cell_length(width, rich)
                .apply_meta(meta)
                for part in self._wrapped[index]
            ]
            made = self._strips[(index, kind)] = (style, strips)
        return made[1][offset]

    def refresh_option(self, index: int | None) -> None:
        """Repaint only the rows of one option (a new highlight or hover)."""
        if index is None or not 0 <= index < len(self._first_line) or self._wrapped_for <= 0:
            return
        # in content coordinates (Widget.refresh adds the border's offset)
        top = self._first_line[index] - self.scroll_offset.y
        content = self.scrollable_content_region
        region = Region(0, top, content.width, len(self._wrapped[index]))
        if region.overlaps(Region(0, 0, content.width, content.height)):
            self.refresh(region)

    # -- the highlight ----------------------------------------------------------------

    @property
    def highlighted(self) -> int | None:
        """The index of the highlighted option, or None."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self._options) - 1)) if self._options else None
        old = self._highlighted
        if index == old:
            return
        self._highlighted = index
        self.refresh_option(old)
        self.refresh_option(index)
        self.scroll_to_highlight()

    def scroll_to_highlight(self) -> None:
        index = self._highlighted
        if index is None or not self.is_mounted or self._wrapped_for <= 0 or index >= len(self._first_line):
            return
        self.scroll_to_region(
            Region(0, self._first_line[index], self._wrapped_for, len(self._wrapped[index])),
            force=True,
            animate=False,
            immediate=True,
        )

    def _open(self, indices: Sequence[int] | range) -> int | None:
        return next((i for i in indices if not self._options[i].disabled), None)

    def action_cursor_down(self) -> None:
        count = len(self._options)
        start = -1 if self._highlighted is None else self._highlighted
        found = self._open([(start + step) % count for step in range(1, count + 1)]) if count else None
        if found is not None:
            self.highlighted = found

    def action_cursor_up(self) -> None:
        count = len(self._options)
        start = count if self._highlighted is None else self._highlighted
        found = self._open([(start - step) % count for step in range(1, count + 1)]) if count else None
        if found is not None:
            self.highlighted = found

    def action_first(self) -> None:
        found = self._open(range(len(self._options)))
        if found is not None:
            self.highlighted = found

    def action_last(self) -> None:
        found = self._open(range(len(self._options) - 1, -1, -1))
        if found is not None:
            self.highlighted = found

    def _move_page(self, direction: int) -> None:
        if not self._lines:
            return
        start = self._first_line[self._highlighted or 0]
        line = max(0, min(len(self._lines) - 1, start + direction * self.scrollable_content_region.height))
        target = self._lines[line][0]
        if direction > 0:
            found = self._open(range(target, len(self._options))) or self._open(range(target, -1, -1))
        else:
            found = self._open(range(target, -1, -1)) or self._open(range(target, len(self._options)))
        if found is not None:
            self.highlighted = found

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_select(self) -> None:
        index = self._highlighted
        if index is not None and not self._options[index].disabled:
            self.post_message(self.Selected(self, index, self._options[index].id))

    # -- the mouse --------------------------------------------------------------------

    async def _on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("option")
        if isinstance(index, int) and 0 <= index < len(self._options) and not self._options[index].disabled:
            self.highlighted = index
            self.action_select()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        index = event.style.meta.get("option")
        self._set_hover(index if isinstance(index, int) else None)

    def _on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, index: int | None) -> None:
        if index != self._hover:
            old, self._hover = self._hover, index
            self.refresh_option(old)
            self.refresh_option(index)

    # -- the border's note ------------------------------------------------------------

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
