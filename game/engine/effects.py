"""Effects as types: one frozen dataclass per effect, and the one table that describes them.

The table (`EFFECT_SPECS`) is the single place an effect is declared. From it:
- the loader reads `{op: argument}` (each spec's `arg` reads and checks the argument),
- `game/tools/schema.py` builds the JSON Schema's effect entries,
- `effects_markdown()` writes the effect table of docs/story-format.md (a test keeps the
  committed doc equal to it),
- `rules.apply_effect` applies each class through its function in `rules._APPLY`, a
  table by type (tests/engine/test_effects.py fails for an effect the rules forgot).

Adding an effect: a dataclass here (with `op`), a row in `EFFECT_SPECS` (an existing
argument kind, or a new `ArgKind` here), and its function in `rules._APPLY`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from .model import Condition, Pos

if TYPE_CHECKING:
    from .loader.effects import EffectReader

Counts = tuple[tuple[str, int], ...]


# -- the effects ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Join:
    op: ClassVar[str] = "join"
    who: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Leave:
    op: ClassVar[str] = "leave"
    who: str
    how: str  # what the fate line says happened ("was taken by the army"), or "" for the default
    pos: Pos


@dataclass(frozen=True, slots=True)
class Separate:
    op: ClassVar[str] = "separate"
    who: str
    how: str  # what the fate line says happened ("was taken by the army"), or "" for the default
    pos: Pos


@dataclass(frozen=True, slots=True)
class Injure:
    op: ClassVar[str] = "injure"
    who: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Heal:
    op: ClassVar[str] = "heal"
    who: str  # a member id, or "all"
    pos: Pos


@dataclass(frozen=True, slots=True)
class Kill:
    op: ClassVar[str] = "kill"
    who: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Feed:
    op: ClassVar[str] = "feed"
    who: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Turn:
    op: ClassVar[str] = "turn"
    who: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Bite:
    op: ClassVar[str] = "bite"
    who: str
    concealed: bool
    by: str  # who bit (a member id, `player`, `who`), or "" when the story does not say
    pos: Pos


@dataclass(frozen=True, slots=True)
class Reveal:
    op: ClassVar[str] = "reveal"
    who: str  # a member id, or "all"
    pos: Pos


@dataclass(frozen=True, slots=True)
class Give:
    op: ClassVar[str] = "give"
    items: Counts
    pos: Pos


@dataclass(frozen=True, slots=True)
class Take:
    op: ClassVar[str] = "take"
    items: Counts
    pos: Pos


@dataclass(frozen=True, slots=True)
class SetFlag:
    op: ClassVar[str] = "set"
    flags: tuple[str, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class ClearFlag:
    op: ClassVar[str] = "clear"
    flags: tuple[str, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class AddCounter:
    op: ClassVar[str] = "add"
    counters: Counts
    pos: Pos


@dataclass(frozen=True, slots=True)
class SetCounter:
    op: ClassVar[str] = "counter"
    counters: Counts
    pos: Pos


@dataclass(frozen=True, slots=True)
class Noise:
    op: ClassVar[str] = "noise"
    amount: int
    pos: Pos


@dataclass(frozen=True, slots=True)
class Advance:
    """`advance: minutes`, or `advance: {days, hours, minutes, at}`: see
    `timeofday.minutes_until` (`at` is minutes after midnight, or None)."""

    op: ClassVar[str] = "advance"
    minutes: int
    days: int
    at: int | None
    pos: Pos


@dataclass(frozen=True, slots=True)
class Conditional:
    """`if: cond` / `then: [...]` / `else: [...]`: the one effect with several keys."""

    op: ClassVar[str] = "if"
    when: Condition | None
    then: tuple[Effect, ...]
    otherwise: tuple[Effect, ...]
    pos: Pos


Effect = (
    Join
    | Leave
    | Separate
    | Injure
    | Heal
    | Kill
    | Feed
    | Turn
    | Bite
    | Reveal
    | Give
    | Take
    | SetFlag
    | ClearFlag
    | AddCounter
    | SetCounter
    | Noise
    | Advance
    | Conditional
)


# -- argument kinds: how an argument is read, described and documented -----------------

MEMBER_SCHEMA = {"description": "a cast id, `player`, or `who`", "type": "string"}
_COUNTS_SCHEMA = {"type": "object", "additionalProperties": {"type": "integer"}}


@dataclass(frozen=True)
class ArgKind:
    """One shape of effect argument. `read(reader, value, pos, op)` returns the effect's
    fields (before `pos`) or None after reporting an error; `schema` describes the value
    for the JSON Schema; `syntax` is how the docs write it (`{op}` is the effect's key)."""

    read: Callable[[EffectReader, Any, Pos, str], tuple[Any, ...] | None]
    schema: dict[str, Any]
    syntax: str


def _read_member(r: EffectReader, value: Any, pos: Pos, op: str) -> tuple[Any, ...] | None:
    mid = r.member_arg(value, pos, op)
    return None if mid is None else (mid,)


def _read_member_or_all(r: EffectReader, value: Any, pos: Pos, op: str) -> tuple[Any, ...] | None:
    mid = r.member_arg(value, pos, op, allow_all=True)
    return (mid,) if mid else None


def _read_parting(r: EffectReader, value: Any, pos: Pos, op: str) -> tuple[Any, ...] | None:
    return r.parting_arg(value, pos, op)


def _read_bite(r: EffectReader, value: Any, pos: Pos, op: str) -> tuple[Any, ...] | None:
    return r.bite_arg(value, pos, op)


def _read_items(r: EffectReader, value: Any, pos: Pos, op: str) -> tuple[Any, ...] | None:
    return (r.counts(value, pos, op, "item"),)


def _read_counters(r: EffectReader, value: Any, pos: Pos, op: str) -> tuple[Any, ...] | None:
    pairs = r.counts(value, pos, op, "counter")
    for name, _ in pairs:
        r.refs.counter_set(name, pos)
    return (pairs,)


def _read_flags(r: EffectReader, value: Any, pos: Pos, op: str) -> tuple[Any, ...] | None:
    return (r.flag_names(value, pos, op),)


def _read_number(r: EffectReader, value: Any, pos: Pos, op: str) -> tuple[Any, ...] | None:
    if isinstance(value, bool) or not isinstance(value, int):
        r.error(pos, f"{op}: expects a whole number, got {r.kind_of(value)}")
        return None
    return (value,)


def _read_minutes(r: EffectReader, value: Any, pos: Pos, op: str) -> tuple[Any, ...] | None:
    return r.advance_arg(value, pos, op)


MEMBER = ArgKind(_read_member, MEMBER_SCHEMA, "`{op}: id`")
MEMBER_OR_ALL = ArgKind(
    _read_member_or_all,
    {"type": "string", "description": "a member id, or `all`"},
    "`{op}: id` or `{op}: all`",
)
PARTING = ArgKind(
    _read_parting,
    {
        "anyOf": [
            MEMBER_SCHEMA,
            {
                "type": "object",
                "properties": {
                    "who": MEMBER_SCHEMA,
                    "how": {
                        "type": "string",
                        "description": "what the fate line says instead of the default, a verb phrase "
                        '("was taken by the army", "stayed in Yangdong")',
                    },
                },
                "additionalProperties": False,
                "required": ["who"],
            },
        ]
    },
    '`{op}: id` or `{op}: {{who: id, how: "was taken by the army"}}`',
)
BITE = ArgKind(
    _read_bite,
    {
        "anyOf": [
            MEMBER_SCHEMA,
            {
                "type": "object",
                "properties": {
                    "who": MEMBER_SCHEMA,
                    "concealed": {"type": "boolean"},
                    "by": {**MEMBER_SCHEMA, "description": "who bit: a cast id, `player` or `who`"},
                },
                "additionalProperties": False,
                "required": ["who"],
            },
        ]
    },
    "`{op}: id` or `{op}: {{who: id, concealed: true, by: id}}`",
)
ITEMS = ArgKind(_read_items, {**_COUNTS_SCHEMA, "description": "item ids and counts"}, "`{op}: {{item: n}}`")
COUNTERS = ArgKind(
    _read_counters, {**_COUNTS_SCHEMA, "description": "counter names and amounts"}, "`{op}: {{counter: n}}`"
)
FLAGS = ArgKind(
    _read_flags,
    {"anyOf": [{"$ref": "#/$defs/id"}, {"type": "array", "items": {"$ref": "#/$defs/id"}}]},
    "`{op}: flag` or `{op}: [a, b]`",
)
NUMBER = ArgKind(
    _read_number, {"type": "integer", "description": "noise to add (negative lowers it)"}, "`{op}: n`"
)
_TIME_OF_DAY = {"type": "string", "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$"}
MINUTES = ArgKind(
    _read_minutes,
    {
        "anyOf": [
            {"type": "integer", "minimum": 0, "description": "minutes the clock moves"},
            {
                "type": "object",
                "properties": {
                    "days": {"type": "integer", "minimum": 0},
                    "hours": {"type": "integer", "minimum": 0},
                    "minutes": {"type": "integer", "minimum": 0},
                    "at": {**_TIME_OF_DAY, "description": "then on to this time of day (HH:MM)"},
                },
                "additionalProperties": False,
            },
        ]
    },
    '`{op}: minutes` or `{op}: {{days: 7, at: "14:00"}}`',
)


@dataclass(frozen=True)
class EffectSpec:
    """One row of the effect table: the class (its `op` is the YAML key), how its
    argument is read, and what it does (for the docs and the schema)."""

    cls: type[Any]
    arg: ArgKind
    does: str

    @property
    def op(self) -> str:
        op: str = self.cls.op
        return op

    @property
    def syntax(self) -> str:
        return self.arg.syntax.format(op=self.op)


EFFECT_SPECS: tuple[EffectSpec, ...] = (
    EffectSpec(Join, MEMBER, "the member joins the party (if alive)"),
    EffectSpec(
        Leave,
        PARTING,
        "the member leaves (status `away`); `how` is what their fate line says happened "
        'instead of "left the group"',
    ),
    EffectSpec(
        Separate,
        PARTING,
        "the member is lost track of (status `missing`); `how` is what their fate line says "
        'happened instead of "was separated from you"',
    ),
    EffectSpec(Injure, MEMBER, "sets the member's injury"),
    EffectSpec(Heal, MEMBER_OR_ALL, "clears the member's injury; `all`: every member with the party"),
    EffectSpec(
        Kill,
        MEMBER,
        "the member dies; a member who turned into a zombie is put down (status `dead`, history `put-down`)",
    ),
    EffectSpec(Feed, MEMBER, "a hambie's hunger goes back to `after_feed`"),
    EffectSpec(Turn, MEMBER, "an infected member's incubation ends now"),
    EffectSpec(
        Bite,
        BITE,
        "infects: incubation drawn now, hidden; `concealed` hides the bite from the party; "
        "`by` is who bit (kept in the run's history)",
    ),
    EffectSpec(Reveal, MEMBER_OR_ALL, "concealed bites among present members become known"),
    EffectSpec(Give, ITEMS, "adds to the inventory (never above the item's `max`)"),
    EffectSpec(Take, ITEMS, "removes from the inventory (never below 0)"),
    EffectSpec(SetFlag, FLAGS, "sets flags"),
    EffectSpec(ClearFlag, FLAGS, "clears flags"),
    EffectSpec(AddCounter, COUNTERS, "adds to counters"),
    EffectSpec(SetCounter, COUNTERS, "sets counters"),
    EffectSpec(Noise, NUMBER, "adds noise (negative lowers it)"),
    EffectSpec(
        Advance,
        MINUTES,
        "the clock moves (the infection runs on the clock); with a mapping, `days`, `hours` and "
        "`minutes` add up, and `at` moves on to that time of day, `days` days from today",
    ),
)

SPECS_BY_OP: dict[str, EffectSpec] = {spec.op: spec for spec in EFFECT_SPECS}
CONDITIONAL_SYNTAX = "`if: cond` + `then: [...]` + `else: [...]`"
CONDITIONAL_DOES = "conditional effects"
# every key an effect may start with, in table order
EFFECTS: tuple[str, ...] = (*SPECS_BY_OP, Conditional.op)
# effects whose argument is one member (kept for tools that list them)
MEMBER_EFFECTS: tuple[str, ...] = tuple(s.op for s in EFFECT_SPECS if s.arg is MEMBER)


def effects_markdown() -> str:
    """The effect table of docs/story-format.md, generated from `EFFECT_SPECS`."""
    rows = ["| effect | does |", "|---|---|"]
    rows += [f"| {spec.syntax} | {spec.does} |" for spec in EFFECT_SPECS]
    rows.append(f"| {CONDITIONAL_SYNTAX} | {CONDITIONAL_DOES} |")
    return "\n".join(rows) + "\n"


def walk(effects: tuple[Effect, ...]) -> list[Effect]:
    """Every effect, those inside `if:` branches included (depth first, in order)."""
    out: list[Effect] = []
    stack = list(reversed(effects))
    while stack:
        effect = stack.pop()
        out.append(effect)
        if isinstance(effect, Conditional):
            stack.extend(reversed(effect.otherwise))
            stack.extend(reversed(effect.then))
    return out
