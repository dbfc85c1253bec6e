"""The ending screen: the ending's title and text, each member's fate (from
`rules.fates`), survivors (from `rules.survivors`) against the story's baseline, the
run's length, and what to do next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...engine import rules
from ...engine.model import Story
from ...engine.state import GameState
from ...profile import RunResult
from ..text import clean, clean_name, paragraphs, styled
from ..widgets.keybar import KeyBar
from ..widgets.party import BADGE_STYLE
from .base import HyosanScreen

if TYPE_CHECKING:
    pass


def compared(story: Story, result: RunResult | None, count: int) -> Text:
    """This run against the player's best and the canon's six."""
    out = Text()
    if result is None:
        return out
    if result.best_before < 0:
        out.append("Your first ending.", "bold")
    elif count > result.best_before:
        out.append(f"A new best: {count}, beating your {result.best_before}.", "bold green")
    elif count == result.best_before:
        out.append(f"As many as your best, {result.best_before}.", "bold")
    else:
        out.append(f"Your best is still {result.best_before}.", "bold")
    out.append(f"  Runs finished: {result.runs}.")
    if result.new_ending:
        out.append("\nA new ending for your list (title screen: Endings).", "green")
    if result.new_fates:
        out.append(f"\nFirst seen: {', '.join(clean_name(f) for f in result.new_fates[:4])}", "dim")
        if len(result.new_fates) > 4:
            out.append(f" and {len(result.new_fates) - 4} more", "dim")
    out.append("\n")
    return out


def ending_text(story: Story, state: GameState, result: RunResult | None = None) -> Text:
    """The title, then how the run did (first, so it shows at 80x24 without scrolling),
    then the ending's text and each member's fate."""
    end = rules.ending(story, state)
    out = Text()
    out.append(clean(end.title if end else "The end"), "bold underline")
    out.append("\n")
    count = len(rules.survivors(story, state))
    line = rules.survivors_line(story, state)
    cut = min((i for i in (line.find(", "), line.find("; ")) if i >= 0), default=len(line))
    out.append(line[:cut], "bold")  # "Survivors: you and 6 friends" or "Survivors: you did not make it"
    out.append(f"{line[cut:]}\n")
    out.append_text(compared(story, result, count))
    start = story.clock_start
    minutes = max(0, state.clock - start)
    out.append(f"The run: {state.turn} choices, {minutes // 60} h {minutes % 60:02d} min of story time ")
    out.append(f"(day {state.day}, {state.time_of_day}).", "dim")
    out.append("\n\n")
    out.append_text(paragraphs(rules.scene_text(story, state)))
    out.append("\n\n")
    for fate in rules.fates(story, state):
        out.append(f" {fate.status:^9} ", BADGE_STYLE.get(fate.status, ""))
        out.append(" ")
        out.append_text(styled(fate.line))
        out.append("\n")
    return out


class EndingScreen(HyosanScreen):
    CSS_PATH = "ending.tcss"
    BINDINGS = [
        Binding("s", "app.save", "Save this run"),
        Binding("n", "app.new_game", "New game"),
        Binding("r", "app.replay_this_run", "Replay this run"),
        Binding("u", "app.undo", "Undo"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit_confirm", "Quit"),
        Binding("pageup", "scroll_body(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_body(1)", "Scroll down", show=False, priority=True),
    ]

    def action_scroll_body(self, direction: int) -> None:
        body = self.query_one("#ending-body", VerticalScroll)
        body.scroll_relative(y=direction * max(1, body.scrollable_content_region.height - 2), animate=False)

    def compose(self) -> ComposeResult:
        session = self.hyosan.session
        assert session is not None
        with VerticalScroll(id="ending-body"):
            yield Static(ending_text(session.story, session.state, self.hyosan.last_result), id="ending-text")
        yield OptionList(
            Option("Replay this run", id="replay"),
            Option("New game", id="new"),
            Option("Save this run", id="save"),
            Option("Quit", id="quit"),
            id="ending-menu",
        )
        yield KeyBar()

    @on(OptionList.OptionSelected, "#ending-menu")
    def picked(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id
        if key == "save":
            self.hyosan.action_save()
        elif key == "replay":
            self.hyosan.action_replay_this_run()
        elif key == "new":
            self.hyosan.action_new_game()
        else:
            self.hyosan.action_quit_confirm()
