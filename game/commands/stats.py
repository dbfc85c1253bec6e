"""`hyosan stats [DIR] [--json]`: how big a story is, each sentence counted once."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", metavar="DIR", help="story folder (default: the bundled story)")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")


def run(args: argparse.Namespace) -> int:
    import json

    from ..engine.model import Story
    from ..tools.stats import story_stats
    from .play import load_story_or_report

    story = load_story_or_report(args.story)
    if not isinstance(story, Story):
        return 1
    stats = story_stats(story)
    if args.json:
        print(json.dumps(stats.to_dict(), indent=2))
        return 0
    print(
        f"{story.title}: {stats.scenes:,} scenes, {stats.choices:,} choices, {stats.endings} endings; "
        f"{stats.unique_words:,} unique words in {stats.unique_sentences:,} distinct sentences "
        f"({stats.words:,} words as written, {stats.sentences:,} sentences)"
    )
    return 0
