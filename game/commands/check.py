"""`hyosan check [DIR] [--strict] [--json] [--deep]`: the author's compiler.

Besides the story itself it checks the story tests in `DIR/tests/*.yaml` (unknown scene,
choice, member, item, flag or counter ids; broken checkpoints). `--json` is documented
in docs/check-json.md; its `version` changes only when a field changes meaning.
"""

from __future__ import annotations

import argparse
from typing import Any

JSON_VERSION = 1


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", metavar="DIR", help="story folder (default: the bundled story)")
    parser.add_argument(
        "--json", action="store_true", help="print diagnostics and statistics as JSON (docs/check-json.md)"
    )
    parser.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    from .continuity import add_deep_arguments

    parser.add_argument(
        "--deep", action="store_true", help="also run the continuity checker (hyosan continuity)"
    )
    add_deep_arguments(parser, prefix="deep-")


def diagnostics(root: str) -> tuple[Any, list[Any]]:
    """Load and check the story and its tests: (LoadResult, every diagnostic, sorted,
    each with its end position)."""
    from pathlib import Path

    from ..engine.loader import load_story
    from ..tools import testcheck

    result = load_story(root)
    found = list(result.diagnostics)
    if result.story is not None:
        found.extend(testcheck.check_tests(result.story, Path(root), root))
    return result, sorted(_with_ends(found))


def _with_ends(found: list[Any]) -> list[Any]:
    lines: dict[str, list[str] | None] = {}
    out = []
    for d in found:
        if d.path not in lines:
            try:
                with open(d.path, encoding="utf-8") as f:
                    lines[d.path] = f.read().splitlines()
            except (OSError, UnicodeDecodeError):
                lines[d.path] = None
        out.append(d.with_end(lines[d.path]))
    return out


def run(args: argparse.Namespace) -> int:
    import json
    import os
    import sys

    from ..engine.yamlpos import HAVE_LIBYAML, LIBYAML_WARNING
    from ..paths import bundled_story_dir

    root = args.story or os.path.relpath(bundled_story_dir())
    if not HAVE_LIBYAML:
        print(LIBYAML_WARNING, file=sys.stderr)
    result, found = diagnostics(root)
    deep = None
    if args.deep and result.story is not None and not result.errors:
        # `--deep`: the continuity checker's findings join the diagnostics as warnings
        from .continuity import deep as continuity

        deep = continuity(result.story, args, args.deep_runs, args.deep_seed, progress=not args.json)
        if deep is None:
            return 1
        found = sorted(found + _with_ends(list(deep.diagnostics)))
    errors = sum(1 for d in found if d.severity == "error")
    warnings = len(found) - errors
    failed = bool(errors or (args.strict and warnings))
    if args.json:
        print(
            json.dumps(
                {
                    "version": JSON_VERSION,
                    "story": root,
                    "ok": not failed,
                    "strict": args.strict,
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
            + (" (--strict: warnings fail)" if args.strict and warnings and not errors else "")
        )
        if deep is not None:
            print(deep.summary)
    return 1 if failed else 0
