"""Messages from the TUI's screens to the App, which asks the session: screens never
change the run themselves, and redraw from the session's change notification."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ChoiceRequested(Message):
    """The player picked the choice at `index` (0-based, as `Session.choices()` lists)."""

    index: int


@dataclass
class UndoRequested(Message):
    """Back one choice."""


@dataclass
class StoryReloaded(Message):
    """`--watch` found an edited story and replayed the run onto it."""

    divergence: str | None
