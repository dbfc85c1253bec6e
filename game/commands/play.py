"""`hyosan play`: the Textual game, or `--plain` line mode for pipes and screen readers."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine.model import Story


def configure(parser: argparse.ArgumentParser) -> None:
    from ..paths import saves_help

    parser.add_argument("--story", metavar="DIR", help="play another story folder")
    parser.add_argument("--seed", type=int, help="seed for the run's RNG (default: random)")
    parser.add_argument("--name", help="the player's name")
    parser.add_argument("--plain", action="store_true", help="line mode: numbered choices on stdin")
    parser.add_argument("--new", action="store_true", help="skip the title screen: start a new game")
    parser.add_argument("--saves", metavar="DIR", help=saves_help())
    parser.add_argument(
        "--watch", action="store_true", help="reload the story when its files change (for writers)"
    )
    parser.add_argument("--light", action="store_true", help="start with the light theme")
    parser.add_argument(
        "--slot",
        metavar="NAME",
        help="with --plain: save the run to this slot after every choice (default: a new autosave slot);"
        " a slot holding another run is refused unless --new or --force",
    )
    parser.add_argument(
        "--continue",
        dest="continue_run",
        action="store_true",
        help="with --plain: go on with the run autosaved last",
    )
    parser.add_argument("--load", metavar="SLOT", help="with --plain: go on with the run in this slot")
    parser.add_argument(
        "--force", action="store_true", help="with --plain --slot: replace the run the slot holds"
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
    would wait for keys that never come. A Textual driver named in the environment (as
    textual-serve names its web driver for `hyosan serve`) brings its own keys and screen."""
    import os
    import sys

    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def terminal_too_small(instead: str = "`hyosan play --plain`") -> str | None:
    """The one-line refusal when the terminal is below the game's minimum size, or None.
    A driver named in the environment (the web server's) sizes its own screen."""
    import os
    import sys

    from ..tui import MIN_HEIGHT, MIN_WIDTH

    if os.environ.get("TEXTUAL_DRIVER"):
        return None
    try:
        width, height = os.get_terminal_size(sys.stdout.fileno())
    except (AttributeError, ValueError, OSError):
        return None
    if width >= MIN_WIDTH and height >= MIN_HEIGHT:
        return None
    return (
        f"hyosan: this terminal is {width}x{height}; the game needs at least {MIN_WIDTH}x{MIN_HEIGHT}"
        f" (make it larger, or use {instead})"
    )


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
    if not args.plain and (small := terminal_too_small()) is not None:
        print(small, file=sys.stderr)
        return 2
    story = load_story_or_report(args.story)
    if not isinstance(story, Story):
        return 1
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    if args.plain:
        return run_plain_command(story, args, seed)
    from ..tui.app import run_app

    return run_app(story, args, seed=seed)


def run_plain_command(story: Story, args: argparse.Namespace, seed: int) -> int:
    """`play --plain`: a new run, or `--continue` / `--load SLOT` an old one, saved after
    every choice to `--slot NAME` or to the run's own autosave slot. Never writes over
    another run: a `--slot` holding one is refused unless `--new`/`--force`; a loaded run
    that no longer fits an edited story is played on in a new slot, the original kept."""
    import sys
    from pathlib import Path

    from ..engine.saves import SaveError, check_slot_name, find_save, load_run, slot_path
    from ..engine.saves.autosaves import is_autosave, latest_autosave, new_autosave_slot, prune_autosaves
    from ..engine.saves.store import claim_slot
    from ..paths import default_saves_dir
    from ..plain import describe_run, run_plain
    from ..session import Session
    from ..textsafe import inert_line

    def refuse(message: str, code: int = 2) -> int:
        print(inert_line(f"hyosan: {message}"), file=sys.stderr)
        return code

    if args.continue_run and args.load:
        return refuse("--continue and --load both say which run to go on with: give one")
    saves_dir = Path(args.saves) if args.saves else default_saves_dir()
    slot: str | None = None
    if args.slot:
        try:
            slot = check_slot_name(args.slot)
        except SaveError as exc:
            return refuse(f"--slot: {exc}")

    session: Session | None = None
    notice: str | None = None
    loaded_from: Path | None = None
    continuing: Path | None = None
    if args.continue_run or args.load:
        if args.continue_run:
            loaded_from = latest_autosave(saves_dir)
            if loaded_from is None:
                return refuse(f"--continue: no autosave in {saves_dir} yet")
        else:
            try:
                loaded_from = find_save(saves_dir, args.load)
            except SaveError as exc:
                return refuse(f"--load: {exc}")
        try:
            run = load_run(loaded_from)
        except SaveError as exc:
            return refuse(str(exc), 1)
        session, result = Session.from_run(story, run, saves_dir)
        same_folder = loaded_from.parent.resolve() == saves_dir.resolve()
        own_slot = loaded_from.name.removesuffix(".json") if same_folder else None
        if result.verified and own_slot:
            continuing = loaded_from  # the same run, at its end: it may go on in its own slot
            slot = slot or own_slot
        elif not result.verified:
            slot = slot or new_autosave_slot(saves_dir)
            notice = (
                f"The story changed since this run was saved: {result.divergence or 'it does not replay'}. "
                f"The saved run stays whole in {own_slot or loaded_from}; you go on from step "
                f"{len(session.run.steps)} as a new run in slot {slot}."
            )
    if slot is None:
        slot = new_autosave_slot(saves_dir)
    # a slot that holds another run is not written over without being told to
    target = slot_path(saves_dir, slot)
    if target.exists() and target != continuing and not (args.new or args.force):
        try:
            other = describe_run(load_run(target), story)
        except SaveError:
            other = "a damaged save"
        return refuse(
            f"slot {slot!r} holds another run ({other}); add --force to replace it, or pick another slot"
        )
    try:
        claim_slot(saves_dir, slot)
    except SaveError as exc:
        return refuse(str(exc))
    if is_autosave(slot):
        prune_autosaves(saves_dir, spare=(slot,))
    if session is None:
        session = Session.new(story, seed, args.name, saves_dir, autosave_slot=slot)
    else:
        session.autosave_slot = slot
    return run_plain(
        story, seed=seed, name=args.name, stdin=sys.stdin, stdout=sys.stdout,
        stderr=sys.stderr, session=session, notice=notice,
    )  # fmt: skip
