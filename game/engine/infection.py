"""The infection: bites, hidden incubation, turning, hambie hunger and senses.

Everything here runs on the story clock and draws only from the state's seeded RNG.
The numbers come from the story's `infection:` tuning, never from this file.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from .history import note
from .model import PLAYER
from .work import Work


def bite(w: Work, member_id: str, concealed: bool, by: str = "") -> None:
    """Infect a human: draw the incubation now and keep it hidden in the state. `by` is
    who bit, when the story says (for the history)."""
    m = w.members.get(member_id)
    if m is None or m.fate != "human" or m.bitten:
        return
    note(w, "bitten", member_id, by=by, concealed=concealed)
    tuning = w.story.infection
    factor = 1.0 if member_id == PLAYER else w.story.cast[member_id].incubation
    span = tuning.incubation_max - tuning.incubation_min
    minutes = round((tuning.incubation_min + w.draw() * span) * factor)
    w.set_member(member_id, bitten=True, turns_at=w.clock + max(1, minutes), concealed=concealed)
    # The player always knows of their own bite; a concealed bite on a friend is hidden.
    seen = member_id == PLAYER or not concealed
    text = "You have been bitten." if member_id == PLAYER else f"{w.cap_name(member_id)} has been bitten."
    if member_id == PLAYER and concealed:
        text = "You have been bitten. Nobody saw."
    w.emit("bitten", member_id, text, visible=seen)
    w.happen("bitten", member_id)


def hambie_odds(w: Work, member_id: str) -> float:
    tuning = w.story.infection
    odds = tuning.hambie_chance
    if member_id != PLAYER:
        odds += w.story.cast[member_id].hambie
    previous = w.subject
    w.subject = member_id  # modifiers may speak of `who`, the one turning
    try:
        for modifier in tuning.hambie_modifiers:
            if modifier.when.evaluate(w):
                odds += modifier.add
    finally:
        w.subject = previous
    return min(1.0, max(0.0, odds))


def turn(w: Work, member_id: str) -> None:
    """Incubation is over: a zombie, or rarely a hambie."""
    m = w.members.get(member_id)
    if m is None or not m.infected:
        return
    odds = hambie_odds(w, member_id)
    hambie = w.draw() < odds
    note(w, "turned-hambie" if hambie else "turned-zombie", member_id)
    if hambie:
        w.set_member(member_id, fate="hambie", bitten=False, concealed=False, turns_at=None, hunger=0.0)
        if member_id == PLAYER:
            text = "The fever breaks. You are still yourself, mostly: you are a hambie."
        else:
            text = f"{w.cap_name(member_id)} has turned, but is still {w.name(member_id)}: a hambie."
        w.emit("turned-hambie", member_id, text, visible=m.with_party or member_id == PLAYER)
        w.happen("turned-hambie", member_id)
    else:
        w.set_member(member_id, fate="zombie", bitten=False, concealed=False, turns_at=None)
        text = "You turn." if member_id == PLAYER else f"{w.cap_name(member_id)} has turned."
        w.emit("turned-zombie", member_id, text, visible=m.with_party or member_id == PLAYER)
        w.happen("turned-zombie", member_id)


class Summary(NamedTuple):
    """What the infection rules need to know about a members mapping, in one scan."""

    quiet: bool  # nobody bitten, nobody a hambie: nothing for the rules below to do
    next_turn: float  # the earliest end of a running incubation (inf when none)
    hambies: bool  # someone is a hambie: hunger rises
    noses: tuple[str, ...]  # hambies with the party, whose senses catch hidden bites


_QUIET = Summary(True, math.inf, False, ())
_memo: tuple[object, Summary] = (None, _QUIET)


def summary(w: Work | Any) -> Summary:
    """The members mapping's `Summary`. Memoised on the mapping, which a frozen state
    shares from step to step and never edits (a `Work` copies it before its first
    change; while it holds that copy, no memo is used or kept)."""
    global _memo
    members = w.members
    clean = "members" not in w.dirty
    if clean:
        seen, found = _memo
        if seen is members:
            return found
    bitten = hambies = False
    next_turn = math.inf
    noses: list[str] = []
    for mid, m in members.items():
        if m.bitten:
            bitten = True
            if m.fate == "human" and m.turns_at is not None and m.turns_at < next_turn:
                next_turn = m.turns_at
        if m.fate == "hambie":
            hambies = True
            if m.where == "party":
                noses.append(mid)
    found = Summary(False, next_turn, hambies, tuple(noses)) if bitten or hambies else _QUIET
    if clean:
        _memo = (members, found)
    return found


def quiet(w: Work | Any) -> bool:
    """Nobody is bitten and nobody is a hambie (see `Summary`)."""
    return summary(w).quiet


HOLD_REST = 180  # minutes: a held jump (`tick`) stops at a turn with this much to go


def tick(w: Work, minutes: int, hold: bool = False) -> int:
    """Move the clock: incubations end in time order, hunger rises, noise fades.

    With `hold`, the clock stops at the first turn that comes with `HOLD_REST` or more
    still to go, and the minutes not yet passed are returned (else 0): a long jump
    (`rules._advance`) shows a turn at its own hour, not at the jump's end."""
    if minutes <= 0:
        return 0
    start = w.clock
    end = start + minutes
    found = summary(w)
    if found.quiet:
        w.clock = end
        _fade(w, start, end)
        return 0
    left = 0
    if found.next_turn <= end:
        turn_at = max(start, int(found.next_turn))
        if hold and end - turn_at >= HOLD_REST:
            left = end - turn_at
            end = turn_at
        while True:
            due = [
                (m.turns_at, mid)
                for mid, m in w.members.items()
                if m.infected and m.turns_at is not None and m.turns_at <= end
            ]
            if not due:
                break
            at, mid = min(due)
            w.clock = max(start, at)
            turn(w, mid)
        found = summary(w)  # a turn may have made a hambie, whose hunger rises below
    w.clock = end
    if found.hambies:
        _hunger(w, end - start)
    _fade(w, start, end)
    return left


def _fade(w: Work, start: int, end: int) -> None:
    decay = w.story.noise_decay
    if decay and w.noise:
        w.noise = max(0, w.noise - (end // decay - start // decay))


def _hunger(w: Work, minutes: int) -> None:
    tuning = w.story.infection
    rise = tuning.hunger_per_hour * minutes / 60.0
    if rise <= 0:
        return
    for mid, m in list(w.members.items()):
        if m.fate != "hambie" or m.hunger >= tuning.hunger_crisis:
            continue
        before = m.hunger
        after = min(float(tuning.hunger_crisis), before + rise)
        w.set_member(mid, hunger=after)
        shown = m.with_party or mid == PLAYER
        if before < tuning.hunger_rising <= after < tuning.hunger_crisis:
            text = "Your hunger is rising." if mid == PLAYER else f"{w.cap_name(mid)}'s hunger is rising."
            w.emit("hunger-rising", mid, text, visible=shown)
            w.happen("hunger-rising", mid)
        if after >= tuning.hunger_crisis:
            text = (
                "The hunger takes hold of you."
                if mid == PLAYER
                else f"{w.cap_name(mid)}'s hunger has peaked."
            )
            w.emit("hunger-crisis", mid, text, visible=shown)
            w.happen("hunger-crisis", mid)


def feed(w: Work, member_id: str) -> None:
    m = w.members.get(member_id)
    if m is not None and m.fate == "hambie":
        w.set_member(member_id, hunger=float(w.story.infection.hunger_after_feed))


def reveal(w: Work, member_id: str, cause: str) -> None:
    m = w.members.get(member_id)
    if m is None or not (m.infected and m.concealed):
        return
    note(w, "bite-discovered", member_id)
    w.set_member(member_id, concealed=False)
    if member_id == PLAYER:
        text = f"Your bite is no longer a secret{cause}."
    else:
        text = f"{w.cap_name(member_id)}'s hidden bite is found{cause}."
    w.emit("bite-discovered", member_id, text)
    w.happen("bite-discovered", member_id)


def hambie_senses(w: Work) -> None:
    """A present hambie smells a hidden bite on anyone present."""
    noses = summary(w).noses
    if not noses:
        return
    for mid, m in list(w.members.items()):
        if m.hides_a_bite and m.with_party and mid not in noses:
            nose = noses[0]
            who = "your" if nose == PLAYER else f"{w.name(nose)}'s"
            reveal(w, mid, f": {who} senses catch it")
