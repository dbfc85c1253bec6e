"""Every condition of the language, evaluated against hand-built states."""

from __future__ import annotations

from dataclasses import replace

import pytest

from game.engine.expr import Context, ExprError, compile_condition
from game.engine.model import Story
from game.engine.rules import new_game
from game.engine.state import GameState, MemberState


@pytest.fixture()
def ctx(mini: Story) -> Context:
    return Context(
        location_of=mini.location_of,
        location_area={lid: loc.area for lid, loc in mini.locations.items()},
        traits={mid: m.traits for mid, m in mini.cast.items()},
    )


@pytest.fixture()
def state(mini: Story) -> GameState:
    return new_game(mini, seed=1)


def ev(source: str, ctx: Context, state: GameState) -> bool:
    fn, _ = compile_condition(source, ctx)
    return bool(fn(state))


def with_member(state: GameState, mid: str, **changes: object) -> GameState:
    members = dict(state.members)
    members[mid] = replace(members[mid], **changes)  # type: ignore[arg-type]
    return replace(state, members=members)


def test_present_with_alive(ctx: Context, state: GameState) -> None:
    assert ev("present(ana)", ctx, state)
    assert not ev("present(cy)", ctx, state)  # cy starts away
    zombie = with_member(state, "ana", fate="zombie")
    assert not ev("present(ana)", ctx, zombie)
    assert ev("with(ana)", ctx, zombie)
    assert not ev("alive(ana)", ctx, zombie)
    hambie = with_member(state, "ana", fate="hambie")
    assert ev("present(ana) and alive(ana)", ctx, hambie)
    missing = with_member(state, "ana", where="missing")
    assert ev("alive(ana) and not present(ana)", ctx, missing)


@pytest.mark.parametrize(
    ("changes", "true_statuses"),
    [
        ({}, {"healthy"}),
        ({"injured": True}, {"injured"}),
        ({"bitten": True, "turns_at": 999}, {"bitten"}),
        ({"bitten": True, "turns_at": 999, "injured": True}, {"bitten", "injured"}),
        ({"fate": "zombie"}, {"zombie"}),
        ({"fate": "hambie"}, {"hambie"}),
        ({"fate": "dead"}, {"dead"}),
        ({"where": "missing"}, {"healthy", "missing"}),
        ({"where": "away"}, {"healthy", "away"}),
    ],
)
def test_is_status(
    ctx: Context, state: GameState, changes: dict[str, object], true_statuses: set[str]
) -> None:
    s = with_member(state, "bo", **changes)
    for status in ("healthy", "injured", "bitten", "zombie", "hambie", "dead", "missing", "away"):
        assert ev(f"is(bo, {status})", ctx, s) == (status in true_statuses), status


def test_known_only_for_open_bites(ctx: Context, state: GameState) -> None:
    hidden = with_member(state, "bo", bitten=True, turns_at=999, concealed=True)
    assert ev("is(bo, bitten)", ctx, hidden)
    assert not ev("known(bo)", ctx, hidden)
    assert ev("known(bo)", ctx, with_member(hidden, "bo", concealed=False))


def test_trait_needs_presence(ctx: Context, state: GameState) -> None:
    assert ev("trait(ana, archer)", ctx, state)
    assert not ev("trait(ana, fighter)", ctx, state)
    assert not ev("trait(ana, archer)", ctx, with_member(state, "ana", fate="dead"))


def test_items_flags_counters(ctx: Context, state: GameState) -> None:
    assert ev("has(arrows) and item(arrows) == 2", ctx, state)
    assert not ev("has(medkit)", ctx, state)
    assert ev("item(medkit) < 1", ctx, state)
    assert not ev("flag(door-shut)", ctx, state)
    assert ev("flag(door-shut)", ctx, replace(state, flags=frozenset({"door-shut"})))
    s = replace(state, counters={"rage": 4})
    assert ev("counter(rage) >= 4 and counter(rage) != 3 and counter(other) == 0", ctx, s)


def test_visits_clock_day_noise_party(ctx: Context, state: GameState) -> None:
    assert ev("visited(start) and visits(start) == 1 and not visited(hall)", ctx, state)
    assert ev("clock == 8:00 and day == 1", ctx, state)
    later = replace(state, clock=1440 + 6 * 60)
    assert ev("clock >= 2d06:00 and day == 2 and clock < 2d06:01", ctx, later)
    assert ev("noise == 0", ctx, state) and ev("noise > 2", ctx, replace(state, noise=3))
    assert ev("party == 3", ctx, state)  # player, ana, bo
    assert ev("party == 2", ctx, with_member(state, "bo", fate="dead"))


def test_senses_hunger_you_who_at(ctx: Context, state: GameState) -> None:
    assert not ev("senses", ctx, state)
    hambie = with_member(state, "bo", fate="hambie", hunger=60.0)
    assert ev("senses and hunger(bo) > 50", ctx, hambie)
    assert ev("you(player) and not you(ana)", ctx, state)
    about_bo = replace(hambie, subject="bo")
    assert ev("is(who, hambie) and not you(who)", ctx, about_bo)
    assert ev("at(room) and at(school) and not at(city)", ctx, state)


def test_and_or_not_precedence(ctx: Context, state: GameState) -> None:
    assert ev("true or false and false", ctx, state)  # and binds tighter
    assert not ev("(true or false) and false", ctx, state)
    assert ev("not false and not not true", ctx, state)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "empty"),
        ("present(ana", "expected"),
        ("counter(rage)", "a number is not a condition"),
        ("flag(x) > 1", "compares numbers"),
        ("frob(x)", "unknown function"),
        ("is(ana, sleepy)", "unknown status"),
        ("present(ana, bo)", "takes 1 argument"),
        ("noise >", "expected a value"),
        ("__import__('os')", "unexpected character"),
        ("clock > 25:00", "not a time of day"),
    ],
)
def test_bad_conditions_are_reported(ctx: Context, source: str, message: str) -> None:
    with pytest.raises(ExprError) as info:
        compile_condition(source, ctx)
    assert message in info.value.message


def test_refs_are_collected_with_offsets(ctx: Context) -> None:
    _, refs = compile_condition("flag(door) and item(arrows) > 0 or present(cy)", ctx)
    assert [(r.kind, r.name, r.offset) for r in refs] == [
        ("flag", "door", 5),
        ("item", "arrows", 20),
        ("member", "cy", 43),
    ]


def test_member_state_status_words() -> None:
    assert MemberState(where="party").status() == "healthy"
    assert MemberState(where="party", bitten=True, concealed=True).shown_status(False) == "healthy"
    assert MemberState(where="party", bitten=True, concealed=True).shown_status(True) == "bitten"
    assert MemberState(where="missing", fate="hambie").status() == "missing"


def test_the_compiler_reports_comparisons_with_constants(ctx: Context) -> None:
    from game.engine.expr import compile_full
    from game.engine.model import Threshold

    def th(source: str) -> tuple[Threshold, ...]:
        return compile_full(source, ctx).thresholds

    assert th("clock < 2d05:00") == (Threshold("clock", "", "<", 1740),)
    assert th("3 > item(arrows)") == (Threshold("item", "arrows", "<", 3),)
    assert th("visited(hall)") == (Threshold("visits", "hall", ">=", 1),)
    assert th("day == 1 and visits(hall) != 2") == (
        Threshold("day", "", "==", 1),
        Threshold("visits", "hall", "!=", 2),
    )
    # compared with another number, or read inside parentheses: every value matters
    assert th("clock >= counter(c)") == (Threshold("clock", "", None, None), Threshold("counter", "c", None, None))
    assert Threshold("clock", "", None, None) in th("(clock) > 5")
    assert th("flag(door-shut)") == ()


@pytest.mark.parametrize(
    ("op", "below", "at", "above"),
    [
        ("<", True, False, False),
        ("<=", True, True, False),
        (">", False, False, True),
        (">=", False, True, True),
        ("==", False, True, False),
        ("!=", True, False, True),
    ],
)
def test_every_comparison_at_its_boundary(
    ctx: Context, state: GameState, op: str, below: bool, at: bool, above: bool
) -> None:
    # against a constant (the specialised closures), on either side, and between two numbers
    for count, expected in ((2, below), (3, at), (4, above)):
        s = replace(state, counters={"rage": count, "three": 3})
        assert ev(f"counter(rage) {op} 3", ctx, s) is expected, (op, count)
        assert ev(f"counter(rage) {op} counter(three)", ctx, s) is expected, (op, count)
        flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}[op]
        assert ev(f"3 {flipped} counter(rage)", ctx, s) is expected, (op, count)
