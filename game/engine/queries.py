"""The condition language's questions about the run's memory and the time of day.

`expr` owns the grammar; this module owns what these functions mean, so conditions,
templates and tools give the same answers (they all call `history`):

    bitten_at(id, place)  turned_at(id, place)  died_at(id, place)  lost_at(id, place)
    saw(witness, happening, id)   bitten_by(id, biter)   hid_bite(id)
    day_of(happening, id)  (a number; 0 if it never happened)
    been(place)            the run has entered a scene at the place (or in the area)
    daypart(part)          the clock's part of the day is `part`
    visit                  how many times the run has entered the current scene
    time                   minutes after midnight: compare with 14:30

`place` is a location or an area, as for `at(place)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import history
from .clock import MINUTES_PER_DAY as DAY
from .model import WHO
from .timeofday import DAYPART_NAMES, daypart

Fn = Callable[[Any], Any]

# function name -> (argument kinds, result type); kinds as in expr.FUNCTIONS, plus
# "happening" (a history kind) and "daypart"
FUNCTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "bitten_at": (("member", "place"), "bool"),
    "turned_at": (("member", "place"), "bool"),
    "died_at": (("member", "place"), "bool"),
    "lost_at": (("member", "place"), "bool"),
    "saw": (("member", "happening", "member"), "bool"),
    "bitten_by": (("member", "member"), "bool"),
    "hid_bite": (("member",), "bool"),
    "day_of": (("happening", "member"), "num"),
    "been": (("place",), "bool"),
    "daypart": (("daypart",), "bool"),
}
NAMES: dict[str, str] = {"visit": "num", "time": "num"}

# the argument words these kinds accept (checked by the parser, with the list in the error)
CHOICES: dict[str, tuple[str, ...]] = {"happening": history.QUERY_KINDS, "daypart": DAYPART_NAMES}

_PLACE_KIND = {"bitten_at": "bitten", "turned_at": "turned", "died_at": "died", "lost_at": "missing"}


def who_of(s: Any, mid: str) -> str:
    """A member id, with `who` read as the state's subject."""
    return (s.subject or "") if mid == WHO else mid


def build(name: str, args: list[str], ctx: Any) -> Fn:
    """The evaluator for one call. `ctx` is the compiler's `expr.Context` (its
    `location_area` and `location_of`), filled in once every file is read: so it is
    asked when a condition is evaluated, never copied now."""
    location_area = ctx.location_area
    if name in _PLACE_KIND:
        kind, member, place = _PLACE_KIND[name], args[0], args[1]
        return lambda s: history.happened_at(s.history, kind, who_of(s, member), place, location_area)
    if name == "saw":
        witness, kind, member = args
        return lambda s: history.saw(s.history, who_of(s, witness), kind, who_of(s, member))
    if name == "bitten_by":
        member, biter = args
        return lambda s: history.bitten_by(s.history, who_of(s, member), who_of(s, biter))
    if name == "hid_bite":
        member = args[0]
        return lambda s: history.hid_bite(s.history, who_of(s, member))
    if name == "day_of":
        kind, member = args
        return lambda s: history.day_of(s.history, kind, who_of(s, member))
    if name == "been":
        place = args[0]

        def been(s: Any) -> bool:
            location_of = ctx.location_of
            for sid in s.visits:
                loc = location_of(sid, ())  # "" for an event scene: its place was entered
                if loc == place or location_area.get(loc) == place:
                    return True
            return False

        return been
    if name == "daypart":
        part = args[0]
        return lambda s: daypart(s.clock) == part
    raise KeyError(name)


def name_value(name: str) -> Fn:
    if name == "visit":
        return lambda s: s.visits.get(s.scene, 0)
    if name == "time":
        return lambda s: s.clock % DAY
    raise KeyError(name)
