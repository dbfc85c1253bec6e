"""Replay mode: a saved run plays itself, the choice taken highlighted at each step.
Space pauses, left/right step, +/- change the speed, `t` takes over as a new run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Static

from ...engine import rules
from ...engine.saves import Replay, Run
from ..widgets.choices import ChoiceList
from ..widgets.keybar import KeyBar
from ..widgets.party import PartyPanel
from ..widgets.scene import SceneHeader, SceneView
from .base import HyosanScreen

if TYPE_CHECKING:
    pass

SPEEDS = (4.0, 2.0, 1.0, 0.5, 0.25, 0.1)  # seconds per step
DEFAULT_SPEED = 2


class ReplayScreen(HyosanScreen):
    CSS_PATH = "replay.tcss"
    BINDINGS = [
        Binding("space", "pause", "Pause/go"),
        Binding("left", "step(-1)", "Back"),
        Binding("right", "step(1)", "Forward"),
        Binding("plus,equals_sign", "speed(1)", "Faster"),
        Binding("minus", "speed(-1)", "Slower"),
        Binding("t", "take_over", "Take over"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit_confirm", "Quit"),
    ]

    def __init__(self, run: Run, result: Replay) -> None:
        super().__init__()
        self.run = run
        self.result = result
        self.index = 0
        self.paused = False
        self.speed = DEFAULT_SPEED
        self.timer: Timer | None = None

    @property
    def last(self) -> int:
        return len(self.result.states) - 1

    def compose(self) -> ComposeResult:
        yield SceneHeader(id="scene-header")
        with Horizontal(id="play-body"):
            with Vertical(id="story-column"):
                yield SceneView(id="scene")
                yield ChoiceList(id="choices", disabled=True)
            with Vertical(id="side"):
                yield PartyPanel(id="party")
        yield Static(id="replay-status")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.result.divergence:
            self.notify(self.result.divergence, title="The story changed", severity="warning", timeout=8)
        self.timer = self.set_interval(SPEEDS[self.speed], self.tick)
        self.redraw()

    def tick(self) -> None:
        if self.paused:
            return
        if self.index < self.last:
            self.index += 1
            self.redraw()
        else:
            self.paused = True
            self.redraw()

    def redraw(self) -> None:
        story = self.hyosan.story
        state = self.result.states[self.index]
        steps = self.run.steps
        ids = self.result.choice_ids  # the current story's ids (renames applied)
        taken = ids[self.index] if self.index < len(ids) else None
        label = steps[self.index - 1].label if self.index > 0 else None
        events = self.result.events[self.index] if self.index < len(self.result.events) else []
        self.query_one("#scene-header", SceneHeader).show(story, state)
        self.query_one("#scene", SceneView).show(story, state, label, events)
        self.query_one("#choices", ChoiceList).show(rules.choices(story, state), taken)
        self.query_one("#party", PartyPanel).show(story, state)
        self.query_one("#replay-status", Static).update(self.status_line())

    def status_line(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(" REPLAY ", "bold reverse")
        out.append(f" step {self.index}/{self.last}  ")
        at_end = self.index >= self.last
        out.append("end of run" if at_end else ("paused" if self.paused else "playing"), "bold")
        out.append(f"  ·  {SPEEDS[self.speed]:g} s a step")
        if self.result.divergence and at_end:
            out.append(f"  ·  stopped: {self.result.divergence}", "yellow")
        return out

    def action_pause(self) -> None:
        self.paused = not self.paused
        self.redraw()

    def action_step(self, delta: int) -> None:
        self.paused = True
        self.index = max(0, min(self.last, self.index + delta))
        self.redraw()

    def action_speed(self, delta: int) -> None:
        self.speed = max(0, min(len(SPEEDS) - 1, self.speed + delta))
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.set_interval(SPEEDS[self.speed], self.tick)
        self.redraw()

    def action_take_over(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        self.hyosan.take_over(self.run, self.result, self.index)
