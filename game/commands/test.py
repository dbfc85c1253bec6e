"""`hyosan test [DIR] [--rederive]`: run the story tests in DIR/tests/*.yaml (and find new
paths for the ones that fail)."""

from __future__ import annotations

import argparse
from typing import Any


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", metavar="DIR", help="story folder (default: the bundled story)")
    parser.add_argument("-v", "--verbose", action="store_true", help="name every test that passes")
    parser.add_argument(
        "--rederive",
        action="store_true",
        help="find new paths for tests that fail (seeded random runs) and rewrite them in their files",
    )
    parser.add_argument(
        "--runs", type=int, default=3000, metavar="N", help="random runs --rederive searches (default 3000)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="seed of --rederive's runs (default 0)"
    )


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
    if args.rederive and outcome.failures:
        _rederive(story, Path(root), root, outcome, args.runs, args.seed)
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


def _rederive(story: Any, story_dir: Any, root: str, outcome: Any, runs: int, seed: int) -> None:
    """New paths for the failing tests, written into their files."""
    import os
    import sys
    from pathlib import Path

    from ..tools import rederive, storytest

    passed = {(t.path, t.line) for t in outcome.passed}
    files: list[tuple[Path, list[Any]]] = []
    failing: list[tuple[int, int]] = []  # (file number, index of the test in its file)
    for path in storytest.test_files(story_dir):
        tests, _ = storytest.read_tests(path, os.path.join(root, "tests", path.name))
        mine = [i for i, t in enumerate(tests) if (t.path, t.line) not in passed]
        if mine:
            failing.extend((len(files), i) for i in mine)
            files.append((path, tests))
    print(f"searching {runs:,} random runs for new paths for {len(failing)} failing tests", file=sys.stderr)
    found = rederive.rederive(story, [files[f][1][i] for f, i in failing], runs, seed)
    new_paths: dict[int, dict[int, Any]] = {}
    for n, (f, i) in enumerate(failing):
        test = files[f][1][i]
        if n in found:
            new_paths.setdefault(f, {})[i] = found[n]
            print(
                f"{test.path}:{test.line}: test {test.name!r}: "
                f"new path, seed {found[n].seed}, {len(found[n].choices)} choices",
                file=sys.stderr,
            )
        else:
            why = "it starts from another test or a save" if test.start else f"no run of {runs:,} showed it"
            print(f"{test.path}:{test.line}: test {test.name!r}: no new path ({why})", file=sys.stderr)
    for f, paths in new_paths.items():
        path, tests = files[f]
        path.write_text(rederive.rewrite(path, tests, paths), encoding="utf-8")
