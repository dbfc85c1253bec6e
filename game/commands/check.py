"""`hyosan check [DIR] [--json]`: the author's compiler."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", metavar="DIR", help="story folder (default: the bundled story)")
    parser.add_argument("--json", action="store_true", help="print diagnostics and statistics as JSON")


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
    return 1 if errors else 0
