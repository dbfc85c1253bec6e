"""`hyosan check [DIR] [--json]`: the author's compiler."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", metavar="DIR", help="story folder (default: the bundled story)")
    parser.add_argument("--json", action="store_true", help="print diagnostics and statistics as JSON")
    from .continuity import add_deep_arguments

    parser.add_argument(
        "--deep", action="store_true", help="also run the continuity checker (hyosan continuity)"
    )
    add_deep_arguments(parser, prefix="deep-")


def run(args: argparse.Namespace) -> int:
    import json
    import os
    import sys

    from ..engine.loader import load_story
    from ..engine.yamlpos import HAVE_LIBYAML, LIBYAML_WARNING
    from ..paths import bundled_story_dir

    root = args.story or os.path.relpath(bundled_story_dir())
    if not HAVE_LIBYAML:
        print(LIBYAML_WARNING, file=sys.stderr)
    result = load_story(root)
    errors, warnings = len(result.errors), len(result.warnings)
    deep = None
    if args.deep and args.json and result.story is not None and not errors:
        deep = _deep(result.story, args)
        if deep is None:
            return 1
    if args.json:
        print(
            json.dumps(
                {
                    "story": root,
                    "ok": not errors,
                    "errors": errors,
                    "warnings": warnings,
                    "diagnostics": [d.to_dict() for d in result.diagnostics],
                    "stats": result.stats.to_dict(),
                    **({"continuity": deep} if deep is not None else {}),
                },
                indent=2,
            )
        )
    else:
        for diagnostic in result.diagnostics:
            print(diagnostic)
        s = result.stats
        print(
            f"{root}: {s.scenes} scenes, {s.choices} choices, {s.endings} endings, "
            f"{s.words:,} words: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}"
        )
        if args.deep and result.story is not None and not errors and _deep(result.story, args) is None:
            return 1
    return 1 if errors else 0


def _deep(story: object, args: argparse.Namespace) -> dict[str, object] | None:
    """`--deep`: the continuity checker (game/commands/continuity.py) after the checks."""
    from .continuity import deep

    return deep(story, args, args.deep_runs, args.deep_seed, quiet_json=args.json)
