"""`hyosan lsp`: the language server for story files, over stdio (needs `hyosan[lsp]`)."""

from __future__ import annotations

import argparse

INSTALL_HINT = "pip install 'hyosan[lsp]'"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stdio",
        action="store_true",
        help="talk LSP over stdin/stdout (the default and only transport; editors often pass it)",
    )


def run(args: argparse.Namespace) -> int:
    import importlib.util
    import sys

    if importlib.util.find_spec("pygls") is None:
        print(f"hyosan lsp: the language server needs pygls: {INSTALL_HINT}", file=sys.stderr)
        return 2
    from ..lsp.server import main

    return main()
