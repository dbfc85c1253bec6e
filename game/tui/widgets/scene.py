"""The scene: a header line (place, day and time), then what just happened (the choice
taken, echoed, and its events), then the scene's text; scrolls when long."""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget

from ...engine import rules
from ...engine.model import Story
from ...engine.state import Event, GameState
from ..text import clean, paragraphs, styled, wrap
from .rows import OneLine, PlainRows
from .scrollbars import line_scrollbar


def header_line(story: Story, state: GameState) -> Text:
    where = rules.location(story, state)
    location = story.locations.get(where)
    place = location.name if location else (where or state.scene)
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(clean(place), "bold")
    clock = rules.clock_label(story, state)  # the scene's `clock:` mode may hide the hour
    if clock:
        out.append(f"  ·  {clock}")
    return out


def scene_body(
    story: Story, state: GameState, label: str | None, events: Iterable[Event], notice: str | None = None
) -> Text:
    out = Text()
    if notice:
        out.append_text(styled(f"! {' '.join(notice.split())}", "bold yellow"))
        out.append("\n\n")
    if label:
        out.append_text(styled(f"» {label}", "italic dim"))
        out.append("\n")
    shown = False
    for event in events:
        if event.visible and event.text:
            out.append("  • ", "dim")
            # reflowed like the scene: the YAML's line breaks are not the screen's
            out.append_text(styled(" ".join(event.text.split()), "dim" if event.kind == "item" else ""))
            out.append("\n")
            shown = True
    if label or shown:
        out.append("\n")
    out.append_text(paragraphs(rules.scene_text(story, state)))
    return out


class SceneHeader(OneLine, Widget):
    """One line, fixed height: redrawn without a new layout, only when it changed, and
    only over the cells that changed. The header spans the screen, and a repaint of
    all of it made every update after a choice (the clock moves with nearly every one)
    as wide as the screen: the compositor renders the rectangle around everything that
    changed, so the party panel, unchanged, was cut and redrawn on every key. Marking
    only the header's text cells keeps that rectangle over the story column."""

    line = Text()

    def show(self, story: Story, state: GameState) -> None:
        line = header_line(story, state)
        if line == self.line:
            return
        cells = max(line.cell_len, self.line.cell_len)
        self.line = line
        self.strip = None
        if self.drawn_for < 0 or cells >= self.drawn_for - 1:
            self.refresh()  # never drawn, or up to the edge: the ellipsis may move
        else:
            self.refresh(Region(0, 0, cells, 1))

    def line_width(self) -> int:
        return self.content_region.width

    def draw(self, width: int, style: Style) -> Strip:
        # through Content, as the scene: Rich's renderer took ~0.5 ms for this line
        line = Content.from_rich_text(self.line).truncate(max(1, width), ellipsis=True)
        return Strip(Segment.apply_style(line.render_segments(), style), line.cell_length)


class SceneView(PlainRows, ScrollView, can_focus=False):
    """The scene's text through Textual's line API: wrapped once per new scene (or new
    width) into Strips that render_line only indexes. A Static here re-wrapped its text
    and relaid out the whole screen on every update: the largest part of a keypress
    after the choices (bench/bench_tui.py).

    Its vertical scrollbar is always there (`overflow-y: scroll` in app.tcss) and a new
    text's length is set without the layout that `virtual_size` asks for: a scene that
    fits after one that did not (or the reverse) no longer lays out the whole screen to
    show or hide the bar; only the bar's thumb is redrawn."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        return line_scrollbar(self)  # drawn through the line API (widgets/scrollbars.py)

    text = Text()
    lines: list[Content] | None = None  # the text wrapped at `wrapped_for` columns
    strips: list[Strip | None] = []  # each line's Strip, made when first drawn
    blank = Strip.blank(0)
    line_style = Style()
    wrapped_for = -1

    def show(
        self,
        story: Story,
        state: GameState,
        label: str | None,
        events: Iterable[Event],
        notice: str | None = None,
    ) -> None:
        old_rows = len(self.lines) if self.lines is not None and not self.scroll_y else -1
        self.text = scene_body(story, state, label, events, notice)
        self.lines = None
        self.rewrap()
        self.scroll_home(animate=False)
        content = self.scrollable_content_region
        if old_rows < 0 or self.lines is None or self.scroll_y:
            self.refresh()
        else:
            # the rows the old or the new text covers: blank rows under both are the same
            rows = min(content.height, max(old_rows, len(self.lines)))
            if rows > 0:
                self.refresh(Region(0, 0, content.width, rows))

    def rewrap(self) -> None:
        """Wrap the text (its length sets the scroll range); the lines become Strips
        only when drawn: a long scene's lines below the view cost nothing until the
        player scrolls to them (turning lines into Strips was half of a redraw).

        Through Textual's Content rather than Rich's Text: the same lines (checked on
        1,920 scene texts at four widths), rendered in less than half the time; wrapped
        by `text.wrap`, Content's own lines in half its time."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        self.lines = wrap(Content.from_rich_text(self.text), width)
        self.strips = [None] * len(self.lines)
        self.wrapped_for = width
        # the style walks every ancestor's styles: once per wrap, not once per line
        self.line_style = self.rich_style
        self.blank = Strip.blank(width, self.line_style)
        size = Size(width, len(self.lines))
        old = self.virtual_size
        if size != old:
            # the widget's own size does not follow its text: no layout, only the
            # scrollbar's thumb and the scroll limits
            self.set_reactive(SceneView.virtual_size, size)
            window = self.container_size.height - self.scrollbar_size_horizontal
            if old.width == width and old.height <= window and size.height <= window and not self.scroll_y:
                # it fits before and after: the bar shows no thumb either time and there
                # is nothing to scroll, so its repaint (a Rich renderable redrawn in full,
                # ~2 ms a key) is skipped; its figures are kept for the next long scene
                bar = self.vertical_scrollbar
                bar.set_reactive(ScrollBar.window_virtual_size, size.height)
                bar.set_reactive(ScrollBar.window_size, window)
            else:
                self._scroll_update(size)

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self.wrapped_for:
            self.rewrap()
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.lines = None  # a new theme: wrap again in its colours

    def render_line(self, y: int) -> Strip:
        if self.lines is None or self.scrollable_content_region.width != self.wrapped_for:
            self.rewrap()
        lines = self.lines
        index = y + self.scroll_offset.y
        if lines is None or not 0 <= index < len(lines):
            return self.blank
        strip = self.strips[index]
        if strip is None:
            line = lines[index]
            style = self.line_style
            segments = Segment.apply_style(line.render_segments(), style)
            strip = Strip(segments, line.cell_length).crop_extend(0, self.wrapped_for, style)
            self.strips[index] = strip
        return strip
