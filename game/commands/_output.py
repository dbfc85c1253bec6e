"""Writing a command's text output to `-o FILE` or to stdout, the same way everywhere."""

from __future__ import annotations

import sys
from pathlib import Path


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
