"""The prose heuristics, one reading at a time."""

from __future__ import annotations

import pytest

from game.tools.continuity import prose, timewords

READER = prose.NameReader(
    {"on-jo": "On-jo", "cheong-san": "Cheong-san", "nam-ra": "Nam-ra"}, ["Cheong-san Chicken", "Rooftop"]
)


def _acts(text: str) -> list[tuple[str, str]]:
    return [(m.member, m.act) for m in READER.mentions(text) if m.narration and not m.memory]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('On-jo says, "Go."', [("on-jo", "speech")]),
        ('"Go," says Nam-ra.', [("nam-ra", "speech")]),
        ("Cheong-san quietly nods.", [("cheong-san", "speech")]),
        ("Cheong-san takes the bat.", [("cheong-san", "act")]),
        ("Nam-ra is at the window.", [("nam-ra", "is")]),
        ("Nam-ra is gone.", [("nam-ra", "")]),
        ("Nam-ra lies where she fell.", [("nam-ra", "")]),
        ("Nam-ra was at the window.", [("nam-ra", "")]),
        ("Cheong-san's mother waves.", [("cheong-san", "")]),
        ("The sign of Cheong-san Chicken swings.", []),
        ("You think of On-jo, who laughs at everything.", []),
        ('"Where is On-jo?" you ask.', []),
    ],
)
def test_who_acts_speaks_or_is_here(text: str, expected: list[tuple[str, str]]) -> None:
    assert _acts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cheong-san shakes her head.", [("cheong-san", "her head", "she")]),
        ("Cheong-san shakes his head.", [("cheong-san", "his head", "he")]),
        ("Cheong-san leans over her shoulder.", []),  # someone else's shoulder
        ("Nam-ra rubs their eyes.", [("nam-ra", "their", "they")]),
        ("Nam-ra looks at the soldiers, who rub their eyes.", []),
        ("On-jo steadies herself on the rail.", [("on-jo", "herself", "she")]),
        ("On-jo waits. Their eyes are red.", [("on-jo", "Their", "they")]),
        ("On-jo and Nam-ra wait. Their eyes are red.", []),
    ],
)
def test_pronouns_that_follow_a_name(text: str, expected: list[tuple[str, str, str]]) -> None:
    hits = prose.pronoun_hits(text, READER.mentions(text), "Ye-jin")
    assert [(h.member, h.pronoun, h.form) for h in hits] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cheong-san does not say anything. She just sits beside you.", [("cheong-san", "She", "she")]),
        ("Cheong-san does not say anything. He just sits beside you.", [("cheong-san", "He", "he")]),
        ("Cheong-san holds the gap and you drag her through. She is shaking.", []),  # hers
        ("Cheong-san waits for the nurse. She is late.", []),  # another person
        ('Cheong-san waits. "Go." She goes.', []),  # speech between
        ("Cheong-san waits.\n\nShe comes in from the rain.", []),  # a new paragraph
        ("Then Cheong-san waits. She is late.", []),  # the sentence is not his
        ("The soldiers and Cheong-san wait. She is late.", []),
        ("Cheong-san waits. On-jo nods. She is ready.", [("on-jo", "She", "she")]),  # hers, and right
    ],
)
def test_he_or_she_opening_the_next_sentence(text: str, expected: list[tuple[str, str, str]]) -> None:
    hits = prose.gender_hits(text, READER.mentions(text), "Ye-jin")
    assert [(h.member, h.pronoun, h.form) for h in hits] == expected


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("It is late morning. The sun is high.", ["late morning"]),
        ("The evening light comes in sideways.", ["evening"]),
        ("Dawn breaks over the river.", ["dawn"]),
        ("You wait until dawn.", []),
        ("Last night was long.", []),
        ("Tomorrow morning the bus comes.", []),
        ("The night of the alarm comes back to you.", []),
        ('"Good morning," she says.', []),
        ("Every morning the line is longer.", []),
    ],
)
def test_time_of_day_claims(text: str, phrases: list[str]) -> None:
    assert [c.phrase for c in timewords.time_claims(text)] == phrases


def test_time_ranges_wrap_past_midnight() -> None:
    (night,) = timewords.time_claims("The night air is cold.")
    assert not timewords.contradicts(night, 23 * 60)
    assert not timewords.contradicts(night, 2 * 60)
    assert timewords.contradicts(night, 13 * 60)
    (late,) = timewords.time_claims("It is late morning.")
    assert not timewords.contradicts(late, 12 * 60)
    assert timewords.contradicts(late, 12 * 60 + 55)


def test_this_morning_after_midnight_is_the_day_to_come() -> None:
    # a reader at 00:35 read "in the corridor this morning" as a slip: the morning meant is yesterday's
    (said,) = timewords.this_claims('"You were the one in the corridor this morning."')
    assert said.phrase == "this morning"
    assert timewords.contradicts(said, 35)  # speech counts: nobody says it after midnight
    assert not timewords.contradicts(said, 20 * 60)  # the evening of the same day
    assert not timewords.contradicts(said, 5 * 60 + 10)
    (later,) = timewords.this_claims("This afternoon the trucks come.")
    assert not timewords.contradicts(later, 9 * 60)  # the afternoon to come, said in the morning
    assert timewords.contradicts(later, 2 * 60)
    assert timewords.this_claims("This is the morning of the alarm.") == ()
