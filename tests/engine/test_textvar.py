"""Text variation: parsing (with offsets for every error) and rendering by visit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.engine.textvar import Alternatives, InlineIf, TemplateError, parse, pick, render, varies


@dataclass
class S:
    scene: str = "s"
    visits: dict[str, int] = field(default_factory=lambda: {"s": 1})
    seed: int = 7
    flags: frozenset[str] = frozenset()


def lookup(key: str, offset: int) -> Any:
    if key in ("on-jo", "who"):
        return ("name", key)
    raise TemplateError(f"unknown substitution {{{key}}}", offset)


def condition(source: str, offset: int) -> Any:
    if source.startswith("flag(") and source.endswith(")"):
        name = source[5:-1]
        return lambda s: name in s.flags
    raise TemplateError(f"bad condition {source!r}", offset)


def look(part: Any, state: Any) -> str:
    return {"on-jo": "On-jo", "who": "Bo"}[part[1]]


def ok(source: str) -> tuple[Any, ...]:
    parts, errors = parse(source, lookup, condition)
    assert errors == [], [(e.offset, e.message) for e in errors]
    return parts


def show(source: str, visit: int = 1, **kw: Any) -> str:
    return render(ok(source), S(visits={"s": visit}, **kw), look)


def errors(source: str) -> list[tuple[int, str]]:
    return [(e.offset, e.message) for e in parse(source, lookup, condition)[1]]


def test_plain_text_and_lookups_are_unchanged() -> None:
    assert ok("Hello.") == ("Hello.",)
    assert ok("{on-jo} nods.") == (("name", "on-jo"), " nods.")
    assert show("{{literal}} {on-jo}") == "{literal} On-jo"
    assert not varies(ok("{on-jo} nods."))


def test_sequence_shows_each_in_turn_then_sticks() -> None:
    text = "The door is {seq shut | ajar | open}."
    assert [show(text, v) for v in (1, 2, 3, 4, 9)] == [
        "The door is shut.",
        "The door is ajar.",
        "The door is open.",
        "The door is open.",
        "The door is open.",
    ]


def test_cycle_repeats() -> None:
    assert [show("{cycle a | b}", v) for v in range(1, 6)] == ["a", "b", "a", "b", "a"]


def test_once_then_nothing_and_the_gap_closes() -> None:
    text = "You see {once a light | a glow} here."
    assert [show(text, v) for v in (1, 2, 3)] == ["You see a light here.", "You see a glow here.", "You see here."]
    assert show("Quiet{once , for now}.", 2) == "Quiet."


def test_shuffle_shows_every_option_once_per_round_and_is_seeded() -> None:
    text = "{shuffle a | b | c}"
    for seed in range(20):
        first_round = [show(text, v, seed=seed) for v in (1, 2, 3)]
        assert sorted(first_round) == ["a", "b", "c"]
        assert [show(text, v, seed=seed) for v in (1, 2, 3)] == first_round  # replays agree
    orders = Counter(tuple(show(text, v, seed=seed) for v in (1, 2, 3)) for seed in range(200))
    assert len(orders) == 6  # every order occurs: the seed matters


def test_shuffle_rounds_differ_over_the_run() -> None:
    rounds = {tuple(pick("shuffle", 4, v, 3, 99) for v in range(r * 4 + 1, r * 4 + 5)) for r in range(10)}
    assert len(rounds) > 1
    assert all(sorted(r) == [0, 1, 2, 3] for r in rounds)


def test_inline_conditional_with_and_without_else() -> None:
    text = "{if flag(x) then {on-jo} nods. | Nobody nods.}"
    assert show(text) == "Nobody nods."
    assert show(text, flags=frozenset({"x"})) == "On-jo nods."
    assert show("Rain{if flag(x) then , hard}.") == "Rain."
    parts = ok(text)
    assert isinstance(parts[0], InlineIf) and parts[0].source == "flag(x)"


def test_nesting() -> None:
    text = "{seq {if flag(x) then {on-jo} | nobody} first | {cycle again | and again}}"
    assert show(text, 1) == "nobody first"
    assert show(text, 1, flags=frozenset({"x"})) == "On-jo first"
    # the nested cycle counts the showings of its own option (from visit 2 on)
    assert [show(text, v) for v in (2, 3, 4)] == ["again", "and again", "again"]
    assert [show("{cycle x | {seq one | two | three}}", v) for v in range(1, 7)] == ["x", "one", "x", "two", "x", "three"]
    assert isinstance(ok(text)[0], Alternatives)


def test_conditions_may_hold_times_and_parentheses() -> None:
    seen: list[str] = []

    def cond(source: str, offset: int) -> Any:
        seen.append(source)
        return lambda s: True

    parse("{if clock >= 2d14:30 and (flag(a) or flag(then)) then yes | no}", lookup, cond)
    assert seen == ["clock >= 2d14:30 and (flag(a) or flag(then))"]


@pytest.mark.parametrize(
    ("source", "offset", "fragment"),
    [
        ("ab {seq only}", 3, "at least 2"),
        ("ab {shuffle x}", 3, "at least 2"),
        ("ab {cycle x | y", 3, "never closed"),
        ("x {if flag(a) yes | no}", 2, "needs `then`"),
        ("x {if flag(a) then a | b | c}", 2, "at most one else"),
        ("x {if nonsense then a}", 6, "bad condition"),
        ("x {a | b}", 2, "need a word first"),
        ("x } y", 2, "unmatched '}'"),
        ("x {on-jo", 2, "unmatched '{'"),
        ("x {seq a | {nobody}}", 12, "unknown substitution"),
        ("x  {  nobody }", 6, "unknown substitution"),
    ],
)
def test_errors_carry_offsets(source: str, offset: int, fragment: str) -> None:
    found = errors(source)
    assert found, source
    assert found[0][0] == offset, found
    assert fragment in found[0][1]


def test_all_errors_are_reported_not_only_the_first() -> None:
    assert [o for o, _ in errors("{nobody} and {seq x} and {if flag(a) y}")] == [1, 13, 25]


def test_sites_differ_by_construct_and_key() -> None:
    a = parse("{shuffle a | b}", lookup, condition, "scene-1")[0][0]
    b = parse("{shuffle a | b}", lookup, condition, "scene-2")[0][0]
    c = parse("{shuffle a | c}", lookup, condition, "scene-1")[0][0]
    assert len({a.site, b.site, c.site}) == 3


@given(st.text(alphabet="ab {}|\n:", max_size=30))
def test_any_text_parses_or_reports_never_raises(source: str) -> None:
    parts, found = parse(source, lookup, condition)
    for e in found:
        assert 0 <= e.offset <= len(source)
    if not found:
        for visit in (1, 2, 3):
            render(parts, S(visits={"s": visit}), look)


@given(st.lists(st.text(alphabet="abc .", min_size=1, max_size=8).filter(lambda t: t.strip()), min_size=2, max_size=5), st.integers(1, 12))
def test_sequence_property(options: list[str], visit: int) -> None:
    text = "{seq " + " | ".join(options) + "}"
    expected = options[min(visit, len(options)) - 1].strip()
    assert show(text, visit) == expected


def glued(source: str) -> list[tuple[int, str]]:
    found = parse(source, lookup, condition)[1]
    assert all(e.warning for e in found)
    return [(e.offset, e.message) for e in found]


@pytest.mark.parametrize(
    ("source", "offset", "fragment"),
    [
        # options are trimmed: a sentence end right before the brace runs into the option
        ("She is quiet.{if flag(a) then  There is a spot. | }", 13, "'.' and the option 'There'"),
        ("on the grass{if flag(a) then : two of them | near the targets}.", 12, "'s' and the option 'near'"),
        ("says.{seq {on-jo} nods | she nods}", 5, "'.' and the option '{...}'"),
        # ... and an option's sentence end runs into speech right after the brace
        ('You agree. {if flag(a) then It can wait. | }"Go," she says.', 43, "'wait.' and '\"Go,\" "),
        ("{if flag(a) then a long way | near}home.", 34, "'way' and 'home.'"),
    ],
)
def test_an_option_that_prints_as_one_word_with_its_neighbour_is_a_warning(
    source: str, offset: int, fragment: str
) -> None:
    found = glued(source)
    assert len(found) == 1 and found[0][0] == offset and fragment in found[0][1], found


@pytest.mark.parametrize(
    "source",
    [
        "She is quiet. {if flag(a) then There is a spot. | }",
        "on the grass{if flag(a) then : two of them | , near the targets}.",
        "friend{if flag(a) then s} and {on-jo}{if flag(a) then 's bag | }",  # suffixes
        '"Go {if flag(a) then now | later}," she says, and {seq he | she} goes.',  # a closing quote
        "{if flag(a) then the girl | the boy}'s bag; {cycle one | two}.",
    ],
)
def test_options_with_their_spaces_or_suffixes_are_not_glued(source: str) -> None:
    assert glued(source) == []


def test_two_braces_side_by_side_glue_after_a_comma_but_not_after_a_word() -> None:
    # "names: on the list,on the tree,and on the board" (act 5, reader-visible)
    found = glued("names: {if flag(a) then on the list, | }{if flag(b) then on the tree | } and more")
    assert len(found) == 1 and found[0][0] == 40 and "'list,' and the next braces' 'on'" in found[0][1]
    assert glued("names: {if flag(a) then on the list, | } {if flag(b) then on the tree | } and more") == []
    # alternatives of each other: only one shows, so no space is needed after a word
    assert glued("signs {if flag(a) then and two | }{if flag(b) then and one | } more") == []
