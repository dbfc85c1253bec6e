"""`anyone(...)` and `count(...)`: the quantifiers over the cast, against hand-built
states (a dead member, a hambie, a missing member, the player) and against the `or`
chains of `is()` they replace."""

from __future__ import annotations

from dataclasses import replace
from itertools import product
from pathlib import Path
from types import SimpleNamespace

import pytest

from game.engine.expr import Context, ExprError, compile_condition, compile_full
from game.engine.model import STATUSES, Story, Threshold
from game.engine.quantifiers import WORDS, _test, truth_table
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
    assert set(TABLE) == set(WORDS)
    assert set(STATUSES) <= set(TABLE)


@pytest.mark.parametrize("word", sorted(TABLE))
def test_truth_table(word: str, ctx: Context, grim: GameState) -> None:
    anyone, cast, everyone = TABLE[word]
    assert value(f"anyone({word})", ctx, grim) is anyone
    assert value(f"count({word}) == {cast}", ctx, grim) is True
    assert value(f"count({word}, player) == {everyone}", ctx, grim) is True
    assert value(f"anyone({word}, player)", ctx, grim) is (everyone > 0)


def test_or_and_not_about_one_member(ctx: Context, grim: GameState) -> None:
    assert value("count(dead or zombie) == 1", ctx, grim)
    assert value("count(dead or hambie or missing) == 3", ctx, grim)
    assert value("count(alive or hambie) == 2", ctx, grim)  # Bo is both: counted once
    assert value("count(alive or bitten, player) == 3", ctx, grim)
    assert value("anyone(zombie or away) or anyone(injured)", ctx, grim) is False
    assert value("anyone(zombie or injured, player)", ctx, grim) is True
    # and: the same member
    assert value("anyone(present and hambie)", ctx, grim) is True
    assert value("anyone(missing and dead)", ctx, grim) is False  # Cy is missing, Ana dead
    assert value("anyone(injured and bitten)", ctx, grim) is False
    assert value("anyone(injured and bitten, player)", ctx, grim) is True
    assert value("count(not alive) == 1 and count(alive and not present) == 1", ctx, grim)
    assert value("count((dead or hambie) and with) == 2", ctx, grim)
    assert value("count(dead or hambie and with) == 2", ctx, grim)  # and binds tighter


def test_a_fresh_run(ctx: Context, mini: Story) -> None:
    state = new_game(mini, seed=1)  # Ana and Bo with the party, Cy away (not met)
    assert value("count(present) == 2 and count(present, player) == party", ctx, state)
    assert value("count(away) == 1 and anyone(healthy) and not anyone(dead or zombie)", ctx, state)


def _one(word: str, mid: str) -> str:
    return f"{ONE_ARG[word]}({mid})" if word in ONE_ARG else f"is({mid}, {word})"


def _chain(word: str, ids: tuple[str, ...]) -> str:
    """The `or` chain a writer had to spell: `is(a, dead) or is(b, dead) ...`; for
    `x and y`, `(x(a) and y(a)) or ...`; for `x or y`, every member's x, y in turn."""
    if " and " in word:
        x, y = word.split(" and ")
        return " or ".join(f"({_one(x, mid)} and {_one(y, mid)})" for mid in ids)
    words = word.split(" or ")
    return " or ".join(_one(w, mid) for mid in ids for w in words)


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
    # values the engine never gives (a hand-edited save): every word is false of them
    MemberState(where="limbo", fate="ghost", bitten=True, injured=True),
    MemberState(where="party", fate="ghost", bitten=True, turns_at=50),
]


@pytest.mark.parametrize(
    "word",
    [
        *sorted(TABLE),
        "dead or zombie",
        "bitten or hambie",
        "known and present",
        "present and injured",
        "with and known",
        "with and hambie",
    ],
)
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
        ("count(hambie or zombi) > 0", 16, "(did you mean 'zombie'?)"),
        ("anyone(ana)", 7, "unknown word 'ana' in anyone()"),
        ("anyone(player)", 7, "`player` goes after a comma: anyone(bitten, player)"),
        ("anyone(dead, zombie)", 13, "anyone() takes only `player` after the comma, found 'zombie'"),
        ("anyone(dead zombie)", 12, "expected ')' or ', player' in anyone(...), found 'zombie'"),
        ("anyone(dead or)", 14, "anyone() expects a state such as dead or present, found ')'"),
        ("anyone(", 7, "expects a state such as dead or present, found the end"),
        ("anyone((dead)", 13, "expected ')' or ', player' in anyone(...), found the end"),
        ("anyone dead", 0, "anyone needs an argument"),
        ("count(dead)", 0, "a number is not a condition"),
        ("anyone(dead) > 1", 0, "compares numbers; the left side is a condition"),
        ("anyon(dead)", 0, "unknown function 'anyon' (did you mean 'anyone'?)"),
    ],
)
def test_bad_quantifiers(source: str, offset: int, fragment: str, ctx: Context) -> None:
    with pytest.raises(ExprError) as info:
        compile_condition(source, ctx)
    assert fragment in info.value.message
    assert info.value.offset == offset


def test_the_rest_of_the_condition_goes_on_after_it(ctx: Context, grim: GameState) -> None:
    assert value("anyone(dead) and not anyone(zombie) and count(missing) == 1 and true", ctx, grim)
    assert value("(anyone(dead, player)) or false", ctx, grim)


def test_count_is_a_quantity_for_explore(ctx: Context) -> None:
    compiled = compile_full("count(dead or zombie, player) >= 3", ctx)
    assert compiled.thresholds == (Threshold("count", "(dead or zombie), player", ">=", 3),)
    assert compiled.refs == []


@pytest.mark.parametrize(
    ("condition", "where"),
    [
        ("flag(door) or anyone(bitten and not hambi)", "scenes.yaml:8:47"),
        ('"flag(door) or anyone(bitten and not hambi)"', "scenes.yaml:8:48"),  # quoted: one further
        ("'flag(door) or anyone(bitten and not hambi)'", "scenes.yaml:8:48"),
    ],
)
def test_check_reports_a_typo_with_its_position(tmp_path: Path, condition: str, where: str) -> None:
    write_story(
        tmp_path,
        f"""\
        - id: s
          location: room
          text: Hi
          choices:
            - id: go
              label: Go
              if: {condition}
              goto: end
        """,
    )
    errors = [str(d) for d in load(tmp_path).diagnostics if d.severity == "error"]
    assert any(
        f"{where}: error: bad condition: unknown word 'hambi' in anyone() (did you mean 'hambie'?)" in e
        for e in errors
    ), errors


def test_the_truth_table_reads_every_field_a_word_needs() -> None:
    """Each word's value depends only on the fields `fields_of` names: for every
    member state the engine can make, the table gives what the word's test gives."""
    domains = [
        ("human", "hambie", "zombie", "dead"),
        ("party", "away", "missing"),
        (False, True),
        (False, True),
        (False, True),
    ]
    trees = [*WORDS, ("and", ["present", "injured"]), ("or", ["dead", ("not", "with")])]
    for tree in trees:
        key, table = truth_table(tree)
        test = _test(tree)
        for fate, where, bitten, injured, concealed in product(*domains):
            m = MemberState(fate=fate, where=where, bitten=bitten, injured=injured, concealed=concealed)
            assert table[key(m)] == bool(test(m)), (tree, m)


def test_a_member_state_outside_the_table_is_still_answered(ctx: Context, grim: GameState) -> None:
    odd = members(grim, cy={"fate": "ghost", "where": "party", "injured": True})
    assert value("count(not alive) == 2", ctx, odd)  # Ana (dead), Cy (a fate no word names)
    assert value("anyone(with and not alive and not dead)", ctx, odd)
    assert value("count(with and not alive) == 2 and not anyone(injured and not hambie)", ctx, odd)


def test_the_answer_is_kept_only_for_a_mapping_nobody_edits(ctx: Context, grim: GameState) -> None:
    fn, _ = compile_condition("anyone(zombie)", ctx)
    assert fn(grim) is False
    assert fn(grim) is False  # the same mapping: the kept answer
    turned = members(grim, ana={"fate": "zombie"})
    assert fn(turned) is True  # a new mapping is worked out
    # a `Work` edits its own copy of the mapping in place while `dirty` names it
    editing = dict(grim.members)
    work = SimpleNamespace(members=editing, subject=None, dirty={"members"})
    assert fn(work) is False
    editing["bo"] = replace(editing["bo"], fate="zombie")
    assert fn(work) is True
    editing["bo"] = replace(editing["bo"], fate="dead")
    assert fn(work) is False
