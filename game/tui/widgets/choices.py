"""The choices: an OptionList (it redraws much faster than a ListView). Locked choices
are disabled options, dimmed, with their reason."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...engine.rules import ChoiceView
from ..text import styled


def choice_prompt(number: int, view: ChoiceView, taken: bool = False) -> Text:
    key = f"{number}. " if number <= 9 else "   "
    out = Text(key, "bold" if view.available else "dim")
    if view.available:
        out.append_text(styled(view.label, "reverse bold" if taken else ""))
    else:
        out.append_text(styled(view.label, "dim strike"))
        out.append_text(styled(f"  (locked: {view.reason})", "dim italic"))
    return out


class ChoiceList(OptionList):
    """Option ids are the choice ids. When the choices do not all fit (80x24 and many
    choices), the border says so ("↓ 2 more") besides the scrollbar."""

    def show(self, views: list[ChoiceView], taken: str | None = None) -> None:
        self.set_options(
            Option(choice_prompt(i, view, view.id == taken), id=view.id, disabled=not view.available)
            for i, view in enumerate(views, 1)
        )
        first = next((i for i, v in enumerate(views) if v.id == taken), None)
        if first is None:
            first = next((i for i, v in enumerate(views) if v.available), None)
        self.highlighted = first
        self.call_after_refresh(self.update_more)

    def update_more(self) -> None:
        above = self.scroll_y > 0
        below = self.scroll_y < self.max_scroll_y
        parts = (["↑ more above"] if above else []) + (["↓ more below"] if below else [])
        self.border_subtitle = "  ".join(parts)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.update_more()

    def on_resize(self) -> None:
        self.update_more()
