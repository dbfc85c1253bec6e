"""What every full screen of the game shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from ..app import HyosanApp


class HyosanScreen(Screen[None]):
    @property
    def hyosan(self) -> HyosanApp:
        """The app, typed: screens ask it for the session and the story."""
        return cast("HyosanApp", self.app)
