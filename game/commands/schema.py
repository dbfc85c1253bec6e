"""`hyosan schema [-o FILE] [--check FILE]`: the JSON Schema of the story format."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (e.g. docs/story.schema.json)")
    parser.add_argument(
        "--check", metavar="FILE", help="exit 1 if FILE differs from the schema this engine writes"
    )


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from ..tools.schema import dumps
    from ._output import write_output

    text = dumps()
    if args.check:
        try:
            current = Path(args.check).read_text(encoding="utf-8")
        except OSError as exc:
            print(f"hyosan schema: cannot read {args.check}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        if current != text:
            print(f"{args.check} is out of date: run `hyosan schema -o {args.check}`", file=sys.stderr)
            return 1
        print(f"{args.check} is up to date", file=sys.stderr)
        return 0
    return write_output("schema", args.output, text)
