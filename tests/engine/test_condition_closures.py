"""The condition closures specialised for speed (`expr`: n-ary and/or, `is()` written out,
comparisons fused with their quantity, `not flag()`) give the value the plain rule gives,
on every state tried."""

from __future__ import annotations

import itertools
import operator
from types import SimpleNamespace

import pytest

from game.engine.expr import Context, compile_condition
from game.engine.model import STATUSES
from game.engine.state import MemberState

MEMBERS = [
    MemberState(fate=fate, where=where, injured=injured, bitten=bitten)
    for fate in ("human", "hambie", "zombie", "dead")
    for where in ("party", "away", "missing")
    for injured in (False, True)
    for bitten in (False, True)
]


@pytest.mark.parametrize("status", STATUSES)
def test_is_matches_has_status(status: str) -> None:
    fixed, _ = compile_condition(f"is(a, {status})", Context())
    via_who, _ = compile_condition(f"is(who, {status})", Context())
    for m in MEMBERS:
        state = SimpleNamespace(members={"a": m}, subject="a")
        assert bool(fixed(state)) is m.has_status(status), (status, m)
        assert bool(via_who(state)) is m.has_status(status), (status, m)
    assert not fixed(SimpleNamespace(members={}, subject=None))


@pytest.mark.parametrize("n", range(1, 10))
def test_and_or_chains_of_any_length(n: int) -> None:
    names = [f"f{i}" for i in range(n)]
    conj, _ = compile_condition(" and ".join(f"flag({x})" for x in names), Context())
    disj, _ = compile_condition(" or ".join(f"flag({x})" for x in names), Context())
    mixed, _ = compile_condition(" and ".join(f"not flag({x})" for x in names), Context())
    for bits in itertools.product((False, True), repeat=n):
        flags = frozenset(x for x, on in zip(names, bits, strict=True) if on)
        state = SimpleNamespace(flags=flags)
        assert conj(state) is all(bits)
        assert disj(state) is any(bits)
        assert mixed(state) is not any(bits)


OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@pytest.mark.parametrize("op", list(OPS))
def test_comparisons_with_a_constant(op: str) -> None:
    cmp = OPS[op]
    checks = {
        f"clock {op} 600": lambda s: cmp(s.clock, 600),
        f"counter(rage) {op} 2": lambda s: cmp(s.counters.get("rage", 0), 2),
        f"item(arrows) {op} 1": lambda s: cmp(s.inventory.get("arrows", 0), 1),
        f"2 {op} counter(rage)": lambda s: cmp(2, s.counters.get("rage", 0)),
    }
    for source, reference in checks.items():
        evaluate, _ = compile_condition(source, Context())
        for clock, n in itertools.product((0, 599, 600, 601), (0, 1, 2, 3)):
            counters = {"rage": n} if n else {}
            state = SimpleNamespace(clock=clock, counters=counters, inventory={"arrows": n})
            assert evaluate(state) is reference(state), (source, clock, n)
