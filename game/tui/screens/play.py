"""The play screen: the scene and the choices on the left, the party (and the map)
on the right. It keeps no state of its own: it asks for a choice by posting a message,
and redraws from the session's change notification."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll

from ...engine.state import GameState
from ..messages import ChoiceRequested, UndoRequested
from ..widgets.choices import ChoiceList
from ..widgets.keybar import KeyBar
from ..widgets.map import MapPanel
from ..widgets.party import PartyPanel
from ..widgets.rows import PlainRows
from ..widgets.scene import SceneHeader, SceneView
from .base import HyosanScreen

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...engine.model import Story
    from ...session import Change, Session


# the map's rules, read on the first `m` (add_maps): parsing and matching them was part
# of every first screen, for a map most runs open late or never
MAP_CSS = os.path.abspath(Path(__file__).parent.parent / "widgets" / "map.tcss")  # as Stylesheet.read keys it


class SideColumn(PlainRows, VerticalScroll, can_focus=False):
    """The side column (the party, and the map beside it from 120x34 with `m`): its own
    rows are only its left border and padding under the party, made once and kept
    (widgets/rows.py) rather than walked through Textual's styles cache in every frame
    that repaints beside it (28 rows of the first screen's frame at 100x30)."""


class PlayScreen(PlainRows, HyosanScreen):
    """(PlainRows: the screen's own rows, its background under the widgets, made once
    and kept rather than walked through the styles cache in every frame.)"""

    BINDINGS = [
        *(Binding(str(n), f"choose({n - 1})", f"Choice {n}", show=False) for n in range(1, 10)),
        Binding("u", "undo", "Undo"),
        Binding("m", "toggle_map", "Map"),
        Binding("s", "app.save", "Save"),
        Binding("l", "app.load", "Load"),
        Binding("question_mark", "app.help", "Help"),
        # the choices keep the focus, so the scene scrolls from the keyboard here
        Binding("pageup", "scroll_scene(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_scene(1)", "Scroll down", show=False, priority=True),
        Binding("q", "app.quit_confirm", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        # No row and column containers (issue 15): the header, the key line and the
        # side column are `split` off the screen's edges (app.tcss), in this order, and
        # the scene and the choices fill what is left; every container is a widget the
        # compositor renders and cuts under each repaint, and styles on the first screen
        yield SceneHeader(id="scene-header")
        yield KeyBar()
        # scrolls when a big party, hunger bars and the inventory outgrow 80x24
        with SideColumn(id="side"):
            yield PartyPanel(id="party")
        yield SceneView(id="scene")
        # at smaller sizes the map takes the scene's place while it is shown (in a box
        # of its own between the scene and the choices); the map panels and that box are
        # made on the first `m` (`add_maps`): composing and styling them was part of
        # every first screen, for a map most runs open late or never
        yield ChoiceList(id="choices")

    def add_maps(self) -> None:
        """Mount the two map panels (the story column's, the side's) once, drawn
        from the current state before they are first shown."""
        if self.query(".map"):
            return
        stylesheet = self.app.stylesheet
        if not stylesheet.has_source(MAP_CSS):
            # as Textual reads a screen's CSS_PATH: once, then every node restyled
            stylesheet.read(MAP_CSS)
            self.app.refresh_css(animate=False)
        main = MapPanel(id="map-main", classes="map")
        side = MapPanel(id="map-side", classes="map")
        box = VerticalScroll(main, id="map-main-box", can_focus=False)
        self.mount(box, before=self.query_one("#choices", ChoiceList))
        self.query_one("#side", VerticalScroll).mount(side)
        session = self.hyosan.session
        if session is not None:
            trail = session.history.trail(session.state)
            for panel in (main, side):
                panel.show(session.story, session.state, trail)

    _stop: Callable[[], None] | None = None

    def on_mount(self) -> None:
        if self.hyosan.map_shown:
            self.add_maps()
        self.set_class(self.hyosan.map_shown, "-map")
        session = self.hyosan.session
        if session is not None:
            self._stop = session.subscribe(self.session_changed)
        self.redraw()

    def on_resize(self) -> None:
        # the choices' least height follows the column's, whose new size is known once
        # this resize has been laid out
        self.call_after_refresh(self.query_one("#choices", ChoiceList).fit)

    def on_unmount(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None

    def session_changed(self, change: Change) -> None:
        self.redraw()

    def redraw(self) -> None:
        session = self.hyosan.session
        if session is None:
            return
        with self.app.batch_update():  # one frame for the whole new scene
            self._redraw(session, session.story, session.state)

    def _redraw(self, session: Session, story: Story, state: GameState) -> None:
        self.query_one("#scene-header", SceneHeader).show(story, state)
        scene = self.query_one("#scene", SceneView)
        scene.show(story, state, session.last_label, session.last_events, self.hyosan.notice)
        choices = self.query_one("#choices", ChoiceList)
        choices.show(session.choices())
        if self.focused is not choices:
            choices.focus()
        before = session.history[-1] if session.history and session.last_label else None
        self.query_one("#party", PartyPanel).show(story, state, before)
        maps = list(self.query(".map").results(MapPanel))  # none before the first `m`
        if maps:
            trail = session.history.trail(state)  # trail_of(story, [*session.history, state])
            for panel in maps:
                panel.show(story, state, trail)

    def action_scroll_scene(self, direction: int) -> None:
        box = next(iter(self.query("#map-main-box").results(VerticalScroll)), None)
        if box is not None and box.display:  # the map stands in for the scene: PgUp/PgDn scroll it
            box.scroll_relative(y=direction * max(1, box.scrollable_content_region.height - 2), animate=False)
            return
        scene = self.query_one("#scene", SceneView)
        step = max(1, scene.scrollable_content_region.height - 2)
        scene.scroll_relative(y=direction * step, animate=False)

    def action_choose(self, index: int) -> None:
        self.post_message(ChoiceRequested(index))

    def action_undo(self) -> None:
        self.post_message(UndoRequested())

    @on(ChoiceList.Selected, "#choices")
    def picked(self, event: ChoiceList.Selected) -> None:
        event.stop()
        self.post_message(ChoiceRequested(event.index))

    def action_toggle_map(self) -> None:
        self.hyosan.map_shown = not self.hyosan.map_shown
        if self.hyosan.map_shown:
            self.add_maps()
        self.set_class(self.hyosan.map_shown, "-map")
        for panel in self.query(".map").results(MapPanel):
            panel.refresh(layout=True)
