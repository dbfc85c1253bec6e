"""`hyosan replay SAVE`: watch a saved run replay in the TUI, or `--headless` print its
transcript, `--verify` check it against the save, `--export FILE` write it out."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    from ..paths import saves_help

    parser.add_argument(
        "save", metavar="SAVE", help="a slot name in the saves folder, or a path to a save file"
    )
    parser.add_argument(
        "--headless", action="store_true", help="print the transcript to stdout instead of the TUI"
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="exit 0 if the replay reproduces the saved run, 1 (saying where and why) if not",
    )
    parser.add_argument(
        "--export", metavar="FILE", help="write the transcript as Markdown, HTML or SVG (.md/.html/.svg)"
    )
    parser.add_argument("--story", metavar="DIR", help="replay on another story folder")
    parser.add_argument("--saves", metavar="DIR", help=saves_help())


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from ..engine.model import Story
    from ..engine.saves import SaveError, find_save, load_run, replay
    from ..paths import default_saves_dir
    from ..textsafe import inert_line
    from .play import load_story_or_report

    if args.export and Path(args.export).suffix.lower() not in (".md", ".html", ".svg"):
        print(f"hyosan: --export {inert_line(args.export)}: use a .md, .html or .svg file", file=sys.stderr)
        return 2
    saves_dir = Path(args.saves) if args.saves else default_saves_dir()
    try:
        path = find_save(saves_dir, args.save)
        saved = load_run(path)
    except SaveError as exc:
        print(f"hyosan: {inert_line(str(exc))}", file=sys.stderr)
        return 1
    story = load_story_or_report(args.story)
    if not isinstance(story, Story):
        return 1

    if not (args.headless or args.verify or args.export):
        from .play import has_terminal, terminal_too_small

        if not has_terminal():
            print("hyosan: no terminal for the replay; use `hyosan replay SAVE --headless`", file=sys.stderr)
            return 2
        if (small := terminal_too_small("`hyosan replay SAVE --headless`")) is not None:
            print(small, file=sys.stderr)
            return 2
        try:
            from ..tui.app import run_replay
        except ImportError:
            print(
                "hyosan: the TUI replay is not built yet; use `hyosan replay SAVE --headless`",
                file=sys.stderr,
            )
            return 2
        return int(run_replay(story, saved, args))

    result = replay(story, saved)
    if args.headless or args.export:
        from ..transcript import build, export

        transcript = build(story, saved, result, str(path))
        if args.headless:
            sys.stdout.write(transcript.to_text())
            sys.stdout.flush()
        if args.export:
            try:
                export(transcript, Path(args.export))
            except (OSError, ValueError) as exc:
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                print(f"hyosan: cannot write {inert_line(args.export)}: {inert_line(why)}", file=sys.stderr)
                return 1
    if result.verified:
        if args.verify and not args.headless:
            where = f"ended: {saved.outcome}" if saved.outcome else f"at {result.final.scene}"
            print(inert_line(f"{path}: verified, {len(saved.steps)} steps ({where})"))
        return 0
    print(inert_line(f"{path}: {result.divergence}"), file=sys.stderr)
    return 1
