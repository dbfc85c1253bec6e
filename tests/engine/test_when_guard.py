"""`expr.guard`: the cheap stand-in the rules use for when-rules checked every step.
It may only ever say "false" where the condition is false."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from game.engine.expr import Context, compile_condition, guard

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
