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

`expr` owns the grammar and calls `parse`; this module owns what the words mean. Each
evaluator is one loop over the state's members, with no call per member when the
argument reads one field (`dead or zombie`, `missing`): cheaper than the chain of
`is()` calls it replaces (bench/bench_engine.py measures both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .diagnostics import did_you_mean
from .model import PLAYER, STATUSES
from .state import ALIVE

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


def _one_field(tree: Tree) -> tuple[str, frozenset[str]] | None:
    """(field, values) when `tree` is a word or an `or` of words that all read the same
    field (`dead or zombie`: the fate is dead or zombie)."""
    if isinstance(tree, str):
        words = {tree}
    elif tree[0] == "or" and all(isinstance(t, str) for t in tree[1]):
        words = set(tree[1])
    else:
        return None
    if words <= _FATES:
        return "fate", frozenset(words)
    if words <= _WHERE:
        return "where", frozenset(words)
    return None


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


def build(counting: bool, everyone: bool, tree: Tree) -> Fn:
    """The evaluator: does some member pass `tree` (or how many do), the player among
    them only when `everyone`."""
    one = _one_field(tree)
    if one is not None:
        return _field_loop(counting, everyone, *one)
    return _test_loop(counting, everyone, _test(tree))


def _field_loop(counting: bool, everyone: bool, field: str, values: frozenset[str]) -> Fn:
    """One field compared with a set of values, written out: no call per member."""
    if field == "fate":
        if counting:
            if everyone:
                return lambda s: sum(1 for m in s.members.values() if m.fate in values)
            return lambda s: sum(1 for mid, m in s.members.items() if m.fate in values and mid != PLAYER)

        def any_fate(s: Any) -> bool:
            for mid, m in s.members.items():
                if m.fate in values and (everyone or mid != PLAYER):
                    return True
            return False

        return any_fate
    if counting:
        if everyone:
            return lambda s: sum(1 for m in s.members.values() if m.where in values)
        return lambda s: sum(1 for mid, m in s.members.items() if m.where in values and mid != PLAYER)

    def any_where(s: Any) -> bool:
        for mid, m in s.members.items():
            if m.where in values and (everyone or mid != PLAYER):
                return True
        return False

    return any_where


def _test_loop(counting: bool, everyone: bool, test: Callable[[Any], bool]) -> Fn:
    if counting:
        if everyone:
            return lambda s: sum(1 for m in s.members.values() if test(m))
        return lambda s: sum(1 for mid, m in s.members.items() if mid != PLAYER and test(m))

    def any_test(s: Any) -> bool:
        for mid, m in s.members.items():
            if (everyone or mid != PLAYER) and test(m):
                return True
        return False

    return any_test
