"""The Endings screen (from the title): the endings this player has found and the ones
still missing (as a hint: the kind of ending and where, never its title), the fates
seen, the hambie arcs, the best survivor count and the runs played."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...engine.model import Story
from ...profile import Profile, endings_catalogue
from ..text import clean_name
from ..widgets.keybar import KeyBar
from .base import HyosanScreen


def endings_text(story: Story, profile: Profile) -> Text:
    rec = profile.of(story)
    catalogue = endings_catalogue(story)
    found = sum(1 for title, _, _ in catalogue if title in rec.endings)
    out = Text()
    out.append(f"Endings found: {found} of {len(catalogue)}", "bold underline")
    out.append("\n\n")
    for title, kind, place in catalogue:
        if title in rec.endings:
            times = rec.endings[title]
            out.append(" ✓ ", "bold green")
            out.append(clean_name(title), "bold")
            out.append(f"  ({times} time{'s' * (times != 1)})\n", "dim")
        else:
            out.append(" ? ", "bold yellow")
            hint = f"a '{kind}' ending" + (f" (where: {place})" if place else "")
            out.append(f"not found yet: {clean_name(hint)}\n", "dim")
    out.append("\n")
    best = "none yet" if rec.best < 0 else str(rec.best)
    out.append(f"Runs finished: {rec.runs}   Best: {best} survivors ", "bold")
    out.append(f"(the story everyone knows: {story.baseline_survivors})\n\n")
    out.append("Fates seen\n", "bold underline")
    cast = story.cast
    for mid, member in cast.items():
        seen = rec.fates.get(mid, [])
        out.append(f" {clean_name(member.name):<18} ")
        out.append(", ".join(seen) if seen else "—", "" if seen else "dim")
        out.append("\n")
    out.append("\nHambie arcs found: ", "bold")
    names = [clean_name(cast[m].name) for m in rec.hambies if m in cast]
    out.append(", ".join(names) if names else "none yet", "" if names else "dim")
    return out


class EndingsScreen(HyosanScreen):
    CSS_PATH = "ending.tcss"
    BINDINGS = [Binding("escape,q,e", "back", "Back")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="endings-body"):
            yield Static(endings_text(self.hyosan.story, self.hyosan.profile()), id="endings-text")
        yield KeyBar()

    def action_back(self) -> None:
        self.dismiss()
