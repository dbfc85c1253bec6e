"""The scene: a header line (place, day and time), then what just happened (the choice
taken, echoed, and its events), then the scene's text; scrolls when long."""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from ...engine import rules
from ...engine.model import Story
from ...engine.state import Event, GameState
from ..text import clean, paragraphs, styled


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


class SceneHeader(Widget):
    """One line, fixed height: redrawn without a new layout, and only when it changed."""

    line = Text()

    def show(self, story: Story, state: GameState) -> None:
        line = header_line(story, state)
        if line != self.line:
            self.line = line
            self.refresh()

    def render(self) -> Text:
        return self.line


class SceneView(ScrollView, can_focus=False):
    """The scene's text through Textual's line API: wrapped once per new scene (or new
    width) into Strips that render_line only indexes. A Static here re-wrapped its text
    and relaid out the whole screen on every update: the largest part of a keypress
    after the choices (bench/bench_tui.py).

    Its vertical scrollbar is always there (`overflow-y: scroll` in app.tcss) and a new
    text's length is set without the layout that `virtual_size` asks for: a scene that
    fits after one that did not (or the reverse) no longer lays out the whole screen to
    show or hide the bar; only the bar's thumb is redrawn."""

    text = Text()
    lines: list[Content] | None = None  # the text wrapped at `wrapped_for` columns
    strips: list[Strip | None] = []  # each line's Strip, made when first drawn
    blank = Strip.blank(0)
    wrapped_for = -1

    def show(
        self,
        story: Story,
        state: GameState,
        label: str | None,
        events: Iterable[Event],
        notice: str | None = None,
    ) -> None:
        self.text = scene_body(story, state, label, events, notice)
        self.lines = None
        self.rewrap()
        self.scroll_home(animate=False)
        self.refresh()

    def rewrap(self) -> None:
        """Wrap the text (its length sets the scroll range); the lines become Strips
        only when drawn: a long scene's lines below the view cost nothing until the
        player scrolls to them (turning lines into Strips was half of a redraw).

        Through Textual's Content rather than Rich's Text: the same lines (checked on
        1,920 scene texts at four widths), rendered in less than half the time."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        self.lines = Content.from_rich_text(self.text).wrap(width, overflow="fold")
        self.strips = [None] * len(self.lines)
        self.wrapped_for = width
        self.blank = Strip.blank(width, self.rich_style)
        size = Size(width, len(self.lines))
        if size != self.virtual_size:
            # the widget's own size does not follow its text: no layout, only the
            # scrollbar's thumb and the scroll limits
            self.set_reactive(SceneView.virtual_size, size)
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
            style = self.rich_style
            segments = Segment.apply_style(line.render_segments(), style)
            strip = Strip(segments, line.cell_length).crop_extend(0, self.wrapped_for, style)
            self.strips[index] = strip
        return strip
