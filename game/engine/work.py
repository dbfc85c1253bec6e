"""`Work`: the one mutable copy of a state that a single step edits, then freezes.

It has the same attribute names as `GameState`, so compiled conditions evaluate against
either. Nothing outside the engine ever sees a `Work`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .model import PLAYER, WHO, Story
from .state import LOG_LIMIT, Event, GameState, MemberState, StepSlots, rng_float
from .visits import Visits


class Work(StepSlots):
    # GameState's slots on GameState's base: `freeze` makes this object the new state
    # by assigning its class (Python allows it between classes of the same layout,
    # checked at import below)
    __slots__ = GameState.__slots__

    def __init__(self, story: Story, state: GameState) -> None:
        # Containers are shared with the old state and copied on first write (see the
        # `mutable_*` methods), so a step that changes no flags copies no flags.
        self.story: Story = story
        self.scene = state.scene
        self.seed = state.seed
        self.rng = state.rng
        self.player_name = state.player_name
        self.clock = state.clock
        self.members: Any = state.members
        self.inventory: Any = state.inventory
        self.flags: Any = state.flags
        self.counters: Any = state.counters
        self.noise = state.noise
        self.visits = Visits.of(state.visits)  # bumped, never edited: see `visits`
        self.turn = state.turn
        self.taken: Any = state.taken
        self.fired: Any = state.fired
        self.armed: Any = state.armed
        # tuples until a step changes them (`mutable_list`), as the containers above
        self.pending: Any = state.pending
        self.returns: Any = state.returns
        self.subject = state.subject
        self.log = state.log
        self.history = state.history  # a tuple: `history.note` appends by replacing it
        self.resume_at = state.resume_at
        self.events: list[Event] = []
        # item id -> (its news line in `events`, the count before this step): one net line
        # per item per step; made on the first item change (most steps change none)
        self.item_lines: dict[str, tuple[Event, int]] | None = None
        # the containers this step has copied to edit; made on the first copy
        self.dirty: Any = ()

    def mutable_set(self, name: str) -> set[str]:
        if name not in self.dirty:
            self._copy_for_edit(name, set)
        value: set[str] = getattr(self, name)
        return value

    def mutable_dict(self, name: str) -> dict[str, Any]:
        if name not in self.dirty:
            self._copy_for_edit(name, dict)
        value: dict[str, Any] = getattr(self, name)
        return value

    def mutable_list(self, name: str) -> list[Any]:
        """`pending` or `returns` as a list this step may edit (a tuple until then)."""
        if name not in self.dirty:
            self._copy_for_edit(name, list)
        value: list[Any] = getattr(self, name)
        return value

    def _copy_for_edit(self, name: str, make: Any) -> None:
        """The first edit of a field this step: replace it with a copy the step owns (the
        check stays in the callers, so an already copied field costs no call)."""
        if not self.dirty:
            self.dirty = set()
        self.dirty.add(name)
        setattr(self, name, make(getattr(self, name)))

    def freeze(self) -> GameState:
        """This working copy as the step's new state, in place: its containers frozen,
        then its class made GameState. The Work must not be used afterwards (take
        `events` first)."""
        if self.events:
            log = self.log + tuple(self.events)
            self.log = log[-LOG_LIMIT:] if len(log) > LOG_LIMIT else log
        dirty = self.dirty
        if dirty:
            if "inventory" in dirty:
                self.inventory = {k: v for k, v in self.inventory.items() if v}
            if "flags" in dirty:
                self.flags = frozenset(self.flags)
            if "counters" in dirty:
                self.counters = {k: v for k, v in self.counters.items() if v}
            if "taken" in dirty:
                self.taken = frozenset(self.taken)
            if "fired" in dirty:
                self.fired = frozenset(self.fired)
            if "armed" in dirty:
                self.armed = frozenset(self.armed)
            if "pending" in dirty:
                self.pending = tuple(self.pending)
            if "returns" in dirty:
                self.returns = tuple(self.returns)
            self.dirty = ()
        out: Any = self  # from here on a GameState: the step's slots are let go
        out.story = out.events = out.item_lines = None
        out.__class__ = GameState
        frozen: GameState = out
        return frozen

    # -- helpers the rules use --------------------------------------------------------

    def resolve(self, member_id: str) -> str:
        return (self.subject or "") if member_id == WHO else member_id

    def name(self, member_id: str) -> str:
        return "you" if member_id == PLAYER else self.story.member_name(member_id, self.player_name)

    def cap_name(self, member_id: str) -> str:
        name = self.name(member_id)
        return name[:1].upper() + name[1:]

    def set_member(self, member_id: str, **changes: Any) -> None:
        members = self.mutable_dict("members")
        members[member_id] = _changed(members[member_id], changes)

    def emit(self, kind: str, who: str | None = None, text: str = "", visible: bool = True) -> None:
        self.events.append(Event(kind, who, text, visible))

    def happen(self, kind: str, who: str) -> None:
        self.mutable_list("pending").append((kind, who))

    def draw(self) -> float:
        self.rng, value = rng_float(self.rng)
        return value


_new = object.__new__


class _MemberSlots:
    """MemberState's slots, writable: `_changed` fills one, then makes it a MemberState."""

    __slots__ = MemberState.__slots__


assert GameState.__slots__ == (
    "scene", "seed", "rng", "player_name", "clock", "members", "inventory", "flags",
    "counters", "noise", "visits", "turn", "taken", "fired", "armed", "pending", "returns",
    "subject", "log", "history", "resume_at",
), "GameState changed: update Work.__init__ and Work.freeze"  # fmt: skip
assert MemberState.__slots__ == (
    "fate", "where", "injured", "bitten", "turns_at", "concealed", "hunger", "met"
), "MemberState changed: update _changed"  # fmt: skip


def _same_slots(mutable: type, frozen: Any) -> None:
    """Python lets an object's class be assigned only between classes of the same
    layout: fail at import, not in a step, if a version ever does not."""
    probe: Any = _new(mutable)
    for name in frozen.__slots__:
        setattr(probe, name, None)
    probe.__class__ = frozen


_same_slots(Work, GameState)
_same_slots(_MemberSlots, MemberState)

_MEMBER_FIELDS = MemberState.__slots__


def _changed(m: MemberState, changes: dict[str, Any]) -> MemberState:
    """`dataclasses.replace(m, **changes)` without its per-call look at the fields."""
    if not changes.keys() <= _MEMBER_KEYS:
        return replace(m, **changes)  # its TypeError names the unknown field
    out: Any = _new(_MemberSlots)
    out.fate = changes["fate"] if "fate" in changes else m.fate
    out.where = changes["where"] if "where" in changes else m.where
    out.injured = changes["injured"] if "injured" in changes else m.injured
    out.bitten = changes["bitten"] if "bitten" in changes else m.bitten
    out.turns_at = changes["turns_at"] if "turns_at" in changes else m.turns_at
    out.concealed = changes["concealed"] if "concealed" in changes else m.concealed
    out.hunger = changes["hunger"] if "hunger" in changes else m.hunger
    out.met = changes["met"] if "met" in changes else m.met
    out.__class__ = MemberState
    member: MemberState = out
    return member


_MEMBER_KEYS = frozenset(_MEMBER_FIELDS)
