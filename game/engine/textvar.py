"""Text that varies: the template language's braces, parsed once at load time.

    {on-jo}  {item:arrows}  {they:who}          a lookup (the loader says which keys exist)
    {seq A | B | C}                             A on the first visit, B on the second, C after
    {cycle A | B}                               A, B, A, B, ...
    {once A | B}                                A, then B, then nothing
    {shuffle A | B | C}                         each once per three visits, in a seeded order
    {if present(ha-ri) then A | B}              A when the condition holds, else B (optional)
    {{ and }}                                   literal braces (outside a construct)

A "visit" is the number of times the run has entered the scene the text belongs to
(`visits` in the state), so a scene's text, its labels and its outcomes all move on
together, and rendering stays a pure function of the state: the TUI may draw a scene
as often as it likes. The shuffle's order comes from the run's seed, the construct and
the round of visits, not from the roll RNG, so text edits never change a roll and a
replay prints the same words.

No `:` in the syntax: `label: Walk {if senses then slowly | on}` is valid plain YAML,
where `{if senses: slowly}` would not be. Alternatives are trimmed of the spaces around
`|`; one that comes out empty takes a neighbouring space with it, so
"You see {once a light | } here." reads "You see here." on a return.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

MODES = ("seq", "cycle", "once", "shuffle")
_MIN_OPTIONS = {"seq": 2, "cycle": 2, "once": 1, "shuffle": 2}
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'_-]*")
_PUNCT_AFTER = frozenset(" .,;:!?)'\"\n")
_MASK = (1 << 64) - 1


class TemplateError(ValueError):
    def __init__(self, message: str, offset: int, warning: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.warning = warning  # the text works, but reads wrong (see `_Parser.glued`)


@dataclass(frozen=True, slots=True)
class Alternatives:
    mode: str  # one of MODES
    options: tuple[tuple[Any, ...], ...]
    site: int  # a stable number for this construct: seeds the shuffle


@dataclass(frozen=True, slots=True)
class InlineIf:
    source: str
    when: Callable[[Any], Any]
    then: tuple[Any, ...]
    otherwise: tuple[Any, ...]


Lookup = Callable[[str, int], Any]  # (key, offset) -> a part; raises TemplateError
Compile = Callable[[str, int], Callable[[Any], Any]]  # (condition, offset) -> evaluator


class _Parser:
    def __init__(self, source: str, lookup: Lookup, condition: Compile, site_key: str) -> None:
        self.s = source
        self.lookup = lookup
        self.condition = condition
        self.site_key = site_key
        self.errors: list[TemplateError] = []

    def fail(self, message: str, offset: int) -> None:
        self.errors.append(TemplateError(message, offset))

    def top(self) -> tuple[Any, ...]:
        out, _, _ = self.run(0, "")
        return tuple(out)

    def run(self, i: int, stops: str) -> tuple[list[Any], int, str]:
        """Text and constructs from `i` up to the first character of `stops` (not consumed)
        or the end: (parts, index, the stop found or ""). `{{` is a brace; `}}` too where
        `}` does not close anything (at the top level); a lone `}` there is an error."""
        s = self.s
        out: list[Any] = []
        literal: list[str] = []
        while i < len(s):
            c = s[i]
            if c == "{" or (c == "}" and c not in stops):
                if s.startswith(c * 2, i):
                    literal.append(c)
                    i += 2
                    continue
                if c == "}":
                    self.fail("unmatched '}' in text (write }} for a brace)", i)
                    i += 1
                    continue
                at = i
                part, i = self.brace(i)
                if part is not None:
                    _flush(out, literal)
                    if out and _varies(out[-1]) and _varies(part):
                        self.glued_pair(out[-1], part, at)
                    out.append(part)
                continue
            if c in stops:
                _flush(out, literal)
                return out, i, c
            j = _next_of(s, i, "{}" + stops)
            literal.append(s[i:j])
            i = j
        _flush(out, literal)
        return out, i, ""

    def brace(self, start: int) -> tuple[Any, int]:
        """Parse the construct opening at `start`; return (part or None, index after it)."""
        s = self.s
        word = _WORD.match(s, start + 1)
        after = word.end() if word else start + 1
        if word and after < len(s) and s[after].isspace():
            name = word.group(0)
            if name in MODES:
                return self.alternatives(start, name, after)
            if name == "if":
                return self.conditional(start, after)
        end = s.find("}", start + 1)
        other = s.find("{", start + 1)
        if end < 0 or (0 <= other < end):
            self.fail("unmatched '{' in text (write {{ for a brace)", start)
            return None, start + 1
        key = s[start + 1 : end]
        if "|" in key:
            self.fail(
                f"{{{key.strip()}}}: alternatives need a word first: "
                f"{{seq ...}}, {{cycle ...}}, {{once ...}}, {{shuffle ...}} or {{if COND then ...}}",
                start,
            )
            return None, end + 1
        try:
            return self.lookup(key.strip(), start + 1 + (len(key) - len(key.lstrip()))), end + 1
        except TemplateError as exc:
            self.errors.append(exc)
            return None, end + 1

    def options(self, start: int, at: int) -> tuple[list[tuple[Any, ...]], int]:
        """Options separated by '|' up to the closing '}' of the construct at `start`."""
        options: list[tuple[Any, ...]] = []
        i = at
        while True:
            out, i, stop = self.run(i, "|}")
            if not stop:
                self.fail("this '{' is never closed", start)
                return [], len(self.s)
            options.append(_trim(out))
            i += 1
            if stop == "}":
                return options, i

    def alternatives(self, start: int, mode: str, at: int) -> tuple[Any, int]:
        options, end = self.options(start, at)
        if not options and end >= len(self.s):
            return None, end
        if len(options) < _MIN_OPTIONS[mode]:
            self.fail(f"{{{mode} ...}} needs at least {_MIN_OPTIONS[mode]} texts separated by |", start)
            return None, end
        self.glued(start, end, options)
        site = zlib.crc32(f"{self.site_key}\0{self.s[start:end]}".encode())
        return Alternatives(mode, tuple(options), site), end

    def conditional(self, start: int, at: int) -> tuple[Any, int]:
        s = self.s
        depth = 0
        i = at
        then_at = -1
        while i < len(s) and s[i] not in "{|}":
            c = s[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif (
                depth == 0
                and s.startswith("then", i)
                and s[i - 1].isspace()
                and (i + 4 == len(s) or s[i + 4].isspace() or s[i + 4] == "}")
            ):
                then_at = i
                break
            i += 1
        if then_at < 0:
            self.fail("{if ...} needs `then`: {if CONDITION then TEXT | ELSE}", start)
            end = s.find("}", start)
            return None, (end + 1 if end >= 0 else len(s))
        cond_src = s[at:then_at]
        stripped = cond_src.strip()
        cond_off = at + (len(cond_src) - len(cond_src.lstrip()))
        options, end = self.options(start, then_at + 4)
        if not options and end >= len(s):
            return None, end
        if len(options) > 2:
            self.fail("{if ...} takes one text and at most one else: {if COND then TEXT | ELSE}", start)
            return None, end
        try:
            when = self.condition(stripped, cond_off)
        except TemplateError as exc:
            self.errors.append(exc)
            return None, end
        self.glued(start, end, options)
        return InlineIf(stripped, when, options[0], options[1] if len(options) > 1 else ()), end

    def glued(self, start: int, end: int, options: list[tuple[Any, ...]]) -> None:
        """Warn where an option runs into the text around the construct: options are
        trimmed, so `while.{if X then There is}` reads "while.There is" and
        `grass{if X then : two | near the targets}` reads "grassnear the targets". A
        one-word option next to a letter is a suffix (`friend{if N then s}`), not a glue."""
        s = self.s
        before = s[start - 1] if start > 0 else ""
        after = s[end : end + 2]
        for option in options:
            if not option:
                continue
            first, last = option[0], option[-1]
            words = " " in "".join(p for p in option if isinstance(p, str))
            if isinstance(first, str):
                starts, shown = first[:1].isalpha(), first.split(" ", 1)[0]
            else:  # a lookup starts with a name; a nested construct is checked on its own
                starts, shown = not isinstance(first, Alternatives | InlineIf), "{...}"
            if before and starts and (before in ".!?,;:" or (before.isalnum() and words)):
                message = f"no space between {before!r} and the option {shown!r}: they print as one word"
                self.errors.append(TemplateError(message, start, warning=True))
                return
            if not (isinstance(last, str) and last and words):
                continue
            ends = last[-1].isalnum() or last[-1] in ".!?,;:"
            speech = after[:1] in '"\u201c' and after[1:2].isalpha()
            if after and ends and (after[:1].isalpha() or speech):
                tail, shown = last.rsplit(" ", 1)[-1], s[end : end + 6]
                message = f"no space between the option's {tail!r} and {shown!r}: they print as one word"
                self.errors.append(TemplateError(message, end - 1, warning=True))
                return

    def glued_pair(self, first: Any, second: Any, at: int) -> None:
        """Two constructs side by side (`{if A then x, | }{if B then y | }`): the first's
        option runs into the second's, "x,y", unless a space stands between them."""
        for a in _options(first):
            tail = a[-1] if a else None
            # after a word the two may be alternatives of each other ({if N >= 2 then and
            # two | }{if N == 1 then and one | }); after a comma or a full stop, never
            if not (isinstance(tail, str) and tail and tail[-1] in ".!?,;:"):
                continue
            for b in _options(second):
                head = b[0] if b else None
                if isinstance(head, str) and head[:1].isalpha():
                    shown = head.split(" ", 1)[0]
                    end = tail.rsplit(" ", 1)[-1]
                    message = (
                        f"no space between the option's {end!r} and the next braces' {shown!r}: "
                        "they print as one word"
                    )
                    self.errors.append(TemplateError(message, at, warning=True))
                    return


def _varies(part: Any) -> bool:
    return isinstance(part, Alternatives | InlineIf)


def _options(part: Any) -> tuple[tuple[Any, ...], ...]:
    return part.options if isinstance(part, Alternatives) else (part.then, part.otherwise)


def _next_of(s: str, i: int, chars: str) -> int:
    """The index of the first of `chars` at or after `i`, or the end."""
    found = [k for k in (s.find(c, i) for c in chars) if k >= 0]
    return min(found) if found else len(s)


def _flush(out: list[Any], literal: list[str]) -> None:
    if literal:
        text = "".join(literal)
        literal.clear()
        if text:
            if out and isinstance(out[-1], str):
                out[-1] += text
            else:
                out.append(text)


def _trim(parts: list[Any]) -> tuple[Any, ...]:
    if parts and isinstance(parts[0], str):
        parts[0] = parts[0].lstrip()
    if parts and isinstance(parts[-1], str):
        parts[-1] = parts[-1].rstrip()
    return tuple(p for p in parts if p != "")


def parse(
    source: str, lookup: Lookup, condition: Compile, site_key: str = ""
) -> tuple[tuple[Any, ...], list[TemplateError]]:
    """Parse a text's braces. Returns the parts (literal strings, whatever `lookup`
    returned, `Alternatives`, `InlineIf`) and every error found, with offsets."""
    parser = _Parser(source, lookup, condition, site_key)
    parts = parser.top()
    return parts, parser.errors


def varies(parts: Sequence[Any]) -> bool:
    return any(isinstance(p, Alternatives | InlineIf) for p in parts)


# -- rendering ------------------------------------------------------------------------


def pick(mode: str, count: int, visit: int, seed: int, site: int) -> int | None:
    """Which option (0-based) the `visit`-th visit (1-based) shows; None for nothing."""
    k = max(visit, 1) - 1
    if mode == "seq":
        return min(k, count - 1)
    if mode == "cycle":
        return k % count
    if mode == "once":
        return k if k < count else None
    # shuffle: a fresh seeded permutation for each round of `count` visits
    order = list(range(count))
    state = (seed * 0x9E3779B97F4A7C15 + site * 0xBF58476D1CE4E5B9 + (k // count)) & _MASK
    for i in range(count - 1, 0, -1):
        state, value = _splitmix(state)
        j = value % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order[k % count]


def _splitmix(state: int) -> tuple[int, int]:
    state = (state + 0x9E3779B97F4A7C15) & _MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return state, z ^ (z >> 31)


def render(parts: Sequence[Any], state: Any, look: Callable[[Any, Any], str]) -> str:
    """Render parts against a state (anything with `scene`, `visits`, `seed`, and what
    the conditions read); `look(part, state)` renders the lookups."""
    out: list[str] = []
    _render_into(out, parts, state, look, state.visits.get(state.scene, 1))
    return "".join(out)


def inner_visit(mode: str, count: int, visit: int) -> int:
    """How many times the chosen option has been shown, this visit included: a construct
    nested in an option counts the option's showings, not the scene's visits."""
    k = max(visit, 1) - 1
    if mode == "seq":
        return max(1, k - (count - 1) + 1)
    if mode in ("cycle", "shuffle"):
        return k // count + 1
    return 1  # once: shown a single time


def _render_into(
    out: list[str], parts: Sequence[Any], state: Any, look: Callable[[Any, Any], str], visit: int
) -> None:
    for index, part in enumerate(parts):
        if isinstance(part, str):
            out.append(part)
            continue
        if isinstance(part, Alternatives):
            count = len(part.options)
            chosen = pick(part.mode, count, visit, state.seed, part.site)
            inner = part.options[chosen] if chosen is not None else ()
            inner_v = inner_visit(part.mode, count, visit)
        elif isinstance(part, InlineIf):
            inner = part.then if part.when(state) else part.otherwise
            inner_v = visit
        else:
            out.append(look(part, state))
            continue
        mark = len(out)
        _render_into(out, inner, state, look, inner_v)
        if not "".join(out[mark:]):
            _close_gap(out, parts, index)


def _close_gap(out: list[str], parts: Sequence[Any], index: int) -> None:
    """An option rendered empty: drop the space before it when a space or punctuation
    follows, so "a {once b | } c" reads "a c", not "a  c"."""
    following = parts[index + 1] if index + 1 < len(parts) else None
    nxt = following[:1] if isinstance(following, str) else ""
    if following is not None and not isinstance(following, str):
        return
    if nxt and nxt not in _PUNCT_AFTER:
        return
    for j in range(len(out) - 1, -1, -1):
        if out[j]:
            if out[j].endswith(" "):
                out[j] = out[j][:-1]
            return
