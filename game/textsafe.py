"""Text made inert before it reaches a terminal or an export.

Player names, save files and story text are other people's words: a name can carry
`ESC ] 52 ; c ; ...` (OSC 52: write the clipboard), a colour that never ends, a title
change, or a C1 byte that some terminals read as CSI. `inert` removes every escape
sequence whole (CSI, OSC, DCS, SOS/PM/APC and two-byte ESC sequences, 7-bit and 8-bit
forms), every other C0/C1 control and DEL, bidirectional overrides (which reorder what a
reader sees), and replaces lone surrogates (an undecodable byte from argv or a `\\udcff`
escape in a JSON save) with U+FFFD. Newlines and tabs are kept; `inert_line` also folds
every run of whitespace into one space, for names and table cells.

Rich markup is not this module's business: the TUI builds `rich.text.Text` objects (which
never parse `[bold]`) and calls `notify(..., markup=False)`.

Pure Python, no Textual or Rich: the plain mode, the transcript, the saves table and the
TUI all call it. It also holds the one pattern of the story format's emphasis
(`EMPHASIS`), which the TUI styles and the plain mode strips.
"""

from __future__ import annotations

import re

# An escape sequence is removed whole, so no "[31m" is left behind once ESC is gone.
_SEQUENCE = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]?               # CSI ... final byte
    | (?:\x1b\]|\x9d) [^\x07\x1b\x9c\n]* (?:\x07|\x1b\\|\x9c)?   # OSC ... BEL or ST
    | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]) [^\x1b\x9c\n]* (?:\x1b\\|\x9c)?   # DCS SOS PM APC ... ST
    | \x1b [ -/]* [0-~]?                                  # any other ESC sequence, or ESC alone
    """,
    re.VERBOSE,
)
# `**strong**` (group 1) or `*emphasis*` (group 2). One may run over the source's line
# breaks (a loudspeaker's whole announcement is one italic passage), never over a
# paragraph break.
EMPHASIS = re.compile(r"\*\*((?:(?!\n\n).)+?)\*\*|\*((?:(?!\n\n).)+?)\*", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def inert(text: str) -> str:
    """`text` with escape sequences and control characters removed (newline and tab
    kept) and lone surrogates replaced: safe to print to any terminal."""
    if text.isprintable():
        return text  # the common case: nothing to do (isprintable is False for \n too)
    text = _SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def inert_line(text: str) -> str:
    """`inert` on one line: whitespace runs (newlines too) become one space."""
    return " ".join(inert(text).split())


def is_utf8(text: str) -> bool:
    """False when `text` came from bytes that were not UTF-8 (argv decodes them to lone
    surrogates)."""
    return _SURROGATE.search(text) is None
