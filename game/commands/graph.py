"""`hyosan graph [DIR] --format dot|mermaid [-o FILE] [--svg FILE] [--only PART]`: the
scene graph, or one part of it (an area, a location, a story file or a scene id prefix).

`--svg` runs Graphviz's `dot`. If `dot` fails on the clustered layout (old Graphviz
builds have bugs there), the graph is drawn again without the location clusters and the
writer is told why; if `dot` only warned, the SVG is written and the writer is told so.
"""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", metavar="DIR", help="story folder (default: the bundled story)")
    parser.add_argument(
        "--format", choices=("dot", "mermaid"), default="dot", help="output format (default: dot)"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--svg", metavar="FILE", help="render an SVG with Graphviz's dot (when installed)")
    parser.add_argument(
        "--only",
        metavar="PART",
        help="draw one part: an area, a location, a story file or a scene id prefix "
        "(scenes it connects to outside are grey stubs)",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from ..engine.model import Story
    from ..tools import graph
    from ._output import write_output
    from .play import load_story_or_report

    story = load_story_or_report(args.story)
    if not isinstance(story, Story):
        return 1
    try:
        text = graph.render(story, args.format, args.only)
    except ValueError as exc:
        print(f"hyosan graph: {exc}", file=sys.stderr)
        return 1
    if args.svg:
        code = _svg(story, args)
        if code or not args.output:
            return code
    return write_output("graph", args.output, text)


def _first_lines(stderr: str, n: int = 3) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    shown = "; ".join(lines[:n])
    return shown + (f" (and {len(lines) - n} more lines)" if len(lines) > n else "")


def _svg(story: object, args: argparse.Namespace) -> int:
    import shutil
    import subprocess
    import sys

    from ..tools import graph

    dot = shutil.which("dot")
    if dot is None:
        print(
            "hyosan graph: --svg needs Graphviz's `dot`, which is not installed "
            "(Debian/Ubuntu: apt install graphviz; macOS: brew install graphviz). "
            "Meanwhile `hyosan graph --format dot -o story.dot` writes the graph for any DOT viewer.",
            file=sys.stderr,
        )
        return 1

    def draw(clusters: bool) -> subprocess.CompletedProcess[str]:
        source = graph.render(story, "dot", args.only, clusters=clusters)  # type: ignore[arg-type]
        return subprocess.run([dot, "-Tsvg", "-o", args.svg], input=source, text=True, capture_output=True)

    try:
        done = draw(True)
        note = ""
        if done.returncode != 0:
            first = _first_lines(done.stderr, 1)
            done = draw(False)
            note = f" without location clusters (dot failed on the clustered layout: {first})"
    except OSError as exc:
        print(f"hyosan graph: cannot run {dot}: {exc}", file=sys.stderr)
        return 1
    if done.returncode != 0:
        print(f"hyosan graph: dot failed: {_first_lines(done.stderr)}", file=sys.stderr)
        return 1
    print(f"wrote {args.svg}{note}", file=sys.stderr)
    if done.stderr.strip():
        print(
            f"dot only warned; the SVG is written and fine: {_first_lines(done.stderr)}",
            file=sys.stderr,
        )
    return 0
