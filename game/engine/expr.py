"""The condition language: parsed once at load time into closures over the state.

Grammar (no arithmetic, no attribute access, no Python):

    expr   := and ('or' and)*
    and    := not ('and' not)*
    not    := 'not' not | cmp
    cmp    := atom (('=='|'!='|'<'|'<='|'>'|'>=') atom)?
    atom   := NUMBER | TIME | NAME | NAME '(' arg (',' arg)* ')' | '(' expr ')'
            | ('anyone' | 'count') '(' who (',' 'player')? ')'
    who    := the same and/or/not/parentheses over status words (`quantifiers`)

Every name an expression mentions is returned as a `Ref` so the checker can tell a
writer about `flag(door-barricated)` before any player meets it, and every comparison
with a constant as a `Threshold` (explore's state key is built from them).

Over 400 lines: the parser and the closures it builds are one grammar; the closures are
specialised by hand for speed (see below), which makes them long rather than complex.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from . import quantifiers, queries
from .clock import MINUTES_PER_DAY, clock_at, day_of, parse_clock
from .diagnostics import did_you_mean
from .model import PLAYER, STATUSES, WHO, Threshold
from .state import ALIVE

Fn = Callable[[Any], Any]


class ExprError(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Ref:
    kind: str  # member, item, flag, counter, scene, place, trait, status
    name: str
    offset: int


def _nowhere(scene_id: str, returns: Sequence[str] = ()) -> str:
    return ""


@dataclass
class Context:
    """Story facts the evaluators need, filled in by the loader once all files are read.
    `location_of` is the story's own `Story.location_of` (where a scene is, following an
    event scene back to where it interrupted)."""

    location_of: Callable[[str, Sequence[str]], str] = _nowhere
    location_area: dict[str, str] = field(default_factory=dict)
    traits: dict[str, frozenset[str]] = field(default_factory=dict)


_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<time>(?:\d+d)?\d{1,2}:\d\d)"
    r"|(?P<num>-?\d+(?:\.\d+)?)"
    r"|(?P<name>[A-Za-z_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)"
    r"|(?P<op>==|!=|<=|>=|<|>|\(|\)|,)"
    r")"
)

# function name -> (argument kinds, result type)
FUNCTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "present": (("member",), "bool"),
    "with": (("member",), "bool"),
    "alive": (("member",), "bool"),
    "known": (("member",), "bool"),
    "is": (("member", "status"), "bool"),
    "trait": (("member", "trait"), "bool"),
    "hunger": (("member",), "num"),
    "has": (("item",), "bool"),
    "item": (("item",), "num"),
    "flag": (("flag",), "bool"),
    "counter": (("counter",), "num"),
    "visits": (("scene",), "num"),
    "visited": (("scene",), "bool"),
    "at": (("place",), "bool"),
    "you": (("member",), "bool"),
    **queries.FUNCTIONS,  # the run's memory and the time of day
    **quantifiers.FUNCTIONS,  # anyone(...), count(...): over the whole cast
}
NAMES: dict[str, str] = {
    "party": "num",
    "senses": "bool",
    "noise": "num",
    "clock": "num",
    "day": "num",
    "true": "bool",
    "false": "bool",
    **queries.NAMES,
}


def _tokenize(source: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if not match or match.end() == pos:
            bad = pos + (len(source[pos:]) - len(source[pos:].lstrip()))
            raise ExprError(f"unexpected character {source[bad]!r}", bad)
        kind = match.lastgroup or ""
        value = match.group(kind)
        tokens.append((kind, value, match.start(kind)))
        pos = match.end()
    tokens.append(("end", "", len(source)))
    return tokens


_party_memo: tuple[object, int] = (None, 0)


def _party(state: Any) -> int:
    """`party`: members present. Counted once per members mapping: a frozen state shares
    its mapping from step to step and never edits it. A `Work` that has copied it to
    edit (`members` in its `dirty`) is counted afresh every time, as is anything else
    with a `dirty` naming `members`."""
    global _party_memo
    members = state.members
    seen, n = _party_memo
    if seen is members:
        return n
    n = sum(1 for m in members.values() if m.present)
    if "members" not in getattr(state, "dirty", ()):
        _party_memo = (members, n)
    return n


def _member(state: Any, mid: str) -> Any:
    if mid == WHO:
        mid = state.subject or ""
    return state.members.get(mid)


class _Parser:
    def __init__(self, source: str, ctx: Context) -> None:
        self.source = source
        self.ctx = ctx
        self.tokens = _tokenize(source)
        self.i = 0
        self.refs: list[Ref] = []
        self.thresholds: list[Threshold] = []
        # what the last atom was: a constant, a quantity (name, arg), or None
        self.atom: float | tuple[str, str] | None = None

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        kind, text, off = self.take()
        if text != value or kind not in ("op",):
            found = "the end" if kind == "end" else repr(text)
            raise ExprError(f"expected {value!r}, found {found}", off)

    def parse(self) -> tuple[Fn, str]:
        fn, typ = self.parse_or()
        kind, text, off = self.peek()
        if kind != "end":
            raise ExprError(f"unexpected {text!r}", off)
        return fn, typ

    def need_bool(self, typ: str, off: int) -> None:
        if typ != "bool":
            raise ExprError("a number is not a condition: compare it (e.g. `> 0`)", off)

    def parse_or(self) -> tuple[Fn, str]:
        off = self.peek()[2]
        left, typ = self.parse_and()
        parts = [left]
        while self.peek()[1] == "or" and self.peek()[0] == "name":
            self.need_bool(typ, off)
            self.take()
            off = self.peek()[2]
            right, typ = self.parse_and()
            self.need_bool(typ, off)
            parts.append(right)
        if len(parts) == 1:
            return left, typ
        return _fold_or(parts), "bool"

    def parse_and(self) -> tuple[Fn, str]:
        off = self.peek()[2]
        left, typ = self.parse_not()
        parts = [left]
        while self.peek()[1] == "and" and self.peek()[0] == "name":
            self.need_bool(typ, off)
            self.take()
            off = self.peek()[2]
            right, typ = self.parse_not()
            self.need_bool(typ, off)
            parts.append(right)
        if len(parts) == 1:
            return left, typ
        return _fold_and(parts), "bool"

    def parse_not(self) -> tuple[Fn, str]:
        kind, text, off = self.peek()
        if kind == "name" and text == "not":
            self.take()
            inner, typ = self.parse_not()
            self.need_bool(typ, self.peek()[2] if typ != "bool" else off)
            flag = _FLAG_OF.get(inner)
            if flag is not None:  # `not flag(x)`, the commonest negation, in one call
                return (lambda s: flag not in s.flags), "bool"
            return (lambda s: not inner(s)), "bool"
        return self.parse_cmp()

    def parse_cmp(self) -> tuple[Fn, str]:
        off = self.peek()[2]
        left, ltyp = self.parse_atom()
        latom = self.atom
        kind, op, op_off = self.peek()
        if kind == "op" and op in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            roff = self.peek()[2]
            right, rtyp = self.parse_atom()
            ratom = self.atom
            if ltyp != "num":
                raise ExprError(f"{op} compares numbers; the left side is a condition", off)
            if rtyp != "num":
                raise ExprError(f"{op} compares numbers; the right side is a condition", roff)
            self.note(latom, op, ratom)
            self.note(ratom, _FLIPPED[op], latom)
            self.atom = None
            return _compare(op, left, right, latom), "bool"
        if isinstance(latom, tuple):  # a number not compared here: every value may matter
            self.thresholds.append(Threshold(latom[0], latom[1], None, None))
        return left, ltyp

    def note(
        self, side: float | tuple[str, str] | None, op: str, other: float | tuple[str, str] | None
    ) -> None:
        if not isinstance(side, tuple):
            return
        if other is None or isinstance(other, tuple):
            self.thresholds.append(Threshold(side[0], side[1], None, None))
        else:
            self.thresholds.append(Threshold(side[0], side[1], op, other))

    def parse_atom(self) -> tuple[Fn, str]:
        self.atom = None
        kind, text, off = self.take()
        if kind == "num":
            value = float(text) if "." in text else int(text)
            self.atom = value
            return _constant(value), "num"
        if kind == "time":
            day_part, _, hm = text.rpartition("d")
            hours, minutes = hm.split(":")
            if int(minutes) > 59 or int(hours) > 23:
                raise ExprError(f"{text!r} is not a time of day", off)
            day = int(day_part) if day_part else 1
            if day < 1:
                raise ExprError("days start at 1", off)
            value = clock_at(day, int(hours), int(minutes))
            self.atom = value
            return _constant(value), "num"
        if kind == "op" and text == "(":
            inner, typ = self.parse_or()
            self.expect(")")
            self.atom = None
            return inner, typ
        if kind == "name":
            if self.peek()[1] == "(" and self.peek()[0] == "op":
                fn, typ = self.parse_call(text, off)
            else:
                fn, typ = self.parse_name(text, off)
            return fn, typ
        found = "the end of the condition" if kind == "end" else repr(text)
        raise ExprError(f"expected a value, found {found}", off)

    def parse_name(self, name: str, off: int) -> tuple[Fn, str]:
        typ = NAMES.get(name)
        if typ is None:
            if name in FUNCTIONS:
                raise ExprError(f"{name} needs an argument: {name}(...)", off)
            raise ExprError(f"unknown name {name!r}", off)
        ctx = self.ctx
        fn: Fn
        if name in queries.NAMES:  # visit, time
            fn = queries.name_value(name)
        elif name == "true":
            fn = lambda s: True  # noqa: E731
        elif name == "false":
            fn = lambda s: False  # noqa: E731
        elif name == "noise":
            fn = lambda s: s.noise  # noqa: E731
        elif name == "clock":
            fn = lambda s: s.clock  # noqa: E731
        elif name == "day":
            fn = lambda s: day_of(s.clock)  # noqa: E731
        elif name == "party":
            fn = _party
        else:  # senses
            fn = lambda s: any(m.senses for m in s.members.values())  # noqa: E731
        del ctx
        if typ == "num":
            self.atom = (name, "")
        return fn, typ

    def parse_call(self, name: str, off: int) -> tuple[Fn, str]:
        spec = FUNCTIONS.get(name)
        if spec is None:
            raise ExprError(f"unknown function {name!r}" + did_you_mean(name, FUNCTIONS), off)
        kinds, typ = spec
        if name in quantifiers.FUNCTIONS:
            return self.parse_quantifier(name, typ)
        self.expect("(")
        args: list[str] = []
        while True:
            akind, atext, aoff = self.take()
            if akind not in ("name", "num") or (akind == "num" and "-" in atext):
                found = "')'" if atext == ")" else repr(atext) if atext else "the end"
                raise ExprError(f"{name}() expects a name, found {found}", aoff)
            index = len(args)
            if index < len(kinds):
                kind = kinds[index]
                if kind == "member" and atext in (PLAYER, WHO):
                    pass
                elif kind in queries.CHOICES:
                    allowed = queries.CHOICES[kind]
                    if atext not in allowed:
                        raise ExprError(f"unknown {kind} {atext!r} (one of {', '.join(allowed)})", aoff)
                elif kind == "status":
                    if atext not in STATUSES:
                        raise ExprError(f"unknown status {atext!r} (one of {', '.join(STATUSES)})", aoff)
                else:
                    self.refs.append(Ref(kind, atext, aoff))
            args.append(atext)
            sep = self.take()
            if sep[1] == ")":
                break
            if sep[1] != ",":
                raise ExprError(f"expected ',' or ')' in {name}(...)", sep[2])
        if len(args) != len(kinds):
            raise ExprError(
                f"{name}() takes {len(kinds)} argument{'s' if len(kinds) > 1 else ''}, got {len(args)}",
                off,
            )
        if typ == "num":
            self.atom = (name, args[0])
        elif name in queries.FUNCTIONS:  # reads the history, the visits or the time of day
            self.thresholds.append(Threshold(name, args[0], None, None))
        elif name == "visited":
            self.thresholds.append(Threshold("visits", args[0], ">=", 1))
        return _call(name, args, self.ctx), typ

    def parse_quantifier(self, name: str, typ: str) -> tuple[Fn, str]:
        """`anyone(...)`, `count(...)`: their argument is a condition about one member,
        parsed by `quantifiers` from the same tokens."""
        try:
            fn, self.i, describe = quantifiers.parse(name, self.tokens, self.i)
        except quantifiers.QuantifierError as exc:
            raise ExprError(exc.message, exc.offset) from None
        if typ == "num":
            self.atom = (name, describe)
        return fn, typ


# Conditions run several times per step (choices, text, events), so the closures below
# are specialised: binary and/or instead of all()/any() over generators, comparisons with
# a constant side captured as a value, member lookups without `who` resolution when the
# id is fixed. bench/bench_engine.py measures the effect.


_FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


class _Const:
    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = value

    def __call__(self, s: Any) -> float:
        return self.value


def _constant(value: float) -> Fn:
    return _Const(value)


def _fold_and(parts: list[Fn]) -> Fn:
    """`a and b and ...` as few closures as possible: one per four parts (the same
    value as nested pairs: Python's `and` returns the first falsy part or the last)."""
    fn = _and_n(parts[-4:])
    rest = parts[:-4]
    while rest:
        fn = _and_n([*rest[-3:], fn])
        rest = rest[:-3]
    return fn


def _and_n(parts: list[Fn]) -> Fn:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda s: a(s) and b(s)
    if len(parts) == 3:
        a, b, c = parts
        return lambda s: a(s) and b(s) and c(s)
    a, b, c, d = parts
    return lambda s: a(s) and b(s) and c(s) and d(s)


def _fold_or(parts: list[Fn]) -> Fn:
    """`a or b or ...`, as `_fold_and`."""
    fn = _or_n(parts[-4:])
    rest = parts[:-4]
    while rest:
        fn = _or_n([*rest[-3:], fn])
        rest = rest[:-3]
    return fn


def _or_n(parts: list[Fn]) -> Fn:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda s: a(s) or b(s)
    if len(parts) == 3:
        a, b, c = parts
        return lambda s: a(s) or b(s) or c(s)
    a, b, c, d = parts
    return lambda s: a(s) or b(s) or c(s) or d(s)


def _compare(op: str, left: Fn, right: Fn, quantity: float | tuple[str, str] | None = None) -> Fn:
    if isinstance(right, _Const):
        v = right.value
        fused = _compare_quantity(op, quantity, v)
        if fused is not None:
            return fused
        if op == "==":
            return lambda s: left(s) == v
        if op == "!=":
            return lambda s: left(s) != v
        if op == "<":
            return lambda s: left(s) < v
        if op == "<=":
            return lambda s: left(s) <= v
        if op == ">":
            return lambda s: left(s) > v
        return lambda s: left(s) >= v
    if op == "==":
        return lambda s: left(s) == right(s)
    if op == "!=":
        return lambda s: left(s) != right(s)
    if op == "<":
        return lambda s: left(s) < right(s)
    if op == "<=":
        return lambda s: left(s) <= right(s)
    if op == ">":
        return lambda s: left(s) > right(s)
    return lambda s: left(s) >= right(s)


def _compare_quantity(op: str, quantity: float | tuple[str, str] | None, v: float) -> Fn | None:
    """`clock >= 2d06:00`, `counter(x) > 2`, `item(x) < 1` in one closure, reading the
    state as the quantity's own closure does (same values, one call instead of two)."""
    if not isinstance(quantity, tuple) or op not in _OPS:
        return None
    name, a = quantity
    if name == "clock":
        read = _CLOCK_CMP
    elif name == "counter":
        read = _COUNTER_CMP
    elif name == "item":
        read = _ITEM_CMP
    else:
        return None
    return read[op](a, v)


_OPS = ("==", "!=", "<", "<=", ">", ">=")
_CLOCK_CMP: dict[str, Callable[[str, float], Fn]] = {
    "==": lambda a, v: lambda s: s.clock == v,
    "!=": lambda a, v: lambda s: s.clock != v,
    "<": lambda a, v: lambda s: s.clock < v,
    "<=": lambda a, v: lambda s: s.clock <= v,
    ">": lambda a, v: lambda s: s.clock > v,
    ">=": lambda a, v: lambda s: s.clock >= v,
}
_COUNTER_CMP: dict[str, Callable[[str, float], Fn]] = {
    "==": lambda a, v: lambda s: s.counters.get(a, 0) == v,
    "!=": lambda a, v: lambda s: s.counters.get(a, 0) != v,
    "<": lambda a, v: lambda s: s.counters.get(a, 0) < v,
    "<=": lambda a, v: lambda s: s.counters.get(a, 0) <= v,
    ">": lambda a, v: lambda s: s.counters.get(a, 0) > v,
    ">=": lambda a, v: lambda s: s.counters.get(a, 0) >= v,
}
_ITEM_CMP: dict[str, Callable[[str, float], Fn]] = {
    "==": lambda a, v: lambda s: s.inventory.get(a, 0) == v,
    "!=": lambda a, v: lambda s: s.inventory.get(a, 0) != v,
    "<": lambda a, v: lambda s: s.inventory.get(a, 0) < v,
    "<=": lambda a, v: lambda s: s.inventory.get(a, 0) <= v,
    ">": lambda a, v: lambda s: s.inventory.get(a, 0) > v,
    ">=": lambda a, v: lambda s: s.inventory.get(a, 0) >= v,
}
# `flag(x)` closures and their flag, for `not flag(x)` (a weak map: closures come and go
# with the stories loaded)
_FLAG_OF: WeakKeyDictionary[Fn, str] = WeakKeyDictionary()


def _status_check(a: str, status: str) -> Fn:
    """`is(a, status)` for a fixed member: `MemberState.has_status` written out."""
    if status in ("zombie", "hambie", "dead"):
        return lambda s: (m := s.members.get(a)) is not None and m.fate == status
    if status in ("missing", "away"):
        return lambda s: (m := s.members.get(a)) is not None and m.where == status
    if status == "bitten":
        return lambda s: (m := s.members.get(a)) is not None and m.fate == "human" and m.bitten
    if status == "injured":
        return lambda s: (m := s.members.get(a)) is not None and m.fate in ALIVE and m.injured
    if status == "healthy":
        return lambda s: (
            (m := s.members.get(a)) is not None and m.fate == "human" and not m.bitten and not m.injured
        )
    return lambda s: False


def _call(name: str, args: list[str], ctx: Context) -> Fn:
    if name in queries.FUNCTIONS:
        return queries.build(name, args, ctx)
    a = args[0]
    if a != WHO and name in ("present", "with", "alive"):
        # the common case, a fixed id: no `who` to resolve
        if name == "present":
            return lambda s: (m := s.members.get(a)) is not None and m.present
        if name == "with":
            return lambda s: (m := s.members.get(a)) is not None and m.with_party
        return lambda s: (m := s.members.get(a)) is not None and m.alive
    if name == "present":
        return lambda s: bool((m := _member(s, a)) and m.present)
    if name == "with":
        return lambda s: bool((m := _member(s, a)) and m.with_party)
    if name == "alive":
        return lambda s: bool((m := _member(s, a)) and m.alive)
    if name == "known":
        return lambda s: bool((m := _member(s, a)) and m.bite_known)
    if name == "is":
        status = args[1]
        if a != WHO:
            return _status_check(a, status)
        return lambda s: bool((m := _member(s, a)) and m.has_status(status))
    if name == "trait":
        trait = args[1]
        traits = ctx.traits

        def has_trait(s: Any) -> bool:
            mid = s.subject if a == WHO else a
            m = s.members.get(mid)
            return bool(m and m.present and trait in traits.get(mid, ()))

        return has_trait
    if name == "hunger":
        return lambda s: (m := _member(s, a)) and m.hunger or 0
    if name == "you":
        return lambda s: (s.subject if a == WHO else a) == PLAYER
    if name == "has":
        return lambda s: s.inventory.get(a, 0) > 0
    if name == "item":
        return lambda s: s.inventory.get(a, 0)
    if name == "flag":
        fn: Fn = lambda s: a in s.flags  # noqa: E731
        _FLAG_OF[fn] = a
        return fn
    if name == "counter":
        return lambda s: s.counters.get(a, 0)
    if name == "visits":
        return lambda s: s.visits.get(a, 0)
    if name == "visited":
        return lambda s: a in s.visits
    # at(place)
    location_area = ctx.location_area

    def at(s: Any) -> bool:
        loc = ctx.location_of(s.scene, s.returns)
        return loc == a or location_area.get(loc) == a

    return at


_BOUND_OPS = ("==", "<", "<=", ">", ">=")


def guard(source: str) -> tuple[str | None, float, float]:
    """A cheap stand-in for evaluating a valid condition, for rules checked every step:
    (flag, lo, hi). `flag` is the flag's name when the whole condition is `flag(name)`
    (its value is then `name in flags`). Otherwise, when the condition is a chain of
    `and`s some of whose parts compare `clock` with a constant or `day` with a whole
    number, it is false whenever the clock (a whole number of minutes) is below `lo` or
    not below `hi`; without such a part, lo and hi are -inf and inf."""
    tokens = _tokenize(source)
    if [(k, t) for k, t, _ in tokens[:2]] == [("name", "flag"), ("op", "(")] and len(tokens) == 5:
        if tokens[2][0] in ("name", "num") and tokens[3][1] == ")":
            return tokens[2][1], -math.inf, math.inf
    lo, hi = -math.inf, math.inf
    parts: list[list[tuple[str, str, int]]] = [[]]
    depth = 0
    for tok in tokens[:-1]:
        kind, text, _ = tok
        if kind == "op" and text in "()":
            depth += 1 if text == "(" else -1
        elif kind == "name" and depth == 0 and text in ("and", "or"):
            if text == "or":
                return None, -math.inf, math.inf
            parts.append([])
            continue
        parts[-1].append(tok)
    for part in parts:
        if len(part) != 3 or part[1][0] != "op" or part[1][1] not in _BOUND_OPS:
            continue
        (lk, lt, _), (_, op, _), (rk, rt, _) = part
        if lk == "name" and lt in ("clock", "day"):
            quantity, kind, text = lt, rk, rt
        elif rk == "name" and rt in ("clock", "day"):
            quantity, kind, text, op = rt, lk, lt, _FLIPPED[op]
        else:
            continue
        if quantity == "day":
            # day = clock // 1440 + 1: `day OP n` is `clock OP' m` for a whole day n
            if kind != "num" or "." in text:
                continue
            first = (int(text) - 1) * MINUTES_PER_DAY  # the day's first minute
            if op == "==":
                lo, hi = max(lo, first), min(hi, first + MINUTES_PER_DAY)
            elif op in (">=", ">"):
                lo = max(lo, first + (MINUTES_PER_DAY if op == ">" else 0))
            else:
                hi = min(hi, first + (MINUTES_PER_DAY if op == "<=" else 0))
            continue
        value = _whole_minutes(kind, text)
        if value is None:
            continue
        if op in ("==", ">="):
            lo = max(lo, value)
        elif op == ">":
            lo = max(lo, value + 1)
        if op == "==":
            hi = min(hi, value + 1)
        elif op == "<":
            hi = min(hi, value)
        elif op == "<=":
            hi = min(hi, value + 1)
    return None, lo, hi


def required_flag(source: str) -> str | None:
    """A flag a valid condition cannot hold without: the name in the first part that is
    `flag(name)` of a chain of `and`s (the whole condition, or one of its parts), else
    None. The rules check such a when-rule only in states that have the flag."""
    tokens = _tokenize(source)[:-1]
    parts: list[list[tuple[str, str, int]]] = [[]]
    depth = 0
    for tok in tokens:
        kind, text, _ = tok
        if kind == "op" and text in "()":
            depth += 1 if text == "(" else -1
        elif kind == "name" and depth == 0 and text in ("and", "or"):
            if text == "or":
                return None
            parts.append([])
            continue
        parts[-1].append(tok)
    for part in parts:
        if len(part) == 4 and [t for _, t, _ in part[:2]] == ["flag", "("] and part[3][1] == ")":
            if part[2][0] in ("name", "num"):
                return part[2][1]
    return None


def needs_infection(source: str) -> str:
    """What a valid condition needs to hold, when it is a chain of `and`s one of whose
    parts is `is(member, hambie)` or `anyone(hambie ...)` ("hambie": someone is a
    hambie), or else `is(member, bitten)`, `known(member)` or `anyone(known ...)`
    ("bitten": someone is bitten or a hambie; see `_anyone_needs`);
    "" otherwise. The rules skip such a when-rule outright in the (common) states where
    nobody is (`infection.summary`)."""
    tokens = _tokenize(source)[:-1]
    parts: list[list[str]] = [[]]
    depth = 0
    for kind, text, _ in tokens:
        if kind == "op" and text in "()":
            depth += 1 if text == "(" else -1
        elif kind == "name" and depth == 0 and text in ("and", "or"):
            if text == "or":
                return ""
            parts.append([])
            continue
        parts[-1].append(text if kind != "op" or text in "()," else "?")
    found = ""
    for part in parts:
        if len(part) == 6 and part[:2] == ["is", "("] and part[3] == "," and part[5] == ")":
            if part[4] == "hambie":
                return "hambie"
            if part[4] == "bitten":
                found = "bitten"
        if len(part) == 4 and part[:2] == ["known", "("] and part[3] == ")":
            found = "bitten"
        if len(part) >= 4 and part[:2] == ["anyone", "("] and part[-1] == ")":
            needs = _anyone_needs(part[2:-1])
            if needs == "hambie":
                return needs
            found = needs or found
    return found


def _anyone_needs(inner: list[str]) -> str:
    """`needs_infection` of `anyone(inner)`: "hambie" when every `or` of it names
    `hambie` among its `and`s, "bitten" when every one names bitten, known or hambie
    (`anyone(known and present)`); a word after `not` names nothing; "" when it has
    parentheses."""
    if inner[-2:] == [",", PLAYER]:
        inner = inner[:-2]
    if "(" in inner or "," in inner:
        return ""
    alternatives: list[set[str]] = [set()]
    negated = False
    for word in inner:
        if word == "or":
            alternatives.append(set())
        elif word == "not":
            negated = not negated
            continue
        elif word != "and" and not negated:
            alternatives[-1].add(word)
        negated = False
    if all("hambie" in a for a in alternatives):
        return "hambie"
    if all(a & {"bitten", "known", "hambie"} for a in alternatives):
        return "bitten"
    return ""


def _whole_minutes(kind: str, text: str) -> int | None:
    if kind == "num":
        return None if "." in text else int(text)
    if kind == "time":
        found = parse_clock(text)
        return None if found is None else clock_at(*found)
    return None


class Compiled(NamedTuple):
    """A compiled condition: the evaluator, the names it mentions (`Ref`), and the
    comparisons with constants it makes (`Threshold`)."""

    evaluate: Fn
    refs: list[Ref]
    thresholds: tuple[Threshold, ...]


def compile_full(source: str, ctx: Context) -> Compiled:
    """Parse `source`; raise ExprError (with an offset into `source`) when it is bad."""
    if not source.strip():
        raise ExprError("empty condition", 0)
    parser = _Parser(source, ctx)
    fn, typ = parser.parse()
    if typ != "bool":
        raise ExprError("a number is not a condition: compare it (e.g. `> 0`)", 0)
    return Compiled(fn, parser.refs, tuple(parser.thresholds))


def compile_condition(source: str, ctx: Context) -> tuple[Fn, list[Ref]]:
    """Parse `source` into its evaluator and the names it mentions (see `compile_full`)."""
    compiled = compile_full(source, ctx)
    return compiled.evaluate, compiled.refs
