"""Story text to Rich `Text`: the only styling is the format's emphasis (`*x*`, `**x**`).

Nothing here parses Rich markup, so `[bold]` in a story or a player's name is shown
literally; escape sequences and control characters are dropped whole (`game.textsafe`).
"""

from __future__ import annotations

import re

from rich._wrap import divide_line
from rich.cells import chop_cells
from rich.text import Text
from textual.content import Content

from ..textsafe import EMPHASIS, inert, inert_line


def clean(text: str) -> str:
    """Drop escape sequences and control characters but keep newlines and tabs."""
    return inert(text)


def clean_name(name: str) -> str:
    """A player's name on one line, without escape sequences or control characters."""
    return inert_line(name)


def styled(text: str, style: str = "") -> Text:
    """Story text with `**strong**` in bold and `*emphasis*` in italics."""
    out = Text(style=style)
    text = clean(text)
    pos = 0
    for match in EMPHASIS.finditer(text):
        out.append(text[pos : match.start()])
        if match.group(1) is not None:
            out.append(match.group(1), "bold")
        else:
            out.append(match.group(2), "italic")
        pos = match.end()
    out.append(text[pos:])
    return out


def paragraphs(text: str) -> Text:
    """Paragraphs separated by a blank line; line breaks inside one are joined so the
    widget wraps to its own width."""
    parts = [" ".join(p.split()) for p in clean(text).split("\n\n")]
    return styled("\n\n".join(p for p in parts if p))


_WORD = re.compile(r"\s*\S+\s*")


def _breaks(text: str, width: int) -> list[int]:
    """Where Rich's `divide_line(text, width, fold=True)` breaks a line, for text whose
    every character is one cell (printable ASCII): the same loop with `len` for
    `cell_len`, which was most of wrapping a scene."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        word = match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += end - start
        elif length > width:
            pieces = chop_cells(word, width)  # a word longer than the line is folded
            for i, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if i == len(pieces) - 1:
                    offset = len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = end - start
    return breaks


def wrap(content: Content, width: int) -> list[Content]:
    """`content.wrap(width, overflow="fold")`, the same lines (tests/tui/test_wrap.py
    compares them on the bundled story's scenes at several widths), about twice as fast:
    a line of printable ASCII is broken by `_breaks`, any other by Rich's own code."""
    out: list[Content] = []
    for line in content.split(allow_blank=True):
        line = line.expand_tabs(8)
        plain = line.plain
        one_cell = plain.isascii() and plain.isprintable()
        breaks = _breaks(plain, width) if one_cell else divide_line(plain, width, fold=True)
        pieces = line.divide(breaks) if breaks else [line]
        last = len(pieces) - 1
        for i, piece in enumerate(pieces):
            piece = piece.truncate(width) if i == last else piece.rstrip().truncate(width)
            out.append(piece.rstrip_end(width))
    return out
