"""What happened to whom, where and when: the run's memory of its members.

The rules append one `Record` each time a member is bitten, has a hidden bite found,
turns, dies, goes missing, leaves or joins. A record keeps the clock, the scene and
location (empty when it happened away from the party, where nobody saw), who bit (for a
bite), whether the bite was concealed, and who of the party saw it. The history is a
tuple in the `GameState`, so it is saved, undone and replayed with everything else.

Queries here are pure functions of that tuple; conditions, templates, fate lines and
the continuity checker all ask the same ones.

    last(state.history, "died", "gyeong-su")            # Record or None
    happened_at(state.history, "turned", "cheong-san", "classroom-2-5", areas)
    saw(state.history, "on-jo", "bitten", "cheong-san")
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .model import PLAYER

# What a record can be about. "turned" in a query matches either kind of turn.
KINDS = (
    "bitten",
    "bite-discovered",
    "turned-zombie",
    "turned-hambie",
    "died",
    "put-down",  # a member who had turned into a zombie, killed by the party
    "missing",
    "left",
    "joined",
)
QUERY_KINDS = (*KINDS, "turned")
_MATCHES: dict[str, frozenset[str]] = {k: frozenset((k,)) for k in KINDS}
_MATCHES["turned"] = frozenset(("turned-zombie", "turned-hambie"))


@dataclass(frozen=True, slots=True)
class Record:
    """One thing that happened to `member` ("player" for the player).

    `scene` and `location` are empty when it happened away from the party. `seen_by`
    is who saw it happen (the party present, the player included; nobody for a
    concealed bite). `by` is who bit, for a bite, when the story says."""

    kind: str
    member: str
    clock: int
    scene: str = ""
    location: str = ""
    by: str = ""
    concealed: bool = False
    seen_by: tuple[str, ...] = ()
    how: str = ""  # for "left" and "missing": the story's words for what happened, if it gave any

    @property
    def day(self) -> int:
        return self.clock // 1440 + 1

    def to_dict(self) -> dict[str, Any]:
        """Compact plain data: fields at their default are left out."""
        out: dict[str, Any] = {"kind": self.kind, "member": self.member, "clock": self.clock}
        if self.scene:
            out["scene"] = self.scene
        if self.location:
            out["location"] = self.location
        if self.by:
            out["by"] = self.by
        if self.concealed:
            out["concealed"] = True
        if self.seen_by:
            out["seen_by"] = list(self.seen_by)
        if self.how:
            out["how"] = self.how
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Record:
        kind = str(data["kind"])
        if kind not in KINDS:
            raise ValueError(f"unknown history record kind {kind!r}")
        return cls(
            kind=kind,
            member=str(data["member"]),
            clock=int(data["clock"]),
            scene=str(data.get("scene", "")),
            location=str(data.get("location", "")),
            by=str(data.get("by", "")),
            concealed=bool(data.get("concealed", False)),
            seen_by=tuple(str(s) for s in data.get("seen_by", ())),
            how=str(data.get("how", "")),
        )


History = tuple[Record, ...]


def to_list(history: Iterable[Record]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in history]


def from_list(data: Iterable[Mapping[str, Any]]) -> History:
    return tuple(Record.from_dict(d) for d in data)


def note(
    w: Any,
    kind: str,
    member: str,
    by: str = "",
    concealed: bool = False,
    here: bool | None = None,
    how: str = "",
) -> None:
    """Append a record to a step's working state `w` (a `work.Work`), before the change
    it records is made. `here` says whether it happened where the party is; by default,
    when the member is the player or with the party."""
    members = w.members
    m = members.get(member)
    if here is None:
        here = member == "player" or (m is not None and m.with_party)
    seen: tuple[str, ...] = ()
    if here:
        if kind == "bitten" and concealed:
            seen = (by,) if by and by != member and by in members else ()
        else:
            seen = tuple([mid for mid, x in members.items() if mid != member and x.present])
    record = Record(
        kind,
        member,
        w.clock,
        w.scene if here else "",
        w.story.location_of(w.scene, w.returns) if here else "",
        by,
        concealed,
        seen,
        how,
    )
    w.history = (*w.history, record)


# -- queries --------------------------------------------------------------------------


def records(history: Iterable[Record], kind: str | None = None, member: str | None = None) -> list[Record]:
    """The records of a kind ("turned" matches both turns) and/or member, oldest first."""
    kinds = _MATCHES[kind] if kind is not None else None
    return [
        r for r in history if (kinds is None or r.kind in kinds) and (member is None or r.member == member)
    ]


def last(history: tuple[Record, ...], kind: str, member: str) -> Record | None:
    """The newest record of `kind` for `member`, or None if it never happened."""
    kinds = _MATCHES[kind]
    for r in reversed(history):
        if r.member == member and r.kind in kinds:
            return r
    return None


def place_matches(location: str, place: str, location_area: Mapping[str, str]) -> bool:
    """A place is a location id or an area; an empty location matches nothing."""
    return bool(location) and (location == place or location_area.get(location) == place)


def happened_at(
    history: tuple[Record, ...], kind: str, member: str, place: str, location_area: Mapping[str, str]
) -> bool:
    """`kind` happened to `member` at `place` (a location, or any location in an area).
    Every such record counts: a member bitten twice was bitten at both places."""
    kinds = _MATCHES[kind]
    return any(
        r.member == member and r.kind in kinds and place_matches(r.location, place, location_area)
        for r in history
    )


def saw(history: tuple[Record, ...], witness: str, kind: str, member: str) -> bool:
    """`witness` was there and saw `kind` happen to `member`."""
    kinds = _MATCHES[kind]
    return any(r.member == member and r.kind in kinds and witness in r.seen_by for r in history)


def saw_the_end(history: tuple[Record, ...], member: str) -> bool:
    """The player saw `member` turn, die or be put down (any of them)."""
    return any(saw(history, PLAYER, kind, member) for kind in ("turned", "died", "put-down"))


def bitten_by(history: tuple[Record, ...], member: str, biter: str) -> bool:
    return any(r.kind == "bitten" and r.member == member and r.by == biter for r in history)


def hid_bite(history: tuple[Record, ...], member: str) -> bool:
    """`member` took a bite that was concealed when it happened."""
    return any(r.kind == "bitten" and r.member == member and r.concealed for r in history)


def day_of(history: tuple[Record, ...], kind: str, member: str) -> int:
    """The day the newest `kind` happened to `member`; 0 if it never did."""
    record = last(history, kind, member)
    return record.day if record is not None else 0


def places(scene_location: Mapping[str, str], visits: Iterable[str]) -> frozenset[str]:
    """Route memory: the locations of the scenes the run entered (event scenes that take
    their location from where they interrupt are left out: that place was entered)."""
    out = {scene_location.get(sid, "") for sid in visits}
    out.discard("")
    out.discard("here")
    return frozenset(out)


def areas(
    scene_location: Mapping[str, str], location_area: Mapping[str, str], visits: Iterable[str]
) -> frozenset[str]:
    return frozenset(location_area[loc] for loc in places(scene_location, visits) if loc in location_area)


# -- words ----------------------------------------------------------------------------

# What a generated fate line says, by the newest record that decided the member's fate.
_FATE_VERBS = {
    "died": ("died", ""),
    "put-down": ("was put down", ""),
    "turned-zombie": ("turned", ""),
    "turned-hambie": ("turned", ", but kept {their} mind"),
    # a friend lost track of may be alive somewhere (a transfer bus, a crowd, the dark):
    # say what the party knows, not that nobody ever found them
    "missing": ("was separated from you", " and you have not seen each other since"),
    "left": ("left the group", ""),
}
FATE_KINDS = tuple(_FATE_VERBS)


_FINAL = frozenset(("died", "put-down", "turned-zombie"))


def deciding(history: tuple[Record, ...], member: str) -> Record | None:
    """The newest record that decides where `member` ended up (died, turned, lost,
    left); None when there is none or the member joined again since. A death or a turn
    into a zombie is final (a zombie put down is decided by the putting down, the newer
    record): a later `leave` (the party walking away from a turned friend
    tied to a pipe) does not make the line say they "left the group"."""
    newest: Record | None = None
    for r in reversed(history):
        if r.member != member:
            continue
        if r.kind in _FINAL:
            return r
        if r.kind in _FATE_VERBS and newest is None:
            newest = r
        if r.kind == "joined":
            return newest
    return newest


def fate_sentence(
    record: Record | None, name: str, place_words: str, their: str, alive_with_party: bool
) -> str:
    """One honest line from a member's deciding record: 'Gyeong-su died in the store
    room on day 2.' The place is named only when the party saw where it happened."""
    if record is None or record.kind not in _FATE_VERBS:
        return f"{name} made it." if alive_with_party else f"{name} was not with you at the end."
    verb, tail = _FATE_VERBS[record.kind]
    if record.how:  # the story's own words for how they parted ("was taken by the army")
        verb = record.how
    if record.location and place_words:
        where = f" {place_words}"
    elif record.kind in ("died", "put-down", "turned-zombie", "turned-hambie"):
        where = ", away from you,"
    else:
        where = ""
    return f"{name} {verb}{where} on day {record.day}{tail.format(their=their)}."


def put_down_after(turned: str, record: Record, place_words: str, turn_day: int) -> str:
    """A zombie put down: the turn's line carried on, 'Dae-su turned in the dormitory on
    day 4 and was put down in the courtyard on day 30.' (or 'the same day')."""
    where = f" {place_words}" if record.location and place_words else ""
    when = "the same day" if record.day == turn_day else f"on day {record.day}"
    return f"{turned.rstrip('.')} and was put down{where} {when}."
