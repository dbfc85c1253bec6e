"""Time-of-day words in rendered prose, and whether they contradict the clock.

Which phrases claim the present time (and which only mention a time: `last night`,
`until dawn`, `white as noon`), with the range of the day each one allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .prose import narration_mask, sentence_at, sentence_bounds

# (phrase, earliest, latest) in minutes of the day; a range may wrap past midnight
_H = 60
TIMES: tuple[tuple[str, int, int], ...] = (
    ("late morning", 9 * _H + 30, 12 * _H + 15),
    ("early morning", 4 * _H, 9 * _H),
    ("mid-morning", 8 * _H + 30, 11 * _H + 30),
    ("early afternoon", 12 * _H, 15 * _H),
    ("late afternoon", 14 * _H + 30, 19 * _H),
    ("early evening", 16 * _H + 30, 20 * _H),
    ("late evening", 20 * _H, 23 * _H + 30),
    ("late at night", 22 * _H, 4 * _H),
    ("middle of the night", 22 * _H + 30, 4 * _H + 30),
    ("dawn", 4 * _H, 7 * _H + 30),
    ("daybreak", 4 * _H, 7 * _H + 30),
    ("sunrise", 4 * _H + 30, 7 * _H + 30),
    ("morning", 5 * _H, 12 * _H),
    ("noon", 11 * _H + 15, 13 * _H + 30),
    ("midday", 11 * _H, 14 * _H),
    ("afternoon", 12 * _H, 18 * _H + 30),
    ("evening", 17 * _H, 22 * _H + 30),
    ("dusk", 17 * _H, 21 * _H + 30),
    ("sunset", 17 * _H, 21 * _H),
    ("nightfall", 17 * _H + 30, 21 * _H + 30),
    ("midnight", 23 * _H, 1 * _H + 30),
    ("night", 19 * _H, 6 * _H),
)
SLACK = 20
_TIME_RE = re.compile(r"\b(" + "|".join(re.escape(t[0]) for t in TIMES) + r")\b", re.IGNORECASE)
_RANGES = {t[0]: (t[1], t[2]) for t in TIMES}
# a time word is not a claim about now after these words ("last night", "until dawn")
_NOT_NOW_BEFORE = re.compile(
    r"\b(last|tomorrow|yesterday|next|every|each|that|previous|since|until|till|before|"
    r"after|one|this|a|an|all|any|whole|first|second|third|same|by|from|through|of|"
    r"toward|towards|tonight's|today's|for|another|other|overnight)\s+(?:early\s+|late\s+)?$",
    re.IGNORECASE,
)
_NOW_AFTER = re.compile(
    r"^\s+(sun|light|air|heat|cold|chill|sky|shadows?|breeze|haze|glare|mist|fog|is|has|comes|"
    r"breaks|falls|settles|creeps|wears on|outside)\b",
    re.IGNORECASE,
)
_IT_IS = re.compile(
    r"\b(it is|it's|it is already|it is still|already)\s+(?:early\s+|late\s+)?$", re.IGNORECASE
)
_HABIT = re.compile(
    r"\b(every|each|always|usually|sometimes|often|whenever|comes and goes|and at|timetable)\b", re.IGNORECASE
)
_EVENT_WORDS = frozenset("dawn daybreak sunrise dusk sunset nightfall midnight noon midday".split())


@dataclass(frozen=True, slots=True)
class TimeClaim:
    phrase: str
    start: int
    lo: int
    hi: int


def time_claims(text: str) -> tuple[TimeClaim, ...]:
    """Time-of-day phrases the narration asserts about the present: `it is late
    morning`, `the evening light`, `dawn breaks`, `at dusk`, `the night air`. Quoted
    speech, `last night`, `tomorrow morning`, `until dawn`, `the night of the alarm`,
    plurals and possessives are not claims; nor is a bare `morning` or `night`."""
    narr = narration_mask(text)
    bounds = sentence_bounds(text)
    out: list[TimeClaim] = []
    for m in _TIME_RE.finditer(text):
        if not narr[m.start()]:
            continue
        phrase = m.group(1).lower()
        before = text[max(0, m.start() - 30) : m.start()]
        after = text[m.end() : m.end() + 20]
        if after.startswith(("s ", "s.", "s,", "'", "’", "-")) or re.match(r"^\s+of\b", after):
            continue
        if _NOT_NOW_BEFORE.search(before):
            continue
        if not (" " in phrase or phrase in _EVENT_WORDS or _IT_IS.search(before) or _NOW_AFTER.match(after)):
            continue
        if re.search(
            r"\b(was|were|had|been|did|would)\b[^.!?]{0,20}$|\b(as|like)\s+$", before, re.IGNORECASE
        ):
            continue  # "fewer than there were at noon": the past; "white as noon": a simile
        a, b = sentence_at(bounds, m.start())
        if _HABIT.search(text[a:b]):
            continue  # "the patrols pass at dawn and at six": what happens every day
        lo, hi = _RANGES[phrase]
        if phrase == "night" and re.match(r"^\s+(comes|falls|creeps|settles)\b", after, re.IGNORECASE):
            lo, hi = _RANGES["nightfall"]  # night arriving is dusk
        out.append(TimeClaim(phrase, m.start(), lo, hi))
    return tuple(out)


# "this morning" said after midnight means the morning to come, never the one just gone
# (a reader at 00:35 took "in the corridor this morning" as a slip): in speech too
_THIS_RE = re.compile(r"\bthis (morning|afternoon|evening)\b", re.IGNORECASE)
_THIS_FROM = 5 * _H  # from five o'clock on, "this morning" is today's


def this_claims(text: str) -> tuple[TimeClaim, ...]:
    """`this morning`, `this afternoon` and `this evening`, narration or speech: each
    names the current day, so each is wrong in the small hours (00:00-05:00), when the
    morning meant is yesterday's."""
    return tuple(
        TimeClaim(m.group(0).lower(), m.start(), _THIS_FROM, 24 * _H - 1) for m in _THIS_RE.finditer(text)
    )


def contradicts(claim: TimeClaim, minutes: int) -> bool:
    lo, hi = (claim.lo - SLACK) % 1440, (claim.hi + SLACK) % 1440
    if lo <= hi:
        return not lo <= minutes <= hi
    return not (minutes >= lo or minutes <= hi)


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
