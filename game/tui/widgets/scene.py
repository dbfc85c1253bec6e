"""The scene: a header line (place, day and time), then what just happened (the choice
taken, echoed, and its events), then the scene's text; scrolls when long."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

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
    out.append(f"  ·  Day {state.day}, {state.time_of_day}")
    return out


def scene_body(story: Story, state: GameState, label: str | None, events: Iterable[Event]) -> Text:
    out = Text()
    if label:
        out.append_text(styled(f"» {label}", "italic dim"))
        out.append("\n")
    shown = False
    for event in events:
        if event.visible and event.text:
            out.append("  • ", "dim")
            out.append_text(styled(event.text, "dim" if event.kind == "item" else ""))
            out.append("\n")
            shown = True
    if label or shown:
        out.append("\n")
    out.append_text(paragraphs(rules.scene_text(story, state)))
    return out


class SceneHeader(Widget):
    """One line, fixed height: redrawn without a new layout."""

    line = Text()

    def show(self, story: Story, state: GameState) -> None:
        self.line = header_line(story, state)
        self.refresh()

    def render(self) -> Text:
        return self.line


class SceneView(VerticalScroll, can_focus=False):
    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="scene-text")

    def show(self, story: Story, state: GameState, label: str | None, events: Iterable[Event]) -> None:
        self.query_one("#scene-text", Static).update(scene_body(story, state, label, events))
        self.scroll_home(animate=False)
