"""The condition language's quantifiers over the cast: `anyone(...)` and `count(...)`.

    anyone(dead)                  some cast member is dead
    anyone(dead or zombie)        some cast member is dead or a zombie
    anyone(present and injured)   some cast member with the party is hurt
    count(dead or zombie) >= 3    how many cast members are dead or a zombie (a number)
    anyone(bitten, player)        ... the player counted as one more member

The argument is a small condition about one member, asked of each in turn: the words
are the statuses of `is(id, status)` and the one-argument questions `known`, `present`,
`with` and `alive`, each meaning what it means there, joined with `and`, `or`, `not`
and parentheses. The player is left out unless `player` follows a comma: the story's
chains over "anyone in the cast" ask about the friends (who is dead, who is missing)
while the player's own state is asked on its own (`is(player, bitten)`), so "anyone"
means the cast, and `player` widens it.

`expr` owns the grammar and calls `parse`; this module owns what the words mean and
builds the evaluators (see `build`): cheaper than the chains of `is()` calls they
replace (bench/bench_quantifiers.py measures both; docs/BENCHMARKS.md has the figures).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import product
from operator import attrgetter
from typing import Any

from .diagnostics import did_you_mean
from .model import PLAYER, STATUSES
from .state import ALIVE, MemberState

Fn = Callable[[Any], Any]

# function name -> (argument kinds, result type), as expr.FUNCTIONS: the first argument
# is a condition about one member ("quality"), the optional second one the word player
FUNCTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "anyone": (("quality", "player"), "bool"),
    "count": (("quality", "player"), "num"),
}

# the words, and what each means of one member (for completion and hover)
WORDS: dict[str, str] = {
    "healthy": "human, not bitten, not injured",
    "injured": "hurt (human or hambie)",
    "bitten": "bitten and still human (known or not)",
    "zombie": "turned",
    "hambie": "a hambie",
    "dead": "dead",
    "missing": "lost track of (`separate`)",
    "away": "not with the party (`leave`, or never met)",
    "known": "bitten, and the party knows it",
    "present": "with the party and able to act (human or hambie)",
    "with": "with the party, whatever their state",
    "alive": "human or hambie, wherever they are",
}
assert set(STATUSES) <= set(WORDS)

# what `anyone`/`count` mean, for completion and hover
DOCS: dict[str, str] = {
    "anyone": "some cast member is so: `anyone(dead or zombie)`, `anyone(present and injured)`; "
    "`anyone(bitten, player)` asks the player too",
    "count": "number: how many cast members are so: `count(dead or zombie) >= 3`; "
    "`count(present, player)` counts the player too",
}

_FATES = frozenset(("zombie", "hambie", "dead"))
_WHERE = frozenset(("missing", "away"))


class QuantifierError(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


# a parsed argument: a word, or ("not", x), ("and", [x, ...]), ("or", [x, ...])
Tree = Any


def parse(name: str, tokens: Sequence[tuple[str, str, int]], i: int) -> tuple[Fn, int, str]:
    """Parse `name(...)` from `tokens[i]`, the token after the name (its "(").
    Returns (the evaluator, the index of the token after ")", a description for
    explore's state key). Raises QuantifierError with an offset into the source."""
    p = _Parser(name, tokens, i)
    p.expect("(")
    tree = p.parse_or()
    everyone = False
    kind, text, off = p.take()
    if text == "," and kind == "op":
        kind, text, off = p.take()
        if text != PLAYER:
            found = "the end" if kind == "end" else repr(text)
            raise QuantifierError(f"{name}() takes only `player` after the comma, found {found}", off)
        everyone = True
        kind, text, off = p.take()
    if text != ")" or kind != "op":
        found = "the end" if kind == "end" else repr(text)
        raise QuantifierError(f"expected ')' or ', player' in {name}(...), found {found}", off)
    describe = _describe(tree) + (", player" if everyone else "")
    return build(name == "count", everyone, tree), p.i, describe


class _Parser:
    def __init__(self, name: str, tokens: Sequence[tuple[str, str, int]], i: int) -> None:
        self.name = name
        self.tokens = tokens
        self.i = i

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        if tok[0] != "end":
            self.i += 1
        return tok

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def expect(self, value: str) -> None:
        kind, text, off = self.take()
        if text != value or kind != "op":
            found = "the end" if kind == "end" else repr(text)
            raise QuantifierError(f"expected {value!r}, found {found}", off)

    def keyword(self, word: str) -> bool:
        kind, text, _ = self.peek()
        return kind == "name" and text == word

    def parse_or(self) -> Tree:
        parts = [self.parse_and()]
        while self.keyword("or"):
            self.take()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def parse_and(self) -> Tree:
        parts = [self.parse_not()]
        while self.keyword("and"):
            self.take()
            parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def parse_not(self) -> Tree:
        if self.keyword("not"):
            self.take()
            return ("not", self.parse_not())
        kind, text, off = self.take()
        if kind == "op" and text == "(":
            inner = self.parse_or()
            self.expect(")")
            return inner
        if kind != "name":
            found = "the end" if kind == "end" else repr(text)
            raise QuantifierError(
                f"{self.name}() expects a state such as dead or present, found {found}", off
            )
        if text == PLAYER:
            raise QuantifierError(
                f"`player` goes after a comma: {self.name}(bitten, player) asks the player too", off
            )
        if text not in WORDS:
            hint = did_you_mean(text, WORDS)
            raise QuantifierError(
                f"unknown word {text!r} in {self.name}(){hint} (one of {', '.join(WORDS)})", off
            )
        return text


def _describe(tree: Tree) -> str:
    if isinstance(tree, str):
        return tree
    if tree[0] == "not":
        return "not " + _describe(tree[1])
    return "(" + f" {tree[0]} ".join(_describe(t) for t in tree[1]) + ")"


def words_of(tree: Tree) -> set[str]:
    if isinstance(tree, str):
        return {tree}
    if tree[0] == "not":
        return words_of(tree[1])
    return set().union(*(words_of(t) for t in tree[1]))


def _test(tree: Tree) -> Callable[[Any], bool]:
    """The argument as a test of one MemberState (the same as `has_status` and the
    MemberState properties that `is()`, `known()`, `present()`... ask)."""
    if not isinstance(tree, str):
        if tree[0] == "not":
            inner = _test(tree[1])
            return lambda m: not inner(m)
        parts = tuple(_test(t) for t in tree[1])
        return _and_tests(parts) if tree[0] == "and" else _or_tests(parts)
    word = tree
    if word in _FATES:
        return lambda m: m.fate == word
    if word in _WHERE:
        return lambda m: m.where == word
    if word == "bitten":
        return lambda m: m.fate == "human" and m.bitten
    if word == "injured":
        return lambda m: m.fate in ALIVE and m.injured
    if word == "healthy":
        return lambda m: m.fate == "human" and not m.bitten and not m.injured
    if word == "known":
        return lambda m: m.bite_known
    if word == "present":
        return lambda m: m.present
    if word == "with":
        return lambda m: m.with_party
    if word == "alive":
        return lambda m: m.alive
    raise KeyError(word)


def _and_tests(parts: tuple[Callable[[Any], bool], ...]) -> Callable[[Any], bool]:
    if len(parts) == 2:
        a, b = parts
        return lambda m: a(m) and b(m)
    return lambda m: all(t(m) for t in parts)


def _or_tests(parts: tuple[Callable[[Any], bool], ...]) -> Callable[[Any], bool]:
    if len(parts) == 2:
        a, b = parts
        return lambda m: a(m) or b(m)
    return lambda m: any(t(m) for t in parts)


# what each word reads of a member, and every value those fields take
_FIELDS_OF: dict[str, tuple[str, ...]] = {
    **{w: ("fate",) for w in _FATES},
    **{w: ("where",) for w in _WHERE},
    "bitten": ("fate", "bitten"),
    "injured": ("fate", "injured"),
    "healthy": ("fate", "bitten", "injured"),
    "known": ("fate", "bitten", "concealed"),
    "present": ("fate", "where"),
    "with": ("where",),
    "alive": ("fate",),
}
_OTHER = "?"  # any value of `fate` or `where` the engine never gives (every word is false of it)
_DOMAINS: dict[str, tuple[Any, ...]] = {
    "fate": ("human", "hambie", "zombie", "dead", _OTHER),
    "where": ("party", "away", "missing", _OTHER),
    "bitten": (False, True),
    "injured": (False, True),
    "concealed": (False, True),
}
assert set(_FIELDS_OF) == set(WORDS)


def fields_of(tree: Tree) -> tuple[str, ...]:
    """The MemberState fields the argument reads, in `_DOMAINS` order."""
    used = {f for word in words_of(tree) for f in _FIELDS_OF[word]}
    return tuple(f for f in _DOMAINS if f in used)


def truth_table(tree: Tree) -> tuple[Callable[[Any], Any], dict[Any, bool]]:
    """(key, table): `table[key(m)]` is the argument's value for member m, worked out
    once here for every value the fields it reads can take (`_OTHER` standing for
    any value the engine never gives: the words only compare with the values they
    name, so all such values answer alike). Looking up a member that has such a value
    raises KeyError: the evaluators then ask `_test`."""
    fields = fields_of(tree)
    key = attrgetter(*fields)
    test = _test(tree)
    table: dict[Any, bool] = {}
    for values in product(*(_DOMAINS[f] for f in fields)):
        member = MemberState(**dict(zip(fields, values, strict=True)))
        table[key(member)] = bool(test(member))
    return key, table


# The members worth looking at when every passing member has a rare value of one field
# (bitten, injured, a fate other than human, not with the party): a comprehension reads
# the field inline, cheaper than a call per member, and leaves none in the common state.
_SIEVES: dict[str, Callable[[Any], list[Any]]] = {
    "bitten": lambda values: [m for m in values if m.bitten],
    "injured": lambda values: [m for m in values if m.injured],
    "fate": lambda values: [m for m in values if m.fate != "human"],
    "where": lambda values: [m for m in values if m.where != "party"],
}
_COMMON = {"bitten": False, "injured": False, "fate": "human", "where": "party"}


def sieve(fields: tuple[str, ...], table: dict[Any, bool]) -> Callable[[Any], list[Any]] | None:
    """The first of `_SIEVES` (rarest first) whose field's common value no passing
    member has (`_OTHER` counted), or None."""
    for name in _SIEVES:
        if name not in fields:
            continue
        i = fields.index(name)
        seen = {k[i] if len(fields) > 1 else k for k, passes in table.items() if passes}
        if _COMMON[name] not in seen:
            return _SIEVES[name]
    return None


def build(counting: bool, everyone: bool, tree: Tree) -> Fn:
    """The evaluator: does some member pass `tree` (or how many do), the player among
    them only when `everyone`.

    A sieve keeps the members who could pass (those bitten, say; none in most states),
    and the truth table answers for them by C loops, so no Python call is made per
    member, unlike the chain of `is()` calls it replaces. The answer is kept for the
    members mapping it was worked out from, as `expr._party` does: a frozen state
    shares its mapping from step to step and never edits it. A state whose `dirty`
    names `members` (a `Work` that has copied the mapping to edit it) is worked out
    afresh every time."""
    key, table = truth_table(tree)
    get = table.__getitem__
    test = _test(tree)
    keep = sieve(fields_of(tree), table)

    def slow(members: Any) -> int:  # a member state outside the table
        return sum(1 for mid, m in members.items() if (everyone or mid != PLAYER) and test(m))

    def work_out(members: Any) -> int:
        """How many pass (for `anyone`, 0 or more than 0 is enough: it stops early)."""
        values: Any = members.values()
        if keep is not None:
            values = keep(values)
            if not values:
                return 0
        try:
            if counting:
                n = sum(map(get, map(key, values)))
            elif any(map(get, map(key, values))):
                n = 1 if everyone else 2  # 2: at least one, maybe the player
            else:
                return 0
            if not everyone and (p := members.get(PLAYER)) is not None and get(key(p)):
                n -= 1
                if not counting and n == 1:  # the player passes: is anyone else?
                    n = slow(members)
            return n
        except KeyError:
            return slow(members)

    memo: list[Any] = [None, 0]

    def evaluate(s: Any) -> Any:
        members = s.members
        if memo[0] is members:
            n = memo[1]
        else:
            n = work_out(members)
            if "members" not in getattr(s, "dirty", ()):
                memo[0], memo[1] = members, n
        return n if counting else n > 0

    return evaluate
