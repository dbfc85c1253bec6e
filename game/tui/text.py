"""Story text to Rich `Text`: the only styling is the format's emphasis (`*x*`, `**x**`).

Nothing here parses Rich markup, so `[bold]` in a story or a player's name is shown
literally; escape sequences and control characters are dropped whole (`game.textsafe`).
"""

from __future__ import annotations

from rich.text import Text

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
