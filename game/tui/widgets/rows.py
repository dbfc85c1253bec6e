"""Rows for the compositor without Textual's styles cache, for the play screen's widgets
drawn through the line API (the scene, its header, the choices, the scrollbars).

For every row a widget repaints, Textual's `StylesCache.render_line` walks the box model
(borders, outline, padding, hatch, tint, opacity) and builds the row again: ~0.1 ms a row
whatever it holds, and a new scene repaints its 15-25 rows on nearly every key (issue
15). These widgets draw each line once per change and return the same Strip while it is
unchanged, so `PlainRows` keeps each row as the compositor takes it (padded to the box,
through the app's line filters) beside the line it was made from, and makes it again
only when `render_line` returns a different Strip for that row.

Only for a plain box: a left and right padding at most, no top or bottom padding, no
outline, hatch, tint or opacity; a border's left and right edges are added here, its top
and bottom rows (with a title or subtitle) are Textual's. The rows are then the same
segments as the styles cache makes (`tests/tui/test_rows.py`; checked on every row of
480 scenes at four sizes and in a light theme); any other box goes Textual's way.

The party panel is left on the styles cache: with this its lines came out one cell wider
in the snapshots' run (its hunger bar a cell longer), a difference not found before the
deadline, and it repaints only its changed rows anyway."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual._border import get_box
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

if TYPE_CHECKING:
    _Mixin = Widget
else:
    _Mixin = object


class PlainRows(_Mixin):
    """A line-API widget whose rows skip Textual's styles cache (see the module).

    A mixin, not a Widget subclass, listed before the widget's Textual class: Textual
    takes a widget's default CSS and CSS type names through the first base that is a
    DOM node only, so a Widget subclass here would hide ScrollView's (its overflow) and
    ScrollBar's from the widgets that use it."""

    _plain_key: tuple[object, ...] = ()
    # row -> (the line render_line gave, the row made from it)
    _plain_rows: dict[int, tuple[Strip, Strip]] | None = None
    _plain_blank = Strip.blank(0)  # the line of a row below the content area
    _plain_edges: tuple[Segment | None, Segment | None] = (None, None)  # left and right borders
    _plain_lids = (0, 0)  # the first row after a top border, the row of a bottom one
    # a border row -> (the title and subtitle it was made with, the row)
    _plain_lid_rows: dict[int, tuple[object, object, Strip]] = {}

    def render_lines(self, crop: Region) -> list[Strip]:
        styles = self.styles
        top, right, bottom, left = styles.padding
        border = styles.border
        base, back = self.background_colors
        filters = self.app.get_line_filters()
        width, height = self.region.size  # as the styles cache: with padding, border, bar
        content_width, content_height = self.content_region.size
        key = (width, height, content_width, content_height, left, right, border, base, back, *filters)
        rows = self._plain_rows
        if rows is None or key != self._plain_key:
            if (
                top
                or bottom
                or any(edge for edge, _ in styles.outline)
                or styles.tint.a
                or self.opacity != 1.0
                or styles.text_opacity != 1.0
                or (styles.has_rule("hatch") and styles.hatch != "none")
            ):
                self._plain_rows = None
                return super().render_lines(crop)
            rows = self._plain_rows = {}
            self._plain_lid_rows = {}
            self._plain_key = key
            inner, outer = self._styles_cache.get_inner_outer(base, back)
            self._plain_blank = Strip.blank(content_width, inner.rich_style)
            (top_edge, _), (right_edge, right_color), (bottom_edge, _), (left_edge, left_color) = border
            left_box = get_box(left_edge, inner, outer, Style(foreground=base + left_color))
            right_box = get_box(right_edge, inner, outer, Style(foreground=base + right_color))
            self._plain_edges = (
                left_box[1][0] if left_edge else None,
                right_box[1][2] if right_edge else None,
            )
            self._plain_lids = (1 if top_edge else 0, height - 1 if bottom_edge else height)
        inner_style = self._styles_cache.get_inner_outer(base, back)[0].rich_style
        left_cell, right_cell = self._plain_edges
        first, last = self._plain_lids  # the rows between the top and bottom borders
        offset = first
        lids = self._plain_lid_rows
        out: list[Strip] = []
        for y in crop.line_range:
            if not first <= y < last:
                # a top or bottom border (its title or subtitle): made Textual's way, and
                # kept while the title and subtitle are the same objects (setting one
                # makes a new one) and the box is the same (`key`): the styles cache
                # walks the whole box for it again on every call, ~0.085 ms a row
                titles = (self._border_title, self._border_subtitle)
                kept = lids.get(y)
                if kept is None or kept[0] is not titles[0] or kept[1] is not titles[1]:
                    kept = lids[y] = (*titles, super().render_lines(Region(0, y, width, 1))[0])
                out.append(kept[2])
                continue
            line = self.render_line(y - offset) if y - offset < content_height else self._plain_blank
            made = rows.get(y)
            if made is None or made[0] is not line:
                segments = [left_cell] if left_cell is not None else []
                if left:
                    segments.append(Segment(" " * left, inner_style))
                segments.extend(line.adjust_cell_length(content_width, inner_style))
                if right:
                    segments.append(Segment(" " * right, inner_style))
                if right_cell is not None:
                    segments.append(right_cell)
                # the filters on the list itself: `Strip.apply_filter` makes a Strip (and
                # its seven caches) per filter only to keep it in a cache of the Strip
                # made just before it, for a row that is made once
                for line_filter in filters:
                    segments = line_filter.apply(segments, back)
                made = rows[y] = (line, Strip(segments, width))
            out.append(made[1])
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            out = [strip.crop(x1, x2) for strip in out]
        return out

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._plain_rows = None


class OneLine(PlainRows):
    """A widget one line high (the scene's header, the key bar), drawn through the line
    API and kept until its content (`strip = None`), its width or the theme changes.
    `draw(width, style)` makes the line; the cells after it get the background only, as
    Widget.render pads."""

    strip: Strip | None = None  # the line as drawn
    drawn_for = -1  # the width it was drawn for

    def line_width(self) -> int:
        return self.size.width

    def draw(self, width: int, style: RichStyle) -> Strip:
        raise NotImplementedError

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.strip = None  # a new theme or look: the line in its colours

    def render_line(self, y: int) -> Strip:
        width = self.line_width()
        if y != 0:
            return Strip.blank(width, self.rich_style)
        if self.strip is None or width != self.drawn_for:
            style = self.rich_style  # walks every ancestor's styles: only for a new line
            self.strip = self.draw(width, style).crop_extend(0, width, RichStyle(bgcolor=style.bgcolor))
            self.drawn_for = width
        return self.strip
