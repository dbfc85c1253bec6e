"""Time of day: the words for a clock reading, long jumps to a given hour, and how a
scene's header shows the clock.

The story clock counts minutes from day 1, 00:00. Everything here is a pure function of
that number (and, for dates, of the calendar date the manifest gives day 1).

    daypart(14 * 60)                   # "afternoon"
    fits("dawn", 2 * 1440 + 5 * 60)    # True
    minutes_until(clock, days=7, at=14 * 60)
    clock_label(clock, "date", date(2026, 3, 2))   # "Wednesday 4 March"
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .clock import MINUTES_PER_DAY as DAY
from .clock import day_of, time_of_day
from .numbers import number_words

# The one word a clock reading gets (`{daypart}`, `daypart(...)`, `clock: daypart`).
# Each range is [start, end) in minutes after midnight; together they cover the day.
DAYPARTS: tuple[tuple[str, int, int], ...] = (
    ("night", 0, 5 * 60),
    ("dawn", 5 * 60, 7 * 60),
    ("morning", 7 * 60, 12 * 60),
    ("midday", 12 * 60, 13 * 60),
    ("afternoon", 13 * 60, 18 * 60),
    ("evening", 18 * 60, 21 * 60),
    ("night", 21 * 60, DAY),
)
DAYPART_NAMES: tuple[str, ...] = ("dawn", "morning", "midday", "afternoon", "evening", "night")

# Words prose uses for the time of day, with the span of clock readings each may honestly
# describe: wider than DAYPARTS, because "morning" at 12:10 is not a mistake but "late
# morning" at 12:25 is, for a reader checking the clock in the header. [start, end) in
# minutes after midnight; a span that crosses midnight has start > end.
WORD_SPANS: dict[str, tuple[int, int]] = {
    "small hours": (0, 5 * 60),
    "midnight": (23 * 60, 60),
    "dawn": (4 * 60 + 30, 7 * 60 + 30),
    "daybreak": (4 * 60 + 30, 7 * 60 + 30),
    "sunrise": (5 * 60, 7 * 60 + 30),
    "early morning": (4 * 60, 9 * 60),
    "morning": (5 * 60, 12 * 60 + 30),
    "late morning": (10 * 60, 12 * 60 + 15),
    "noon": (11 * 60 + 30, 13 * 60),
    "midday": (11 * 60 + 30, 13 * 60 + 30),
    "lunchtime": (11 * 60 + 30, 14 * 60),
    "early afternoon": (12 * 60, 15 * 60),
    "afternoon": (12 * 60, 18 * 60 + 30),
    "late afternoon": (15 * 60, 19 * 60),
    "dusk": (17 * 60, 21 * 60),
    "sunset": (17 * 60, 20 * 60 + 30),
    "evening": (17 * 60, 22 * 60 + 30),
    "tonight": (15 * 60, 3 * 60),
    "night": (19 * 60, 6 * 60),
}

_HHMM = re.compile(r"(\d{1,2}):(\d\d)")


def daypart(clock: int) -> str:
    minutes = clock % DAY
    for name, start, end in DAYPARTS:
        if start <= minutes < end:
            return name
    return "night"  # pragma: no cover - DAYPARTS covers the day


def fits(word: str, clock: int) -> bool:
    """True when the time-of-day `word` (a key of WORD_SPANS) may describe `clock`."""
    start, end = WORD_SPANS[word]
    minutes = clock % DAY
    if start <= end:
        return start <= minutes < end
    return minutes >= start or minutes < end


def words_for(clock: int) -> frozenset[str]:
    """Every time-of-day word that may describe `clock`."""
    return frozenset(w for w in WORD_SPANS if fits(w, clock))


def parse_hhmm(text: str) -> int | None:
    """'14:00' -> 840; None unless a valid 24-hour time."""
    match = _HHMM.fullmatch(text.strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def minutes_until(clock: int, days: int = 0, at: int | None = None, minutes: int = 0) -> int:
    """How far to move the clock for `advance: {days: d, at: "HH:MM", minutes: m}`.

    Without `at`: d days and m minutes. With `at`: to HH:MM on the day d days from today
    (d = 0: today, or tomorrow if HH:MM has passed; the clock never goes back), then m
    more minutes."""
    if at is None:
        return days * DAY + minutes
    today = clock - clock % DAY
    target = today + days * DAY + at
    if target < clock:
        target += DAY
    return target - clock + minutes


CLOCK_MODES = ("time", "daypart", "day", "date", "hidden")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_of(clock: int, day_one: date) -> date:
    return day_one + timedelta(days=clock // DAY)


def date_words(clock: int, day_one: date) -> str:
    """'Wednesday 4 March' (English, whatever the machine's locale)."""
    when = date_of(clock, day_one)
    return f"{_WEEKDAYS[when.weekday()]} {when.day} {_MONTHS[when.month - 1]}"


def clock_label(clock: int, mode: str = "time", day_one: date | None = None) -> str:
    """What a scene header shows for the clock, by the scene's `clock:` mode:
    time 'Day 2, 14:05'; daypart 'Day 2, afternoon'; day 'Day 2';
    date 'Wednesday 4 March' (or 'Day 2' when the story gives no date); hidden ''."""
    if mode == "hidden":
        return ""
    day = f"Day {day_of(clock)}"
    if mode == "day":
        return day
    if mode == "daypart":
        return f"{day}, {daypart(clock)}"
    if mode == "date":
        return date_words(clock, day_one) if day_one is not None else day
    return f"{day}, {time_of_day(clock)}"


def span(minutes: int) -> str:
    """A stretch of story time as words: 'five hours', 'an hour', 'three days', 'two
    weeks' (rounded to the unit a reader would use)."""

    def count(n: int, unit: str) -> str:
        if n == 1:
            return f"an {unit}" if unit == "hour" else f"a {unit}"
        return f"{number_words(n)} {unit}s"

    if minutes < 1440:
        return count(max(1, round(minutes / 60)), "hour")
    if minutes < 14 * 1440:
        return count(round(minutes / 1440), "day")
    if minutes < 60 * 1440:
        return count(round(minutes / (7 * 1440)), "week")
    return count(round(minutes / (30 * 1440)), "month")


def later(minutes: int) -> str:
    """How long a stretch of story time was, as a caption: 'Five hours later.', 'Three
    days later.', 'Two weeks later.'"""
    return f"{span(minutes).capitalize()} later."
