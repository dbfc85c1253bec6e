"""Command output, the same way everywhere: `-o FILE` or stdout (`write_output`), and
the Rich Console every command prints through (`make_console`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any


def write_output(command: str, output: str | None, text: str) -> int:
    """Write `text` to the file `output` (saying so on stderr) or to stdout. Returns the
    exit code: 1 with a one-line message when the file cannot be written."""
    if not output:
        sys.stdout.write(text)
        return 0
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"hyosan {command}: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {output}", file=sys.stderr)
    return 0


# Wide enough that no line of a report is ever wrapped; tables are only as wide as
# their content, so nothing is padded out to this.
UNWRAPPED_WIDTH = 10_000

if TYPE_CHECKING:
    from rich.console import Console


def make_console(*, stderr: bool = False, **options: Any) -> Console:
    """The one way commands make a Rich Console. On a terminal it is Rich's own (the
    terminal's width, colours); anywhere else (a pipe, a file, a test) nothing is wrapped,
    so a `path:line:col` or a witness path stays on one line for grep and editors."""
    from rich.console import Console

    console = Console(stderr=stderr, **options)
    if not console.is_terminal:
        console.width = UNWRAPPED_WIDTH
    return console
