"""`anyone(...)` and `count(...)`: the quantifiers over the cast, against hand-built
states (a dead member, a hambie, a missing member, the player) and against the `or`
chains of `is()` they replace."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from game.engine.expr import Context, ExprError, compile_condition, compile_full
from game.engine.model import STATUSES, Story, Threshold
from game.engine.quantifiers import WORDS
from game.engine.rules import new_game
from game.engine.state import GameState, MemberState
from tests.storybuild import load, write_story

CAST = ("ana", "bo", "cy")
ONE_ARG = {"known": "known", "present": "present", "with": "with", "alive": "alive"}


@pytest.fixture()
def ctx() -> Context:
    return Context()


def value(source: str, ctx: Context, state: GameState) -> object:
    fn, _ = compile_condition(source, ctx)
    return fn(state)


def members(state: GameState, **changes: dict[str, object]) -> GameState:
    out = dict(state.members)
    for mid, change in changes.items():
        out[mid] = replace(out[mid], **change)  # type: ignore[arg-type]
    return replace(state, members=out)


@pytest.fixture()
def grim(mini: Story) -> GameState:
    """The player injured and openly bitten; Ana dead; Bo a hambie with the party; Cy
    missing."""
    state = new_game(mini, seed=1)
    return members(
        state,
        player={"injured": True, "bitten": True, "turns_at": 999},
        ana={"fate": "dead"},
        bo={"fate": "hambie", "hunger": 20.0},
        cy={"where": "missing", "met": True},
    )


# word -> (anyone among the cast, how many in the cast, how many with the player)
TABLE = {
    "healthy": (True, 1, 1),  # Cy: missing, but human, unhurt, unbitten
    "injured": (False, 0, 1),  # only the player
    "bitten": (False, 0, 1),
    "known": (False, 0, 1),
    "zombie": (False, 0, 0),
    "hambie": (True, 1, 1),
    "dead": (True, 1, 1),
    "missing": (True, 1, 1),
    "away": (False, 0, 0),
    "present": (True, 1, 2),  # Bo (a hambie acts); the player
    "with": (True, 2, 3),  # Ana's body is counted with the party; Bo; the player
    "alive": (True, 2, 3),  # Bo, Cy; the player
}


def test_the_table_covers_every_word() -> None:
    assert set(TABLE) | {"player"} == set(WORDS)
    assert set(STATUSES) <= set(TABLE)


@pytest.mark.parametrize("word", sorted(TABLE))
def test_truth_table(word: str, ctx: Context, grim: GameState) -> None:
    anyone, cast, everyone = TABLE[word]
    assert value(f"anyone({word})", ctx, grim) is anyone
    assert value(f"count({word}) == {cast}", ctx, grim) is True
    assert value(f"count({word}, player) == {everyone}", ctx, grim) is True
    assert value(f"anyone({word}, player)", ctx, grim) is (everyone > 0)
    assert value(f"anyone(player, {word})", ctx, grim) is (everyone > 0)  # any order


def test_several_words_count_each_member_once(ctx: Context, grim: GameState) -> None:
    assert value("count(dead, zombie) == 1", ctx, grim)
    assert value("count(dead, hambie, missing) == 3", ctx, grim)
    assert value("count(alive, hambie) == 2", ctx, grim)  # Bo is both: counted once
    assert value("count(alive, bitten, player) == 3", ctx, grim)
    assert value("anyone(zombie, away) or anyone(injured)", ctx, grim) is False
    assert value("anyone(zombie, injured, player)", ctx, grim) is True


def test_a_fresh_run(ctx: Context, mini: Story) -> None:
    state = new_game(mini, seed=1)  # Ana and Bo with the party, Cy away (not met)
    assert value("count(present) == 2 and count(present, player) == party", ctx, state)
    assert value("count(away) == 1 and anyone(healthy) and not anyone(dead, zombie)", ctx, state)


def _chain(word: str, ids: tuple[str, ...]) -> str:
    if word in ONE_ARG:
        return " or ".join(f"{ONE_ARG[word]}({mid})" for mid in ids)
    return " or ".join(f"is({mid}, {word})" for mid in ids)


MEMBER_STATES = [
    MemberState(),
    MemberState(where="party"),
    MemberState(where="party", injured=True),
    MemberState(where="party", bitten=True, turns_at=50),
    MemberState(where="party", bitten=True, turns_at=50, concealed=True),
    MemberState(where="party", fate="hambie", injured=True),
    MemberState(where="party", fate="zombie"),
    MemberState(where="missing", fate="dead"),
    MemberState(where="missing", bitten=True, turns_at=50),
    MemberState(where="away", fate="hambie"),
]


@pytest.mark.parametrize("word", sorted(TABLE))
def test_the_same_as_the_chain_it_replaces(word: str, ctx: Context, mini: Story) -> None:
    """Every word, over many member states, with and without the player: `anyone` is
    the `or` chain of `is()` (or of `known()`, `present()`...) over the cast."""
    base = new_game(mini, seed=1)
    n = len(MEMBER_STATES)
    for i in range(n * 3):
        picks = {mid: MEMBER_STATES[(i * (k + 3) + k) % n] for k, mid in enumerate(("player", *CAST))}
        state = replace(base, members=picks)
        for ids, extra in ((CAST, ""), (("player", *CAST), ", player")):
            chain = value(_chain(word, ids), ctx, state)
            assert value(f"anyone({word}{extra})", ctx, state) == bool(chain), (word, picks)
            truths = sum(bool(value(_chain(word, (mid,)), ctx, state)) for mid in ids)
            assert value(f"count({word}{extra}) == {truths}", ctx, state) is True, (word, picks)


@pytest.mark.parametrize(
    ("source", "offset", "fragment"),
    [
        ("anyone(deed)", 7, "unknown word 'deed' in anyone() (did you mean 'dead'?)"),
        ("count(hambie, zombi) > 0", 14, "(did you mean 'zombie'?)"),
        ("anyone(ana)", 7, "unknown word 'ana' in anyone()"),
        ("anyone(player)", 7, "anyone() needs a state to look for"),
        ("anyone(dead, dead)", 13, "'dead' twice in anyone()"),
        ("count(dead)", 0, "a number is not a condition"),
        ("anyone", 0, "anyone needs an argument"),
        ("anyon(dead)", 0, "unknown function 'anyon' (did you mean 'anyone'?)"),
    ],
)
def test_bad_quantifiers(source: str, offset: int, fragment: str, ctx: Context) -> None:
    with pytest.raises(ExprError) as info:
        compile_condition(source, ctx)
    assert fragment in info.value.message
    assert info.value.offset == offset


def test_count_is_a_quantity_for_explore(ctx: Context) -> None:
    compiled = compile_full("count(dead, zombie) >= 3", ctx)
    assert compiled.thresholds == (Threshold("count", "dead, zombie", ">=", 3),)
    assert compiled.refs == []


def test_check_reports_a_typo_with_its_position(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Hi
          choices:
            - id: go
              label: Go
              if: flag(door) or anyone(bitten, plaer)
              goto: end
        """,
    )
    errors = [str(d) for d in load(tmp_path).diagnostics if d.severity == "error"]
    assert any(
        "scenes.yaml:8:40: error: bad condition: unknown word 'plaer' in anyone() (did you mean 'player'?)"
        in e
        for e in errors
    ), errors
