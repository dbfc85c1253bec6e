"""The transcript of a replayed run: each scene's text, the choice taken, the events.

`hyosan replay SAVE --headless` prints it as plain text (rendered by `game.plain`'s
functions, so it reads like a line-mode session); `--export FILE` writes the same
transcript as Markdown (.md), or as HTML/SVG through Rich's recording console.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from . import plain
from .engine import rules
from .engine.model import Story
from .engine.saves import Replay, Run
from .engine.state import GameState
from .textsafe import inert, inert_line

EXPORTS = (".md", ".html", ".svg")


@dataclass(frozen=True)
class Page:
    """One scene reached: where and when, its text, what happened on the way in, and
    the choice the run took there (None on the last page)."""

    heading: str
    text: str
    events: tuple[str, ...]
    step: int
    choice: str | None = None


@dataclass
class Transcript:
    title: str
    intro: str
    pages: list[Page] = field(default_factory=list)
    ending: str | None = None  # plain.render_ending's text, when the run ended
    verdict: str = ""
    verified: bool = False

    def to_text(self) -> str:
        out = [self.intro]
        for page in self.pages:
            # what happened on the way in comes before the scene, as play shows it
            out += ["", f"== {page.heading} =="]
            if page.events:
                out += ["", "\n".join(plain.bullet(e) for e in page.events)]
            out += ["", page.text]
            if page.choice is not None:
                out += ["", f"Step {page.step}. You chose: {page.choice}"]
        if self.ending:
            out += ["", self.ending]
        out += ["", self.verdict]
        return "\n".join(out) + "\n"

    def to_markdown(self) -> str:
        out = [f"# {_md(self.title)}", "", _md(self.intro)]
        for page in self.pages:
            out += ["", f"## {_md(page.heading)}", ""]
            if page.events:
                out += [f"- *{_md(e)}*" for e in page.events] + [""]
            out += [_md(" ".join(p.split())) + "\n" for p in page.text.split("\n\n")]
            if page.choice is not None:
                out += [f"> **Step {page.step}.** You chose: {_md(page.choice)}"]
        if self.ending:
            head, _, rest = self.ending.partition("\n")
            out += ["", f"## {_md(head.strip('= '))}", ""]
            out += [_md(line) if line.strip() else "" for line in rest.strip("\n").splitlines()]
        out += ["", f"**{_md(self.verdict)}**"]
        return "\n".join(out) + "\n"

    def record(self) -> object:
        """A Rich console that has printed the transcript, ready for save_html/save_svg."""
        from rich.console import Console
        from rich.text import Text

        console = Console(record=True, width=plain.WIDTH + 2, file=io.StringIO(), color_system="truecolor")
        console.print(Text(self.title, style="bold"), Text(self.intro.partition("\n")[2], style="dim"))
        for page in self.pages:
            console.print()
            console.print(Text(f"== {page.heading} ==", style="bold cyan"))
            if page.events:
                console.print()
                for event in page.events:
                    console.print(Text(f"  * {event}", style="italic yellow"))
            console.print()
            console.print(Text(page.text))
            if page.choice is not None:
                console.print()
                console.print(Text(f" Step {page.step}. You chose: {page.choice} ", style="bold reverse"))
        if self.ending:
            console.print()
            console.print(Text(self.ending, style="bold"))
        console.print()
        console.print(Text(self.verdict, style="bold green" if self.verified else "bold red"))
        return console


def _md(text: str) -> str:
    """Story text is plain words: escape what Markdown would read as markup."""
    out = []
    for ch in text:
        if ch in "\\`*_[]<>#|":
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    if escaped[:1] in "-+" or escaped.split(".", 1)[0].isdigit() and "." in escaped[:12]:
        escaped = "\\" + escaped
    return escaped


def build(story: Story, run: Run, result: Replay, source: str) -> Transcript:
    first = result.states[0]
    saved = f"{len(run.steps)} step{'s' * (len(run.steps) != 1)}, saved {run.updated}"
    transcript = Transcript(
        title=inert_line(f"{story.title}: {run.player_name}'s run"),
        intro=inert(
            f"{inert_line(story.title)} (seed {run.seed}). You are {inert_line(first.player_name)}.\n"
            f"Replay of {inert_line(source)}: {inert_line(saved)}."
        ),
    )
    for i, state in enumerate(result.states):
        heading, _, text = plain.render_scene(story, state).partition("\n\n")
        shown = (e for e in result.events[i] if e.visible and e.text)
        events = tuple(" ".join(plain.plain_text(e.text).split()) for e in shown)
        choice = None
        if i < len(result.states) - 1:
            choice = _label(story, state, result.choice_ids[i], run.steps[i].label)
        transcript.pages.append(Page(inert_line(heading.strip("= ")), text, events, i + 1, choice))
    final = result.states[-1]
    if rules.is_ended(story, final) and rules.ending(story, final) is not None:
        transcript.ending = inert(plain.render_ending(story, final))
    if result.verified:
        transcript.verdict = f"Verified: the replay reproduces the saved run ({len(run.steps)} steps)."
        transcript.verified = True
    else:
        transcript.verdict = inert_line(f"The replay stops here: {result.divergence}")
    return transcript


def _label(story: Story, state: GameState, choice_id: str, saved: str) -> str:
    for view in rules.choices(story, state):
        if view.id == choice_id:
            return plain.plain_text(view.label)
    return plain.plain_text(saved)


def export(transcript: Transcript, path: Path) -> None:
    """Write the transcript by the file's extension; OSError and ValueError propagate."""
    suffix = path.suffix.lower()
    if suffix == ".md":
        path.write_text(transcript.to_markdown(), encoding="utf-8")
        return
    if suffix not in (".html", ".svg"):
        raise ValueError(f"cannot export to {path.name!r}: use a .md, .html or .svg file")
    from rich.console import Console

    console = transcript.record()
    assert isinstance(console, Console)
    if suffix == ".html":
        console.save_html(str(path))
    else:
        console.save_svg(str(path), title=transcript.title)
