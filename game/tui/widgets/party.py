"""The party panel: each member the player has met with a status badge (what the player
knows, from `MemberState.shown_status`), a hambie's hunger bar, the inventory and noise."""

from __future__ import annotations

import textwrap
from typing import Any

from rich.segment import Segment
from rich.text import Text
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from ...engine import rules
from ...engine.model import PLAYER, Story
from ...engine.state import GameState
from ..text import clean_name
from .scrollbars import line_scrollbar

# Badges carry a word as well as a colour, so they read the same under NO_COLOR.
BADGE_STYLE = {
    "healthy": "bold black on green",
    "injured": "bold black on yellow",
    "bitten": "bold white on dark_orange3",
    "hambie": "bold white on magenta",
    "zombie": "bold white on red",
    "dead": "bold white on grey30",
    "missing": "bold white on blue",
    "away": "grey50",
}


def bar(value: float, top: float, width: int) -> str:
    filled = 0 if top <= 0 else round(max(0.0, min(1.0, value / top)) * width)
    return "█" * filled + "░" * (width - filled)


def render_party(story: Story, state: GameState, width: int = 30, before: GameState | None = None) -> Text:
    """Calm when nothing happens: a healthy member is a name, no badge; a wound, a bite
    the player knows of, a hambie's hunger, who is away or gone get a badge. A member
    whose status changed with the last choice is marked `▸` and bold (`before`)."""
    out = Text(no_wrap=True, overflow="ellipsis")
    name_width = max(6, min(18, width - 11))
    if rules.is_apart(story, state):  # a hall pass: the party, but not beside you
        beside = rules.beside_you(story, state)
        names = [clean_name(story.member_name(mid, state.player_name)) for mid in beside]
        words = "Away from the others for now" + (f"; with you: {', '.join(names)}." if names else ".")
        for line in textwrap.wrap(words, max(10, width), break_on_hyphens=False):  # not "Hyo-/ryeong"
            out.append(line + "\n", "bold yellow")
    healthy: list[str] = []
    for mid in [PLAYER, *story.cast]:
        member = state.members.get(mid)
        if member is None or not member.met:
            continue
        status = member.shown_status(mid == PLAYER)
        was = before.members.get(mid) if before is not None else None
        changed = was is not None and (not was.met or was.shown_status(mid == PLAYER) != status)
        name = "You" if mid == PLAYER else clean_name(story.member_name(mid, state.player_name))
        if len(name) > name_width:
            name = name[: name_width - 1] + "…"
        if status == "healthy" and not changed:
            healthy.append(name)
            continue
        out.append("▸ " if changed else "  ", "bold yellow")
        out.append(f"{name:<{name_width - 2}} ", "bold" if changed else "")
        out.append(f" {status} ", BADGE_STYLE.get(status, ""))
        if status == "hambie" and member.injured:  # a hambie's wound is still a wound
            out.append(" hurt", "yellow")
        out.append("\n")
        if status == "hambie":
            top = float(story.infection.hunger_crisis or 100)
            style = "red" if member.hunger >= story.infection.hunger_rising else "magenta"
            out.append("  hunger ", "dim")
            out.append(bar(member.hunger, top, max(4, min(name_width + 1, width - 14))), style)
            out.append(f" {int(member.hunger):>3}\n")
    if healthy:
        words = "Well: " + ", ".join(healthy)
        for line in textwrap.wrap(words, max(10, width), subsequent_indent="  ", break_on_hyphens=False):
            out.append(line + "\n", "green" if line.startswith("Well") else "")
    out.append("\n")
    for item_id, item in story.items.items():
        count = state.inventory.get(item_id, 0)
        out.append(f"{item.name[: name_width + 4]:<{name_width + 4}} {count:>3}\n", "" if count else "dim")
    for item_id, count in state.inventory.items():
        if item_id not in story.items and count:
            out.append(f"{item_id[: name_width + 4]:<{name_width + 4}} {count:>3}\n")
    top = story.noise_max or 10
    out.append("Noise ")
    style = "red" if state.noise * 2 >= top else "green"
    out.append(bar(state.noise, top, max(4, min(10, width - 12))), style)
    out.append(f" {state.noise}/{top}")
    return out


class PartyPanel(ScrollView, can_focus=False):
    """Drawn from the last state it was shown, at its current width.

    It uses Textual's line API: each line is turned into a Strip once per change and
    then only copied. Converting the whole panel through `render()` on every repaint
    was the largest cost of a keypress (measured with pyinstrument: bench/bench_tui.py).

    It fills the side column and scrolls by itself (a big party at 80x24): a new number
    of lines is a new virtual size and a repaint, not a layout of the whole screen, which
    an auto-height panel needed whenever someone joined, left or changed status. Where
    its height does follow its content (the map under it, `height: auto`), a new number
    of lines still asks for a layout."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        return line_scrollbar(self)  # drawn through the line API (widgets/scrollbars.py)

    # the panel's own size does not follow its lines (but see `redraw`)
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    story: Story | None = None
    state: GameState | None = None
    drawn: Text | None = None
    strips: list[Strip] | None = None
    blank = Strip.blank(0)
    lines = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line_cache: dict[tuple[Any, ...], Strip] = {}

    before: GameState | None = None

    def show(self, story: Story, state: GameState, before: GameState | None = None) -> None:
        self.story, self.state, self.before = story, state, before
        self.redraw()

    def redraw(self) -> None:
        if self.story is None or self.state is None:
            return
        text = render_party(self.story, self.state, self.scrollable_content_region.width or 30, self.before)
        if text == self.drawn:
            return  # most choices change nobody's status: no repaint at all
        old = self.drawn
        self.drawn = text
        self.strips = None
        lines = len(text.plain.split("\n"))
        height = self.styles.height
        if lines != self.lines and height is not None and height.is_auto:
            # the panel's height follows its content (the map under it): a new layout
            self.refresh(layout=True)
        else:
            # a repaint of the lines that changed (often only the noise bar or one
            # member's row), not of the whole column
            self.refresh(*self.changed_rows(old, text))
        self.lines = lines
        size = Size(self.scrollable_content_region.width, lines)
        old_size = self.virtual_size
        if size != old_size:
            self.virtual_size = size
            window = self.container_size.height - self.scrollbar_size_horizontal
            if old_size.width == size.width and max(old_size.height, lines) <= window and not self.scroll_y:
                # it fits before and after: the bar looks the same, nothing to scroll
                bar = self.vertical_scrollbar
                bar.set_reactive(ScrollBar.window_virtual_size, lines)
                bar.set_reactive(ScrollBar.window_size, window)
            else:
                self._scroll_update(size)  # the scrollbar and the scroll limits

    def changed_rows(self, old: Text | None, new: Text) -> list[Region]:
        """The rows on screen whose line differs between the two drawings (every
        row when there was none)."""
        width = self.size.width
        if old is None or not width:
            return []  # refresh() with no region: all of it
        before = old.split("\n", allow_blank=True)
        after = new.split("\n", allow_blank=True)
        top = self.scroll_offset.y
        rows: list[Region] = []
        for index in range(max(len(before), len(after))):
            a = before[index] if index < len(before) else None
            b = after[index] if index < len(after) else None
            if a is None or b is None or a.plain != b.plain or a.spans != b.spans:
                y = index - top
                if 0 <= y < self.size.height:
                    rows.append(Region(0, y, width, 1))
        return rows or [Region(0, 0, width, 1)]

    def on_resize(self) -> None:
        self.drawn = None
        self.redraw()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.lines

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.strips = None  # a new theme: the lines are drawn again in its colours

    def render_line(self, y: int) -> Strip:
        strips = self.strips
        if strips is None:
            strips = self.strips = self._build_strips()
        y += self.scroll_offset.y
        if y < len(strips):
            return strips[y]
        return self.blank

    def _build_strips(self) -> list[Strip]:
        """Every line once per change, already cut to the panel's width: render_line is
        called for every line of every frame and then only indexes."""
        width = self.scrollable_content_region.width
        style = self.rich_style
        console = self.app.console
        cache = self.line_cache
        if len(cache) > 512:
            cache.clear()
        strips: list[Strip] = []
        for line in (self.drawn or Text()).split("\n", allow_blank=True):
            # most lines (a member's row, an item count) are the same as last time
            key = (line.plain, tuple(line.spans), style, width)
            strip = cache.get(key)
            if strip is None:
                # every segment gets the panel's style under its own (NO_COLOR's filter
                # needs a style on each)
                segments = Segment.apply_style(line.render(console), style)
                strip = cache[key] = Strip(segments, line.cell_len).crop_extend(0, width, style)
            strips.append(strip)
        self.blank = Strip.blank(width, style)
        return strips
