"""Modal questions: each is a ModalScreen[T] that answers with `dismiss(value)`."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...engine.model import Story
from ...engine.saves import SaveError, SaveInfo, check_slot_name
from ...plain import place_of
from ..text import clean_name

NAME_LIMIT = 40


class NameScreen(ModalScreen[str | None]):
    """New game: the player's name, with the story's default."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("What is your name?", classes="dialog-title")
            yield Input(value=self.default, placeholder=self.default, max_length=NAME_LIMIT, id="name")
            yield Label("Enter to start, Escape to go back.", classes="hint")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(clean_name(event.value) or self.default)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SaveScreen(ModalScreen[str | None]):
    """A slot name, checked by the saves module before the dialog closes."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggestion: str = "") -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Save to slot", classes="dialog-title")
            yield Input(value=self.suggestion, placeholder="slot name", id="slot")
            yield Label("", id="slot-error", classes="error")
            yield Label("Enter to save, Escape to cancel.", classes="hint")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        try:
            slot = check_slot_name(event.value.strip())
        except SaveError as exc:
            self.query_one("#slot-error", Label).update(Text(str(exc)))
            return
        self.dismiss(slot)

    def action_cancel(self) -> None:
        self.dismiss(None)


def save_row(info: SaveInfo, story: Story | None = None) -> Text:
    """Two lines: the slot and how it stands, then what is in it (the place, not the
    scene's id)."""
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(clean_name(info.slot), "bold")
    if info.status == "damaged":
        out.append("  damaged", "bold red")
        error = info.error or ""
        # the list already names the file: keep the reason, not the folder's path
        for prefix in (f"{info.path}:", f"{info.path.name}:"):
            if error.startswith(prefix):
                error = error[len(prefix) :].lstrip(" 0123456789:")
        out.append(f"\n  {clean_name(error)}", "dim")
        return out
    if info.outcome:
        out.append(f"  ended: {clean_name(info.outcome)}", "italic")
    if info.status != "ok":
        out.append(f"  ({info.status})", "yellow")
    out.append(f"\n  {clean_name(info.player)}", "")
    where = info.place or place_of(story, info.scene)
    out.append(f" · {clean_name(where)} · day {info.day} {info.time}", "dim")
    out.append(f" · {info.alive}/{info.total} alive", "dim")
    out.append(f" · {info.updated[:16].replace('T', ' ')}", "dim")
    return out


class LoadScreen(ModalScreen[Path | None]):
    """The saves, newest first; a damaged one is listed (and cannot be picked)."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, saves: list[SaveInfo], title: str = "Load a run", story: Story | None = None) -> None:
        super().__init__()
        self.saves = saves
        self.story = story
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.heading, classes="dialog-title")
            if self.saves:
                yield OptionList(
                    *(
                        Option(save_row(info, self.story), id=str(i), disabled=info.status == "damaged")
                        for i, info in enumerate(self.saves)
                    ),
                    id="saves",
                )
            else:
                yield Label("No saves yet.", id="no-saves")
            yield Label("Enter to open, Escape to go back.", classes="hint")

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.saves[int(event.option.id or 0)].path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question before anything would discard a run."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "Keep it") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(clean_name(self.question)), classes="dialog-title question")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button(f"{self.no} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # the safe answer is the default

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class QuitScreen(ModalScreen[bool]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y,q", "answer(True)", "Quit"),
        Binding("n,escape", "answer(False)", "Stay"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Quit Hyosan? Your run is autosaved.", classes="dialog-title")
            with Horizontal(classes="buttons"):
                yield Button("Quit (y)", id="yes", variant="error")
                yield Button("Stay (n)", id="no", variant="primary")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


HELP = """\
[b]Playing[/b]
  1-9            take that choice at once
  ↑ ↓  Enter     move through the choices and take one
  PgUp PgDn      scroll a long scene (the mouse wheel works too)
  u              undo the last choice (the exact state, dice included)
  m              show or hide the map
  s              save to a named slot
  l              load a saved run
  ?              this help
  q              quit (asks first)
  ctrl+t         light or dark theme
  ctrl+p         command palette (every command above)

[b]Replaying a run[/b]
  space          pause or go on
  ← →            step back and forward
  + -            faster, slower
  t              take over: play on from here as a new run

Locked choices are dimmed, with what they need. The game saves itself after every choice."""


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Keys", classes="dialog-title")
            yield Static(HELP, id="help-text")
            yield Label("Escape to close.", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)


class TooSmallScreen(ModalScreen[None]):
    """Shown while the terminal is below the minimum size; removed when it grows."""

    CSS_PATH = "dialogs.tcss"

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small")

    def on_mount(self) -> None:
        self.update_size(*self.app.size)

    def on_resize(self, event: Resize) -> None:
        self.update_size(event.size.width, event.size.height)

    def update_size(self, width: int, height: int) -> None:
        from .. import MIN_HEIGHT, MIN_WIDTH

        self.query_one("#too-small", Static).update(
            Text(f"Terminal too small (need {MIN_WIDTH}x{MIN_HEIGHT}, have {width}x{height}).", "bold")
        )
