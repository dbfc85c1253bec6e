"""`expr.guard` and `expr.needs_infection`: the cheap stand-ins the rules use for
when-rules checked every step. They may only ever say "false" where the condition is
false."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from game.engine import infection
from game.engine.expr import Context, compile_condition, guard, needs_infection
from game.engine.state import MemberState

CONDITIONS = [
    "clock >= 2d06:00 and clock < 2d10:00 and flag(a)",
    "day == 1 and clock >= 1d14:20 and not flag(b)",
    "10:00 > clock and clock == 9:00",
    "clock > 600 and clock <= 620",
    "flag(a) and clock != 500",
    "clock < 300 or flag(a)",
    "(clock < 300) and flag(a)",
    "not clock < 300 and flag(a)",
    "noise > 2 and clock >= 1d08:00",
    "flag(a)",
    "flag(b)",
    "day >= 2 and flag(a)",
    "2 > day and flag(a)",
    "day <= 2 and not flag(b)",
    "day > 1 and day != 3",
    "1 == day",
    "day == 2.5 or day < 2",
]


@pytest.mark.parametrize("source", CONDITIONS)
def test_guard_never_hides_a_true_condition(source: str) -> None:
    evaluate, _ = compile_condition(source, Context())
    flag, lo, hi = guard(source)
    for flags in (frozenset(), frozenset({"a"}), frozenset({"a", "b"})):
        for clock in range(0, 3 * 1440, 5):
            state = SimpleNamespace(clock=clock, flags=flags, noise=3)
            value = bool(evaluate(state))
            if flag is not None:
                assert value == (flag in flags)
            elif not lo <= clock < hi:
                assert not value, (source, clock)


def test_guard_finds_the_windows_and_flags() -> None:
    assert guard("flag(ev-after-tie)") == ("ev-after-tie", float("-inf"), float("inf"))
    assert guard("clock >= 2d06:00 and clock < 2d10:00 and flag(a)") == (None, 1800, 2040)
    assert guard("10:00 > clock and clock == 9:00") == (None, 540, 541)
    assert guard("clock < 300 or flag(a)") == (None, float("-inf"), float("inf"))
    assert guard("not clock < 300 and flag(a)") == (None, float("-inf"), float("inf"))
    assert guard("day == 1 and clock >= 1d14:20 and flag(a)") == (None, 860, 1440)
    assert guard("day > 1 and 3 >= day") == (None, 1440, 4320)
    assert guard("day < 2 and day <= 5") == (None, float("-inf"), 1440)


# -- `expr.needs_infection`: a when-rule skipped while nobody is bitten or a hambie ------

INFECTION_CONDITIONS = [
    ("present(a) and is(a, hambie) and not flag(x)", "hambie"),
    ("is(a, bitten) and flag(x) and is(b, hambie)", "hambie"),
    ("is(a, bitten) and flag(x)", "bitten"),
    ("flag(x) and known(who)", "bitten"),
    ("is(a, hambie) or flag(x)", ""),
    ("not is(a, hambie) and flag(x)", ""),
    ("(is(a, hambie)) and flag(x)", ""),
    ("is(a, injured) and flag(x)", ""),
    ("flag(x) and (is(a, hambie) or is(b, hambie))", ""),
    ("is(a, healthy)", ""),
    ("anyone(hambie) and flag(x)", "hambie"),
    ("flag(x) and anyone(hambie and present, player)", "hambie"),
    ("anyone(known) and flag(x)", "bitten"),
    ("anyone(bitten or known, player) and flag(x)", "bitten"),
    ("anyone(known and present) and flag(x)", "bitten"),
    ("anyone(hambie or bitten) and flag(x)", "bitten"),
    ("anyone(hambie or dead) and flag(x)", ""),
    ("anyone(bitten or injured) and flag(x)", ""),
    ("anyone(not hambie) and flag(x)", ""),
    ("anyone(not not hambie) and flag(x)", "hambie"),
    ("anyone(present and bitten and not known) and flag(x)", "bitten"),
    ("anyone(not known and bitten) and flag(x)", "bitten"),
    ("anyone(not known or bitten) and flag(x)", ""),
    ("anyone((hambie)) and flag(x)", ""),
    ("anyone(hambie) or flag(x)", ""),
    ("not anyone(hambie) and flag(x)", ""),
]


@pytest.mark.parametrize(("source", "expected"), INFECTION_CONDITIONS)
def test_needs_infection_only_where_the_condition_needs_a_bite_or_a_hambie(source: str, expected: str) -> None:
    assert needs_infection(source) == expected
    evaluate, _ = compile_condition(source, Context())
    fates = ("human", "hambie", "zombie", "dead")
    for fate_a, fate_b in [(x, y) for x in fates for y in fates]:
        for bitten, known in ((False, False), (True, False), (True, True)):
            members = {
                "a": MemberState(fate=fate_a, where="party", bitten=bitten, concealed=not known),
                "b": MemberState(fate=fate_b, where="party"),
            }
            state = SimpleNamespace(members=members, flags=frozenset({"x"}), subject="a", dirty=("members",))
            found = infection.summary(state)
            if evaluate(state):
                assert expected != "bitten" or not found.quiet, (source, members)
                assert expected != "hambie" or found.hambies, (source, members)
