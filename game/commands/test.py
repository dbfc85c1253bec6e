"""`hyosan test [DIR]`: run the story tests in DIR/tests/*.yaml."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", metavar="DIR", help="story folder (default: the bundled story)")
    parser.add_argument("-v", "--verbose", action="store_true", help="name every test that passes")


def run(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from ..engine.model import Story
    from ..paths import bundled_story_dir
    from ..tools import storytest
    from .play import load_story_or_report

    root = args.story or os.path.relpath(bundled_story_dir())
    story = load_story_or_report(root)
    if not isinstance(story, Story):
        return 1
    outcome = storytest.run_all(story, Path(root), root)
    if args.verbose:
        for test in outcome.passed:
            print(f"{test.path}:{test.line}: test {test.name!r}: ok")
    for failure in outcome.failures:
        print(failure)
    total = len(outcome.passed) + len(outcome.failures)
    if outcome.files == 0:
        print(f"{root}: no story tests (add {os.path.join(root, 'tests', '*.yaml')})")
        return 0
    print(
        f"{root}: {len(outcome.passed)} of {total} test{'s' * (total != 1)} passed"
        f" in {outcome.files} file{'s' * (outcome.files != 1)}"
    )
    return 0 if outcome.ok else 1
