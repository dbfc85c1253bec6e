"""The command line: `hyosan [play|check|...]`. `main(argv) -> exit code`.

Start-up time counts (`hyosan check --help` is measured against `python -c pass`), so this
module imports nothing heavy: each command's module is imported only when it runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# (name, module under game.commands, one-line help). Each module has
# `configure(parser)` (cheap: argparse only) and `run(args) -> int`.
COMMANDS: list[tuple[str, str, str]] = [
    ("play", "play", "play the game (the default command)"),
    ("check", "check", "check a story folder and report problems as path:line:col"),
    ("saves", "saves", "list the saved runs: player, scene, survivors, ok / damaged / changed story"),
    ("replay", "replay", "replay a saved run (TUI, or --headless transcript, --verify, --export FILE)"),
    ("save", "save", "make a save from a seed and a list of choice ids (--slot SLOT or -o FILE)"),
    ("graph", "graph", "draw the scene graph (Graphviz DOT or Mermaid)"),
    ("simulate", "simulate", "play many seeded random runs and report endings, fates and coverage"),
    ("explore", "explore", "search every reachable state: endings with witnesses, softlocks, dead code"),
    ("continuity", "continuity", "play the story many times and report what contradicts the reader's state"),
    ("test", "test", "run the story tests in DIR/tests/*.yaml"),
    ("stats", "stats", "count a story: scenes, choices, endings, words (each sentence once)"),
    ("schema", "schema", "print the JSON Schema of the story format"),
    ("lsp", "lsp", "run the language server for story files over stdio (needs hyosan[lsp])"),
    ("serve", "serve", "serve the game to web browsers (needs the web extra: pip install 'hyosan[web]')"),
]
VERSION_FLAGS = ("-V", "--version")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, just that command's options are declared (the others
    are listed by name), so a command never pays for building another's help."""
    from . import __version__

    parser = _Parser(
        prog="hyosan",
        description="Hyosan: survive the outbreak at Hyosan High School.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"hyosan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module, help_text in COMMANDS:
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        if only is None or only == name:
            _configure(module, cmd)
        cmd.set_defaults(_module=module)
    return parser


def _configure(module: str, parser: argparse.ArgumentParser) -> None:
    # Options are declared in a light `options` function inside the command module, whose
    # imports at module level are limited to argparse and the standard library.
    mod = importlib.import_module(f"game.commands.{module}")
    mod.configure(parser)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    known = [name for name, _, _ in COMMANDS]
    if args_list and not args_list[0].startswith("-") and args_list[0] not in known:
        print(unknown_command(args_list[0], known), file=sys.stderr)
        return 2
    if not args_list or args_list[0] not in (*known, "-h", "--help", *VERSION_FLAGS):
        args_list.insert(0, "play")
    parser = build_parser(args_list[0] if args_list[0] in known else None)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0)
    mod = importlib.import_module(f"game.commands.{args._module}")
    try:
        return int(mod.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def unknown_command(word: str, known: Sequence[str]) -> str:
    """One line: the unknown command, the nearest known one if any, and the list."""
    import difflib

    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"hyosan: unknown command {word!r}{hint} (commands: {', '.join(sorted(known))})"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
