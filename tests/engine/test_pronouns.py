"""Pronoun sets, template form keys and verb agreement."""

from __future__ import annotations

import pytest

from game.engine.pronouns import FORM_KEYS, PRESETS, PronounError, form_key, parse_pronouns, word


@pytest.mark.parametrize(
    ("spec", "key", "expected"),
    [
        ("he", "they", "he"),
        ("he", "them", "him"),
        ("he", "their", "his"),
        ("he", "theirs", "his"),
        ("he", "themself", "himself"),
        ("she", "their", "her"),
        ("she", "theirs", "hers"),
        ("she", "themselves", "herself"),
        ("they", "themself", "themselves"),
        ("she", "they're", "she's"),
        ("they", "they're", "they're"),
        ("he", "they've", "he's"),
        ("they", "they've", "they've"),
        ("he", "they'd", "he'd"),
        ("she", "they'll", "she'll"),
        ("she", "are", "is"),
        ("she", "is", "is"),
        ("they", "is", "are"),
        ("they", "was", "were"),
        ("he", "were", "was"),
        ("he", "have", "has"),
        ("they", "has", "have"),
        ("he", "does", "does"),
        ("they", "do", "do"),
        ("he", "don't", "doesn't"),
        ("they", "aren't", "aren't"),
        ("he", "aren't", "isn't"),
        ("he", "s", "s"),
        ("they", "s", ""),
        ("she", "es", "es"),
        ("they", "es", ""),
        ("she", "ies", "ies"),
        ("they", "ies", "y"),
    ],
)
def test_forms(spec: str, key: str, expected: str) -> None:
    assert parse_pronouns(spec).form(key) == expected


def test_every_form_key_works_for_every_preset() -> None:
    for preset in PRESETS.values():
        for key in FORM_KEYS:
            assert isinstance(preset.form(key), str)


def test_capitals() -> None:
    assert form_key("They") == ("they", True)
    assert form_key("They're") == ("they're", True)
    assert form_key("their") == ("their", False)
    assert word(PRESETS["she"], "they're", True) == "She's"
    assert word(PRESETS["he"], "are", True) == "Is"
    assert form_key("THEY") is None
    assert form_key("S") is None  # an ending cannot start a sentence
    assert form_key("theyre") is None
    assert form_key("hers") is None  # forms are named by their "they" word


def test_short_and_custom_specs() -> None:
    assert parse_pronouns("she/her") is PRESETS["she"]
    assert parse_pronouns(" They/Them ") is PRESETS["they"]
    xe = parse_pronouns("xe/xem/xyr/xyrs/xemself")
    assert (xe.form("they're"), xe.form("is"), xe.form("s")) == ("xe's", "is", "s")
    ze = parse_pronouns("ze/zir/zir/zirs/zirself/plural")
    assert (ze.form("is"), ze.form("they're")) == ("are", "ze're")
    assert parse_pronouns(xe.spec()) == xe
    assert parse_pronouns(ze.spec()) == ze
    assert PRESETS["he"].spec() == "he"


@pytest.mark.parametrize("bad", ["", "it", "he/she", "a/b/c/d", "a/b/c/d/e/f", "x1/x/x/x/x"])
def test_bad_specs(bad: str) -> None:
    with pytest.raises(PronounError):
        parse_pronouns(bad)


def test_words() -> None:
    assert PRESETS["she"].words() == {"she", "her", "hers", "herself"}
