"""Messages between the TUI's widgets and screens."""

from __future__ import annotations

from textual.message import Message


class StoryReloaded(Message):
    """`--watch` found an edited story and replayed the run onto it."""

    def __init__(self, divergence: str | None) -> None:
        super().__init__()
        self.divergence = divergence
