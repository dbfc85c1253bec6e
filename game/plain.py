"""Line mode: the scene, what just happened, numbered choices; one number per line.

For screen readers, pipes and tests. Output depends only on the story, the seed, the name
and the input, so the same input always prints the same transcript.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TextIO

from .engine import rules
from .engine.model import PLAYER, Story
from .engine.saves import Run
from .engine.state import Event, GameState
from .session import Session
from .textsafe import EMPHASIS, inert

WIDTH = 78


def plain_text(text: str) -> str:
    """Story emphasis (`*x*`, `**x**`) is for the TUI; line mode shows the words only,
    made inert (no escape sequences or control characters: `game.textsafe`)."""
    return EMPHASIS.sub(lambda m: m.group(1) or m.group(2), inert(text))


def wrap(text: str, indent: str = "") -> str:
    paragraphs = plain_text(text).split("\n\n")
    return "\n\n".join(
        textwrap.fill(" ".join(p.split()), WIDTH, initial_indent=indent, subsequent_indent=indent)
        for p in paragraphs
    )


def party_line(story: Story, state: GameState) -> str:
    people: list[tuple[str, str]] = []
    for mid in story.cast:
        m = state.members[mid]
        if not m.present:
            continue
        status = m.shown_status(False)
        name = story.cast[mid].name
        if status == "hambie":
            hurt = ", hurt" if m.injured else ""  # a hambie's wound is still a wound (reader BM)
            people.append((mid, f"{name} (hambie{hurt}, hunger {int(m.hunger)})"))
        elif status != "healthy":
            people.append((mid, f"{name} ({status})"))
        else:
            people.append((mid, name))
    you = state.members[PLAYER].shown_status(True)
    items = [f"{story.items[i].name if i in story.items else i} {n}" for i, n in state.inventory.items() if n]
    if rules.is_apart(story, state):  # a hall pass: still the party, not beside you
        here = set(rules.beside_you(story, state))
        with_you = "".join(f", {words}" for mid, words in people if mid in here)
        others = [words for mid, words in people if mid not in here]
        roster = " | the rest of the party: " + ", ".join(others) if others else ""
        line = f"You ({you}){with_you}, away from the others for now{roster}"
    else:
        line = f"You ({you})" + "".join(f", {words}" for _, words in people)
    extra = [", ".join(items)] if items else []
    extra.append(f"noise {state.noise}")
    return f"Party: {line}\nCarrying: " + " | ".join(extra)


def place_of(story: Story | None, scene_id: str) -> str:
    """What a list shows for a saved scene: its place's name, never the internal id
    unless the story no longer has that scene."""
    if story is None:
        return scene_id
    current = scene_id
    for _ in range(64):  # `renames.scenes`, chains followed
        if current not in story.scene_renames:
            break
        current = story.scene_renames[current]
    scene = story.scenes.get(current)
    if scene is None:
        return scene_id
    location = story.locations.get(scene.location)
    return location.name if location else scene.location


def describe_run(run: Run, story: Story | None) -> str:
    """A saved run in a few words: the player, the place, day and time, how it ended."""
    snap = run.snapshot or {}
    where = place_of(story, str(snap.get("scene", "")))
    words = f"{run.player_name}, {where}, day {snap.get('day', '?')} {snap.get('time', '')}".strip()
    steps = len(run.steps)
    return words + (f", ended: {run.outcome}" if run.outcome else f", {steps} choice{'s' * (steps != 1)}")


def render_scene(story: Story, state: GameState) -> str:
    where = rules.location(story, state)
    location = story.locations.get(where)
    place = location.name if location else where
    clock = rules.clock_label(story, state)  # the scene's `clock:` mode may hide the hour
    header = f"{place} | {clock}" if clock else place
    return f"== {header} ==\n\n" + wrap(rules.scene_text(story, state))


def bullet(text: str) -> str:
    """One event as a wrapped bullet: its line breaks are the story file's, not the reader's."""
    return textwrap.fill(" ".join(text.split()), WIDTH, initial_indent="  * ", subsequent_indent="    ")


def render_events(events: list[Event]) -> str:
    return "\n".join(bullet(plain_text(e.text)) for e in events if e.visible and e.text)


def render_choices(views: list[rules.ChoiceView]) -> str:
    lines: list[str] = []
    for i, view in enumerate(views, 1):
        label = plain_text(view.label)
        if view.available:
            lines.append(f"  {i}. {label}")
        else:
            lines.append(f"  {i}. [locked: {plain_text(view.reason)}] {label}")
    return "\n".join(lines)


def render_ending(story: Story, state: GameState) -> str:
    end = rules.ending(story, state)
    assert end is not None
    lines = [f"== THE END: {end.title} ==", ""]
    for fate in rules.fates(story, state):
        lines.append(wrap(f"- {fate.line}", ""))
    lines += ["", rules.survivors_line(story, state), f"Choices made: {state.turn}."]
    return "\n".join(lines)


def run_plain(
    story: Story,
    seed: int,
    name: str | None,
    stdin: TextIO,
    stdout: TextIO,
    saves: tuple[Path, str] | None = None,
    stderr: TextIO | None = None,
    session: Session | None = None,
    notice: str | None = None,
) -> int:
    """Play in line mode. With `saves` (folder, slot) the run is saved to the slot at the
    start and after every choice; a failure is told on `stderr` once and the game goes on
    (stdout stays the transcript). A `session` given (a loaded run) is played on from
    where it is, `notice` said first. The last line names the slot the run is in."""
    if session is None:
        if saves is None:
            session = Session.new(story, seed, name, None)
        else:
            session = Session.new(story, seed, name, saves[0], autosave_slot=saves[1])
    told: set[str] = set()
    failed = False

    def tell(error: str | None) -> None:
        nonlocal failed
        failed = bool(error)
        if error and error not in told and stderr is not None:
            told.add(error)
            stderr.write(inert(f"hyosan: {error}; the game goes on without saving\n"))

    def out(text: str) -> None:
        # every line passes through `inert`: names, labels and story text included
        stdout.write(inert(text))

    def last_line() -> None:
        if session.saves_dir is None:
            return
        slot = session.autosave_slot
        if failed:
            out("The run was not saved.\n")
        elif rules.is_ended(story, session.state):
            out(f"Saved as slot {slot}.\n")
        else:
            out(f"Saved as slot {slot}: `hyosan play --plain --load {slot}` goes on from here.\n")

    tell(session.autosave())
    resumed = bool(session.run.steps)
    out(f"{story.title} (seed {session.run.seed}). You are {session.state.player_name}.\n")
    if resumed:
        out(f"You go on from step {len(session.run.steps)}.\n")
    if notice:
        out(wrap(notice) + "\n")
    pending_events: list[Event] = session.last_events
    while True:
        state = session.state
        # what just happened comes first, then the scene it led to
        news = render_events(pending_events)
        if news:
            out("\n" + news + "\n")
        out("\n" + render_scene(story, state) + "\n")
        if rules.is_ended(story, state):
            out("\n" + render_ending(story, state) + "\n")
            last_line()
            return 0
        views = session.choices()
        out("\n" + party_line(story, state) + "\n\n" + render_choices(views) + "\n")
        while True:
            out("> ")
            stdout.flush()
            line = stdin.readline()
            if not line:
                out("\n(end of input)\n")
                last_line()
                return 0
            answer = line.strip()
            if not answer.isdigit() or not 1 <= int(answer) <= len(views):
                out(f"Type a number from 1 to {len(views)}.\n")
                continue
            view = views[int(answer) - 1]
            if not view.available:
                out(f"That choice is locked: {plain_text(view.reason)}\n")
                continue
            break
        out(f"\nYou chose: {plain_text(view.label)}\n")
        pending_events, error = session.choose(view)
        tell(error)
