"""`hyosan continuity [DIR]` (also `hyosan check --deep`): play the story many times and
report, for every paragraph, label and fate line a reader can see, what contradicts the
state the reader is in. One line per finding, each with a witness run."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

DEFAULT_RUNS = 2000


def add_deep_arguments(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """The options `continuity` and `check --deep` share (`prefix` keeps check's apart)."""
    parser.add_argument(
        f"--{prefix}runs", type=int, default=DEFAULT_RUNS, metavar="N",
        help=f"runs to play (default {DEFAULT_RUNS}: under 5 minutes on 2 busy cores for the bundled story)",
    )  # fmt: skip
    parser.add_argument(
        f"--{prefix}seed", type=int, default=0, metavar="S", help="seed of the whole check (default 0)"
    )
    parser.add_argument("--jobs", type=int, metavar="N", help="processes (default: one per core)")
    parser.add_argument("--witness-dir", metavar="DIR", help="write one witness save per finding into DIR")
    parser.add_argument(
        "--show-silenced", action="store_true", help="also list findings silenced with quiet:"
    )


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", metavar="DIR", help="story folder (default: the bundled story)")
    add_deep_arguments(parser)
    parser.add_argument("--rule", action="append", metavar="RULE", help="only this rule (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument("--strict", action="store_true", help="exit 1 when there is any finding")


def run(args: argparse.Namespace) -> int:
    import json

    from ..engine.model import Story
    from .play import load_story_or_report

    story = load_story_or_report(args.story)
    if not isinstance(story, Story):
        return 1
    result = deep(story, args, runs=args.runs, seed=args.seed, rules=args.rule, progress=not args.json)
    if result is None:
        return 1
    if args.json:
        print(json.dumps(result.data, indent=2))
    else:
        for line in result.lines:
            print(line)
        print(result.summary)
    return 1 if args.strict and result.data["findings_open"] else 0


@dataclass
class Deep:
    """The checker's result, for `continuity` and for `check --deep`."""

    diagnostics: list[Any]  # open findings, as check's Diagnostic (warnings)
    lines: list[str]  # every finding shown (open, and silenced with --show-silenced), sorted
    silenced: list[str]  # the silenced ones shown (with --show-silenced)
    summary: str  # the figures line
    data: dict[str, Any]  # the JSON


def deep(
    story: Any,
    args: argparse.Namespace,
    runs: int,
    seed: int,
    rules: list[str] | None = None,
    progress: bool = True,
) -> Deep | None:
    """Run the checker; None after a one-line error on stderr."""
    import os
    import sys
    import time
    from pathlib import Path

    from ..engine.saves import SaveError
    from ..tools.continuity import RULES, collect, report
    from ..tools.continuity.sources import build

    if runs < 1:
        print("hyosan: --runs must be at least 1", file=sys.stderr)
        return None
    for rule in rules or ():
        if rule not in RULES:
            print(f"hyosan: unknown rule {rule!r} (one of {', '.join(RULES)})", file=sys.stderr)
            return None
    started = time.perf_counter()
    sources = build(story)
    if sys.stderr.isatty() and progress:
        tally = _with_progress(story, runs, seed, args.jobs, sources)
    else:
        tally = collect.collect(story, runs, seed, args.jobs, sources=sources)
    elapsed = time.perf_counter() - started
    found = [f for f in report.findings(tally, sources) if not rules or f.rule in rules]
    shown = [f for f in found if args.show_silenced or not f.silenced]
    saves: dict[int, Path] = {}
    if args.witness_dir:
        try:
            saves = report.write_witnesses(story, shown, Path(args.witness_dir))
        except SaveError as exc:
            print(f"hyosan: {exc}", file=sys.stderr)
            return None
    witness = {n: os.fspath(path) for n, path in saves.items()}
    open_count = sum(1 for f in found if not f.silenced)
    silenced = len(found) - open_count
    by_kind = ", ".join(f"{k} {v}" for k, v in report.counts(found).items()) or "none"
    return Deep(
        diagnostics=[f.diagnostic(witness.get(n, "")) for n, f in enumerate(shown) if not f.silenced],
        lines=[f.line(witness.get(n, "")) for n, f in enumerate(shown)],
        silenced=[f.line(witness.get(n, "")) for n, f in enumerate(shown) if f.silenced],
        summary=(
            f"{story.root}: continuity: {open_count} finding{'s' * (open_count != 1)} ({by_kind}), "
            f"{silenced} silenced; {tally.runs} runs, {tally.states:,} states in {elapsed:.1f} s"
        ),
        data={
            "version": 1,
            "story": story.root,
            "runs": tally.runs,
            "states": tally.states,
            "seed": seed,
            "seconds": round(elapsed, 3),
            "findings_open": open_count,
            "findings_silenced": silenced,
            "counts": report.counts(found),
            "findings": [f.to_dict(witness.get(n)) for n, f in enumerate(shown)],
        },
    )


def _with_progress(story: Any, runs: int, seed: int, jobs: int | None, sources: Any) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ..tools.continuity import collect

    with Progress(
        TextColumn("reading runs"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("runs", total=runs)
        return collect.collect(
            story,
            runs,
            seed,
            jobs,
            progress=lambda done: progress.update(task, completed=done),
            sources=sources,
        )
