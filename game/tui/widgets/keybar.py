"""The key bar at the bottom of every screen: the screen's shown bindings (" u Undo  m Map
...") and the command palette's key on the right, as Textual's Footer draws them.

One widget drawing one line. Textual's Footer composes a widget per key (eight on the
play screen, 40% of its widgets), restyles each as it mounts and recomposes them all
when the focus changes: a third of the time to the first screen
(bench/bench_tui.py). A click on a key presses it, as on the Footer.

The line goes to the screen through the line API, made once per set of bindings, width
or theme and kept (as the scene's header: Content's segments under the bar's own
style): drawn as a Rich Text through Textual's renderer it took 2-3 ms of every first
screen, twice before the first frame (issue 15)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from .rows import OneLine


class KeyBar(OneLine, Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--divider"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .keybar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .keybar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .keybar--divider {
        color: $foreground 20%;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[tuple[int, int, str]] = []  # (first cell, end, key) per key shown

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def bindings_changed(self, screen: Screen[object]) -> None:
        self.strip = None
        self.refresh()  # a repaint of one line, not a new set of widgets

    def draw(self, width: int, style: Style) -> Strip:
        left, right, room = self.line()
        # the cells between the keys and the palette's in the background only
        pad = Style(bgcolor=style.bgcolor)
        segments: list[Segment] = []
        for part, gap in ((left, room - left.cell_len), (right, 0)):
            segments.extend(Segment.apply_style(Content.from_rich_text(part).render_segments(), style))
            if gap > 0:
                segments.append(Segment(" " * gap, pad))
        return Strip(segments)

    def line(self) -> tuple[Text, Text, int]:
        """The keys (cut to the room they have), the palette's key, and the room."""
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        dim = Style(dim=True)
        app = self.app
        bindings = self.screen.active_bindings
        left = Text(no_wrap=True, overflow="crop", end="")
        keys: list[tuple[int, int, str]] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in bindings.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)  # one entry per action, as the Footer shows
            start = left.cell_len
            left.append(f" {app.get_key_display(binding)} ", key_style if enabled else key_style + dim)
            left.append(f"{binding.description} ", description_style if enabled else description_style + dim)
            keys.append((start, left.cell_len, binding.key))
        right = Text(no_wrap=True, end="")
        palette = bindings.get(app.COMMAND_PALETTE_BINDING)
        if app.ENABLE_COMMAND_PALETTE and palette is not None:
            right.append("▏", self.get_component_rich_style("keybar--divider"))
            right.append(app.get_key_display(palette.binding), key_style)
            right.append(f" {palette.binding.description} ", description_style)
        width = self.size.width
        room = max(0, width - right.cell_len)
        left.truncate(room, overflow="crop")
        spans = [(start, min(end, room), key) for start, end, key in keys if start < room]
        if palette is not None and right.cell_len:
            spans.append((room, width, palette.binding.key))
        self.spans = spans
        return left, right, room

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self.spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
