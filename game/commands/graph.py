"""`hyosan graph [DIR] --format dot|mermaid [-o FILE] [--svg FILE]`: the scene graph."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", metavar="DIR", help="story folder (default: the bundled story)")
    parser.add_argument(
        "--format", choices=("dot", "mermaid"), default="dot", help="output format (default: dot)"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--svg", metavar="FILE", help="render an SVG with Graphviz's dot (when installed)")


def run(args: argparse.Namespace) -> int:
    import shutil
    import subprocess
    import sys

    from ..engine.model import Story
    from ..tools import graph
    from ._output import write_output
    from .play import load_story_or_report

    story = load_story_or_report(args.story)
    if not isinstance(story, Story):
        return 1
    if args.svg:
        dot = shutil.which("dot")
        if dot is None:
            print(
                "hyosan graph: --svg needs Graphviz's `dot`, which is not installed "
                "(Debian/Ubuntu: apt install graphviz; macOS: brew install graphviz). "
                "Meanwhile `hyosan graph --format dot -o story.dot` writes the graph for any DOT viewer.",
                file=sys.stderr,
            )
            return 1
        done = subprocess.run(
            [dot, "-Tsvg", "-o", args.svg], input=graph.render(story, "dot"), text=True, capture_output=True
        )
        if done.returncode != 0:
            print(f"hyosan graph: dot failed: {done.stderr.strip()}", file=sys.stderr)
            return 1
        print(f"wrote {args.svg}", file=sys.stderr)
        if not args.output:
            return 0
    text = graph.render(story, args.format)
    return write_output("graph", args.output, text)
