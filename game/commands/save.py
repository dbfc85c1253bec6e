"""`hyosan save --seed S --choices IDS [--name NAME] [--story DIR] --slot SLOT|-o FILE`:
make a save from a seed and a list of choice ids, without playing by hand (for
`explore --from`, `replay`, story tests that start from a save, and bug reports)."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--story", metavar="DIR", help="story folder (default: the bundled story)")
    parser.add_argument("--seed", type=int, required=True, metavar="S", help="the game's seed")
    parser.add_argument(
        "--choices",
        required=True,
        metavar="IDS",
        help="choice ids separated by commas or spaces; scene/id checks the scene, #N forces roll outcome N "
        "(explore's paths paste as they are)",
    )
    parser.add_argument("--name", metavar="NAME", help="the player's name (default: the story's)")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--slot", metavar="SLOT", help="write the save to this slot of the saves folder")
    where.add_argument("-o", "--output", metavar="FILE", help="write the save to FILE")
    parser.add_argument(
        "--saves", metavar="DIR", help="the saves folder for --slot (default: saves/ or $HYOSAN_SAVES)"
    )
    parser.add_argument("--force", action="store_true", help="replace a save that is already there")


def run(args: argparse.Namespace) -> int:
    import os
    import sys
    from pathlib import Path

    from ..engine.model import Story
    from ..engine.saves import SaveError, check_slot_name, dumps_run, save_run, slot_path
    from ..paths import default_saves_dir
    from ..tools.fromchoices import StepError, parse_steps, play_steps
    from .play import load_story_or_report

    story = load_story_or_report(args.story)
    if not isinstance(story, Story):
        return 1
    try:
        steps = parse_steps(args.choices)
        saved, state = play_steps(story, args.seed, steps, args.name)
    except StepError as exc:
        print(f"hyosan save: {exc}", file=sys.stderr)
        return 1
    try:
        if args.slot:
            saves_dir = Path(args.saves) if args.saves else default_saves_dir()
            check_slot_name(args.slot)
            target = slot_path(saves_dir, args.slot)
            if target.exists() and not args.force:
                print(f"hyosan save: {target} exists (--force replaces it)", file=sys.stderr)
                return 1
            target = save_run(saves_dir, args.slot, saved)
        else:
            target = Path(args.output)
            if target.exists() and not args.force:
                print(f"hyosan save: {target} exists (--force replaces it)", file=sys.stderr)
                return 1
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_text(dumps_run(saved), encoding="utf-8")
            os.replace(tmp, target)
    except SaveError as exc:
        print(f"hyosan save: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"hyosan save: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    ended = " (the run has ended)" if story.scenes[state.scene].ending is not None else ""
    shown = os.path.relpath(target)
    shown = str(target) if shown.startswith("..") else shown
    print(f"wrote {shown}: {len(steps)} choices, now in {state.scene}{ended}", file=sys.stderr)
    return 0
