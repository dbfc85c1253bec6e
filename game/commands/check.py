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
    found = list(result.diagnostics)
    deep = None
    if args.deep and result.story is not None and not result.errors:
        # `--deep`: the continuity checker's findings join the diagnostics as warnings
        from .continuity import deep as continuity

        deep = continuity(result.story, args, args.deep_runs, args.deep_seed, progress=not args.json)
        if deep is None:
            return 1
        found = sorted(found + deep.diagnostics)
    errors = sum(1 for d in found if d.severity == "error")
    warnings = len(found) - errors
    if args.json:
        print(
            json.dumps(
                {
                    "story": root,
                    "ok": not errors,
                    "errors": errors,
                    "warnings": warnings,
                    "diagnostics": [d.to_dict() for d in found],
                    "stats": result.stats.to_dict(),
                    **({"continuity": deep.data} if deep is not None else {}),
                },
                indent=2,
            )
        )
    else:
        for diagnostic in found:
            print(diagnostic)
        for line in deep.silenced if deep is not None else ():
            print(line)
        s = result.stats
        print(
            f"{root}: {s.scenes} scenes, {s.choices} choices, {s.endings} endings, "
            f"{s.words:,} words: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}"
        )
        if deep is not None:
            print(deep.summary)
    return 1 if errors else 0
