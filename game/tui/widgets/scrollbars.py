"""Vertical scrollbars drawn through the line API, for the play screen's scrolling
widgets (the scene, the choices, the party).

Textual's ScrollBar draws a Rich renderable (ScrollBarRender) through Rich's console on
every repaint: about 1.5 ms for a 20-row bar, and the scene's bar repaints on almost
every key (a new scene has a new length). `LineScrollBar` asks the same
`ScrollBarRender.render_bar` for the same segments (same glyphs, colours and mouse
actions) and turns each row into a Strip once per change.

Its `virtual_size` also asks for no layout: Widget's reactive does, so every layout that
resized a scrolling widget (the choice box growing by a line, the scene shrinking under
it) resized its bar, whose new virtual size asked for a second layout of the screen."""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

from .rows import PlainRows


class LineScrollBar(PlainRows, ScrollBar):
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    strips: list[Strip] | None = None  # as drawn last (or about to be)

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> LineScrollBar:
        """A new position, length, hover or theme: only the rows whose cell changes are
        repainted (each row of a widget costs Textual ~0.1 ms to repaint, whatever it
        holds; a thumb that moves by a row changes two of twenty)."""
        if repaint and not regions and not layout and not recompose and self.vertical:
            old = self.strips
            width, height = self.size
            if old is not None and len(old) == height and self.is_mounted and height > 0:
                new = self.build(width, height)
                self.strips = new
                rows = [
                    Region(0, y, width, 1)
                    for y, (a, b) in enumerate(zip(old, new, strict=True))
                    if a is not b
                ]
                if rows:
                    super().refresh(*rows)
                return self
        if repaint:
            self.strips = None
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self

    def notify_style_update(self) -> None:
        self.strips = None
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        if not self.vertical:
            return super().render_line(y)
        width, height = self.size
        strips = self.strips
        if strips is None or len(strips) != height or (strips and strips[0].cell_length != width):
            strips = self.strips = self.build(width, height)
        return strips[y] if 0 <= y < len(strips) else Strip.blank(width)

    def build(self, width: int, height: int) -> list[Strip]:
        """One Strip per row; rows with the same segment share one Strip, so an
        unchanged row is the same object as before."""
        bar = self.render()  # the style and figures, as ScrollBar draws them
        if not isinstance(bar, ScrollBarRender) or height <= 0 or width <= 0:
            # the screen hides scrollbars (a transparent colour): draw it Textual's way
            return [super(LineScrollBar, self).render_line(y) for y in range(max(0, height))]
        style = bar.style if not isinstance(bar.style, str) else None
        back = (style.bgcolor if style else None) or Color.parse("#555555")
        color = (style.color if style else None) or Color.parse("bright_magenta")
        segments = bar.render_bar(
            size=height,
            virtual_size=bar.virtual_size,
            window_size=bar.window_size,
            position=bar.position,
            thickness=width,
            vertical=True,
            back_color=back,
            bar_color=color,
        ).segments
        known = self.known
        if len(known) > 64:
            known.clear()
        out = []
        for segment in segments[:height]:
            strip = known.get(segment)
            if strip is None:
                strip = known[segment] = Strip([segment], width)
            out.append(strip)
        return out

    @property
    def known(self) -> dict[Segment, Strip]:
        try:
            return self._known
        except AttributeError:
            self._known: dict[Segment, Strip] = {}
            return self._known


def line_scrollbar(widget: Widget) -> ScrollBar:
    """The widget's vertical scrollbar, made a LineScrollBar: a widget's
    `vertical_scrollbar` property returns this (Textual makes the bar on first use)."""
    if widget._vertical_scrollbar is None:
        bar = LineScrollBar(vertical=True, name="vertical", thickness=widget.scrollbar_size_vertical)
        bar.display = False
        widget._vertical_scrollbar = bar
        widget.app._start_widget(widget, bar)
    return widget._vertical_scrollbar
