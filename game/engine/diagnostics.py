"""Diagnostics: what the checker tells a writer, each anchored to a file position.

Every diagnostic has a stable rule code (`E-UNKNOWN-SCENE`, `W-UNUSED-FLAG`, ...: the
letter is the severity, the rest names the rule; listed in `docs/check-json.md`). Code
that makes a diagnostic may name its code; otherwise `rule_code` derives it from the
message, so the loader's many call sites need not each carry one. `suggestion` is the
id a "did you mean" points at, kept apart from the message for editors and scripts.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .model import Pos

# what may stand between a diagnostic's column and the name it is about: `id: `, quotes
_LEAD = re.compile(r"[\s\"'\-\[{,]*(?:[\w-]+:\s*)?[\s\"'\[{]*")
_DID_YOU_MEAN = re.compile(r" \(did you mean '([^']*)'\?\)")

# (pattern searched in the message, code without its severity letter), first match wins
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"^unknown cast member ", "UNKNOWN-MEMBER"),
        (r"^unknown scene ", "UNKNOWN-SCENE"),
        (r"^unknown choice ", "UNKNOWN-CHOICE"),
        (r"^unknown item ", "UNKNOWN-ITEM"),
        (r"^unknown flag ", "UNKNOWN-FLAG"),
        (r"^unknown counter ", "UNKNOWN-COUNTER"),
        (r"^unknown location", "UNKNOWN-LOCATION"),
        (r"^no cast member has the trait", "UNKNOWN-TRAIT"),
        (r"^unknown field |^unknown expectation ", "UNKNOWN-FIELD"),
        (r"^unknown effect ", "UNKNOWN-EFFECT"),
        (r"^unknown substitution |^unmatched .* in text", "TEMPLATE"),
        (r"print as one word$", "GLUED"),
        (r"is missing the field|^missing field", "MISSING-FIELD"),
        (r"^bad condition", "CONDITION"),
        (r"^an effect |^\w+: expects |^advance: |the clock never goes back", "EFFECT"),
        (r"^an outcome needs|a roll needs", "ROLL"),
        (r"needs exactly one of goto:", "CHOICE-TARGET"),
        (r"^event .*needs exactly one of|^who: only filters", "EVENT"),
        (r"declared twice|^duplicate ", "DUPLICATE"),
        (r"is not an id|is not a usable id", "BAD-ID"),
        (r"^symlink leads out", "SYMLINK"),
        (
            r"^not a story folder|^no manifest|^unsupported story format|^the manifest has no start",
            "MANIFEST",
        ),
        (r"^the file is empty", "EMPTY-FILE"),
        (r"must be at least|must not be negative|must be between|is below", "RANGE"),
        (r"^renames", "RENAMES"),
        (r"must look like", "FORMAT"),
        (r" must be (a |an |text|true|the )|^a condition must be|^a choice id must be", "TYPE"),
        (r"has location: here, but no event", "HERE-WITHOUT-EVENT"),
        (r"is not an ending and has no choices", "NO-WAY-OUT"),
        (r"^ending .* has choices", "ENDING-WITH-CHOICES"),
        (r"returns, but .* is not an event scene", "RETURN-OUTSIDE-EVENT"),
        (r"is never reached|is unreachable from the start", "UNREACHABLE"),
        (r"^cycle of scenes", "ENDLESS-CYCLE"),
        (r"no path to any ending", "NO-ENDING-PATH"),
        (r"^flag .* is read but never set", "FLAG-NEVER-SET"),
        (r"^flag .* is set but never read", "FLAG-NEVER-READ"),
        (r"^flag .* is declared but never used", "UNUSED-FLAG"),
        (r"^counter .* is read but never changed", "COUNTER-NEVER-CHANGED"),
        (r"^counter .* is changed but never read", "COUNTER-NEVER-READ"),
        (r"no event handles the player", "UNHANDLED-PLAYER-FATE"),
        (r"^test file|^a test file|^no `tests:`|^`tests:`|^test #|^seed must|^choices must|^expect", "TEST"),
        (r"^from: ", "TEST-CHECKPOINT"),
        # the YAML parser's own messages (libyaml/PyYAML wording)
        (r"found|expected|could not|mapping values|while scanning|duplicate key|tab", "YAML"),
    )
)


def rule_code(severity: str, message: str) -> str:
    """The stable code of a message: `E-...` for errors, `W-...` for warnings."""
    letter = "E" if severity == "error" else "W"
    for pattern, code in _RULES:
        if pattern.search(message):
            return f"{letter}-{code}"
    return f"{letter}-OTHER"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: str  # "error" | "warning"
    message: str
    code: str = ""  # derived from the message when empty (see `rule_code`)
    end_line: int = 0  # 0: where the token at line:col ends (filled in by `with_end`)
    end_col: int = 0

    @classmethod
    def at(cls, pos: Pos, severity: str, message: str, code: str = "") -> Diagnostic:
        return cls(pos.path, pos.line, pos.col, severity, message, code)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    @property
    def rule(self) -> str:
        return self.code or rule_code(self.severity, self.message)

    @property
    def suggestion(self) -> str | None:
        found = _DID_YOU_MEAN.search(self.message)
        return found.group(1) if found else None

    def to_dict(self) -> dict[str, Any]:
        """What `check --json` prints for one diagnostic (see docs/check-json.md)."""
        end_line, end_col = (self.end_line, self.end_col) if self.end_line else (self.line, self.col)
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "end_line": end_line,
            "end_col": end_col,
            "severity": self.severity,
            "code": self.rule,
            "message": self.message,
            "summary": _DID_YOU_MEAN.sub("", self.message),
            "suggestion": self.suggestion,
        }

    def with_end(self, lines: list[str] | None) -> Diagnostic:
        """This diagnostic with an end position: the end of the YAML token that starts at
        line:col in `lines` (the file's text), or of the quoted name the message is about
        when that name is found there. The end column is exclusive, 1-based."""
        if self.end_line or not lines or not 1 <= self.line <= len(lines):
            return self
        text = lines[self.line - 1]
        start = max(0, self.col - 1)
        quoted = re.findall(r"'([^']+)'", self.message)
        for name in quoted:
            found = text.find(name, start)
            if found >= start and _LEAD.fullmatch(text[start:found]):
                return _replace_end(self, self.line, found + len(name) + 1)
        return _replace_end(self, self.line, _token_end(text, start) + 1)


def _replace_end(d: Diagnostic, line: int, col: int) -> Diagnostic:
    return Diagnostic(d.path, d.line, d.col, d.severity, d.message, d.code, line, max(col, d.col))


def _token_end(text: str, start: int) -> int:
    """Index just past the YAML scalar or key starting at `start` on this line."""
    if start >= len(text):
        return start
    quote = text[start]
    if quote in "\"'":
        end = text.find(quote, start + 1)
        return end + 1 if end >= 0 else len(text.rstrip())
    end = start
    depth = 0
    while end < len(text):
        c = text[end]
        if c in "[{":
            depth += 1
        elif c in "]}":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (
            c == "," or text.startswith(" #", end) or (c == ":" and text[end + 1 : end + 2] in ("", " "))
        ):
            break
        end += 1
    return start + len(text[start:end].rstrip()) if end > start else start


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when something close exists, else ''."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
