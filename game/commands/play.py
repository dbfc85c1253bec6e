"""`hyosan play`: the Textual game, or `--plain` line mode for pipes and screen readers."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine.model import Story


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--story", metavar="DIR", help="play another story folder")
    parser.add_argument("--seed", type=int, help="seed for the run's RNG (default: random)")
    parser.add_argument("--name", help="the player's name")
    parser.add_argument("--plain", action="store_true", help="line mode: numbered choices on stdin")
    parser.add_argument("--new", action="store_true", help="skip the title screen: start a new game")
    parser.add_argument("--saves", metavar="DIR", help="the saves folder (default: saves/ or $HYOSAN_SAVES)")
    parser.add_argument(
        "--watch", action="store_true", help="reload the story when its files change (for writers)"
    )
    parser.add_argument("--light", action="store_true", help="start with the light theme")
    parser.add_argument(
        "--slot", metavar="NAME", help="with --plain: autosave the run to this slot after every choice"
    )


def load_story_or_report(path: str | None) -> Story | None:
    """The story (default: the bundled one), or None after printing its errors to stderr:
    every command that needs a story loads it through here."""
    import os
    import sys

    from ..engine.loader import load_story
    from ..paths import bundled_story_dir

    root = path or os.path.relpath(bundled_story_dir())
    result = load_story(root)
    if not result.ok:
        errors = result.errors
        for diagnostic in errors[:10]:
            print(diagnostic, file=sys.stderr)
        if len(errors) > 10:
            print(f"... and {len(errors) - 10} more errors", file=sys.stderr)
        print(f"hyosan: the story in {root} has errors; run `hyosan check {root}`", file=sys.stderr)
        return None
    return result.story


def has_terminal() -> bool:
    """The TUI needs a terminal on both ends: with stdin from /dev/null or a pipe it
    would wait for keys that never come."""
    import sys

    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def run(args: argparse.Namespace) -> int:
    import random
    import sys

    from ..engine.model import Story
    from ..textsafe import inert_line, is_utf8

    if args.name is not None and not is_utf8(args.name):
        print("hyosan: --name: the name is not valid UTF-8 text", file=sys.stderr)
        return 2
    if args.name is not None:
        # the name goes into saves, transcripts and other people's terminals
        args.name = inert_line(args.name) or None
    if not args.plain and not has_terminal():
        print("hyosan: no terminal to draw the game in; use `hyosan play --plain`", file=sys.stderr)
        return 2
    story = load_story_or_report(args.story)
    if not isinstance(story, Story):
        return 1
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    if args.plain:
        from ..plain import run_plain

        saves = None
        if getattr(args, "slot", None):
            from .saves import plain_slot

            saves = plain_slot(args)
            if saves is None:
                return 2
        return run_plain(
            story,
            seed=seed,
            name=args.name,
            stdin=sys.stdin,
            stdout=sys.stdout,
            saves=saves,
            stderr=sys.stderr,
        )
    from ..tui.app import run_app

    return run_app(story, args, seed=seed)
