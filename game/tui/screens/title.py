"""The title screen: New game, Continue, Load, Replay a run, Quit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..text import clean
from ..widgets.keybar import KeyBar
from .base import HyosanScreen

if TYPE_CHECKING:
    pass

MENU = [
    ("new", "New game"),
    ("continue", "Continue"),
    ("load", "Load"),
    ("replay", "Replay a run"),
    ("endings", "Endings"),
    ("quit", "Quit"),
]


class TitleScreen(HyosanScreen):
    CSS_PATH = "title.tcss"
    BINDINGS = [
        Binding("n", "menu('new')", "New game"),
        Binding("c", "menu('continue')", "Continue"),
        Binding("l", "menu('load')", "Load"),
        Binding("r", "menu('replay')", "Replay"),
        Binding("e", "menu('endings')", "Endings"),
        Binding("q", "menu('quit')", "Quit"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def compose(self) -> ComposeResult:
        story = self.hyosan.story
        with Vertical(id="title-box"):
            yield Static(Text(clean(story.title).upper(), "bold"), id="title-name")
            tagline = Text("Every loss is your doing, not the dice's alone.", "italic")
            yield Static(tagline, id="title-tagline")
            has_autosave = self.hyosan.autosave_path() is not None
            yield OptionList(
                *(
                    Option(label, id=key, disabled=key == "continue" and not has_autosave)
                    for key, label in MENU
                ),
                id="title-menu",
            )
        yield KeyBar()

    @on(OptionList.OptionSelected, "#title-menu")
    def picked(self, event: OptionList.OptionSelected) -> None:
        self.action_menu(event.option.id or "")

    def action_menu(self, key: str) -> None:
        app = self.hyosan
        if key == "new":
            app.action_new_game()
        elif key == "continue":
            app.action_continue()
        elif key == "load":
            app.action_load()
        elif key == "replay":
            app.action_replay_pick()
        elif key == "endings":
            app.action_endings()
        elif key == "quit":
            app.action_quit_confirm()
