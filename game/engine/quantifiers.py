"""The condition language's quantifiers over the cast: `anyone(...)` and `count(...)`.

    anyone(dead)              some cast member is dead
    anyone(dead, zombie)      some cast member is dead or a zombie
    count(dead, zombie)       how many cast members are dead or a zombie (a number)
    anyone(bitten, player)    ... the player counted as one more member

The words are the statuses of `is(id, status)` and the one-argument questions `known`,
`present`, `with` and `alive`, each meaning what it means there; a member is counted
once when any of the words holds for them. The player is left out unless the word
`player` is among them: the story's chains over "anyone in the cast" ask about the
friends (who is dead, who is missing) while the player's own state is asked on its own
(`is(player, bitten)`), so "anyone" means the cast, and `player` widens it.

`expr` owns the grammar and calls `check_words` and `build`; this module owns what the
words mean. Each evaluator is one loop over the state's members, with no call per
member for the words that read one field (`dead`, `missing`, ...): cheaper than the
chain of `is()` calls it replaces (bench/bench_engine.py and the report of the change
that added it measure both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .diagnostics import did_you_mean
from .model import PLAYER, STATUSES
from .state import ALIVE

Fn = Callable[[Any], Any]

# function name -> (argument kinds, result type), as expr.FUNCTIONS; the one argument
# kind repeats: anyone(dead, zombie, player)
FUNCTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "anyone": (("quality",), "bool"),
    "count": (("quality",), "num"),
}
VARIADIC = frozenset(FUNCTIONS)

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
    PLAYER: "count the player too",
}
assert set(STATUSES) <= set(WORDS)

# what `anyone`/`count` mean, for completion and hover
DOCS: dict[str, str] = {
    "anyone": "some cast member is in one of these states: `anyone(dead, zombie)`; "
    "add `player` to count the player too",
    "count": "number: how many cast members are in one of these states: `count(dead, zombie) >= 3`; "
    "add `player` to count the player too",
}

_FATES = frozenset(("zombie", "hambie", "dead"))
_WHERE = frozenset(("missing", "away"))


def check_words(name: str, words: Sequence[str]) -> tuple[int, str] | None:
    """(index of the bad word, message), or None when `words` are fine for `name`."""
    seen: set[str] = set()
    for i, word in enumerate(words):
        if word not in WORDS:
            hint = did_you_mean(word, WORDS)
            return i, f"unknown word {word!r} in {name}(){hint} (one of {', '.join(WORDS)})"
        if word in seen:
            return i, f"{word!r} twice in {name}()"
        seen.add(word)
    if not seen - {PLAYER}:
        return 0, f"{name}() needs a state to look for, e.g. {name}(dead) or {name}(bitten, player)"
    return None


def _test(word: str) -> Callable[[Any], bool]:
    """`word` of one MemberState (the same as `has_status` and the properties)."""
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


def build(name: str, words: Sequence[str]) -> Fn:
    """The evaluator of `name(words...)`, for words `check_words` accepted."""
    everyone = PLAYER in words
    wanted = [w for w in words if w != PLAYER]
    if set(wanted) <= _FATES:
        return _field_loop(name == "count", everyone, "fate", frozenset(wanted))
    if set(wanted) <= _WHERE:
        return _field_loop(name == "count", everyone, "where", frozenset(wanted))
    tests = [_test(w) for w in wanted]
    if len(tests) == 1:
        test = tests[0]
    else:
        parts = tuple(tests)

        def test(m: Any) -> bool:
            return any(t(m) for t in parts)

    return _test_loop(name == "count", everyone, test)


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
