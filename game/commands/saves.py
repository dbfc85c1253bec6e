"""`hyosan saves`: the saved runs as a table, each checked against the current story."""

from __future__ import annotations

import argparse
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    from ..paths import saves_help

    parser.add_argument("--saves", metavar="DIR", help=saves_help())
    parser.add_argument("--story", metavar="DIR", help="check the saves against another story folder")


_STATUS_STYLE = {"ok": "green", "damaged": "bold red", "changed story": "yellow"}


def run(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from rich.table import Table
    from rich.text import Text

    from ..engine.loader import load_story
    from ..engine.saves import SaveError, list_saves
    from ..paths import bundled_story_dir, default_saves_dir
    from ..plain import place_of
    from ..textsafe import inert_line
    from ._output import make_console

    saves_dir = Path(args.saves) if args.saves else default_saves_dir()
    root = args.story or os.path.relpath(bundled_story_dir())
    loaded = load_story(root)
    story = loaded.story if loaded.ok else None
    err = make_console(stderr=True, highlight=False)
    if story is None:
        err.print(f"hyosan: the story in {root} has errors: saves are listed but not checked", markup=False)
    try:
        infos = list_saves(saves_dir, story)
    except SaveError as exc:
        err.print(f"hyosan: {inert_line(str(exc))}", markup=False)
        return 1
    console = make_console(highlight=False)
    if not infos:
        console.print(f"No saves in {inert_line(str(saves_dir))}.", markup=False)
        return 0
    table = Table(title=Text(f"Saves in {inert_line(str(saves_dir))}"), title_justify="left")
    for name, justify, no_wrap in (
        ("Slot", "left", False),
        ("Player", "left", False),
        ("Place", "left", False),
        ("Day/time", "left", True),
        ("Alive", "right", True),
        ("Outcome", "left", False),
        ("Updated (UTC)", "left", True),
        ("Status", "left", True),
    ):
        table.add_column(name, justify=justify, no_wrap=no_wrap, overflow="fold")  # type: ignore[arg-type]
    for info in infos:
        damaged = info.status == "damaged" and not info.player
        table.add_row(
            Text(inert_line(info.slot)),
            Text(inert_line(info.player)),
            Text(inert_line(info.place or (place_of(story, info.scene) if info.scene else ""))),
            Text("" if damaged else f"Day {info.day} {info.time}"),
            Text("" if damaged else f"{info.alive}/{info.total}"),
            Text(inert_line(info.outcome or "")),
            Text(info.updated.replace("T", " ").removesuffix("Z")[5:16], no_wrap=True),  # MM-DD HH:MM UTC
            Text(info.status, style=_STATUS_STYLE.get(info.status, "")),
        )
    console.print(table)
    for info in infos:
        if info.error:
            line = inert_line(f"{info.slot}: {info.error}")
            console.print(Text(line, style=_STATUS_STYLE.get(info.status, "")))
    return 0


def plain_slot(args: argparse.Namespace) -> tuple[Path, str] | None:
    """`play --plain --slot NAME`: the saves folder and the checked slot name, for
    `run_plain` to save to after every choice (and once at the start). None (after a
    message on stderr) when the slot name is refused."""
    import sys

    from ..engine.saves import SaveError, check_slot_name
    from ..paths import default_saves_dir
    from ..textsafe import inert_line

    try:
        slot = check_slot_name(args.slot)
    except SaveError as exc:
        print(f"hyosan: --slot: {inert_line(str(exc))}", file=sys.stderr)
        return None
    saves_dir = Path(args.saves) if getattr(args, "saves", None) else default_saves_dir()
    return saves_dir, slot
