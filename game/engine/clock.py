"""The story clock: minutes since 00:00 of day 1. The one place that turns a clock value
into a day and a time of day, and reads the `1d08:40` form writers use."""

from __future__ import annotations

import re

MINUTES_PER_DAY = 1440
_CLOCK = re.compile(r"(?:(\d+)d)?(\d{1,2}):(\d\d)")


def day_of(clock: int) -> int:
    """The day number, from 1."""
    return clock // MINUTES_PER_DAY + 1


def time_of_day(clock: int) -> str:
    """`HH:MM`, 24-hour."""
    minutes = clock % MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def clock_at(day: int, hours: int, minutes: int) -> int:
    """The clock value of `day` (from 1) at hours:minutes."""
    return (day - 1) * MINUTES_PER_DAY + hours * 60 + minutes


def parse_clock(text: str) -> tuple[int, int, int] | None:
    """`[Nd]HH:MM` -> (day, hours, minutes), unchecked; None if it is not that shape."""
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        return None
    return int(match.group(1) or 1), int(match.group(2)), int(match.group(3))
