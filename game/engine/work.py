"""`Work`: the one mutable copy of a state that a single step edits, then freezes.

It has the same attribute names as `GameState`, so compiled conditions evaluate against
either. Nothing outside the engine ever sees a `Work`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .model import PLAYER, WHO, Story
from .state import LOG_LIMIT, Event, GameState, MemberState, rng_float
from .visits import Visits


class Work:
    __slots__ = (
        "story",
        "scene",
        "seed",
        "rng",
        "player_name",
        "clock",
        "members",
        "inventory",
        "flags",
        "counters",
        "noise",
        "visits",
        "turn",
        "taken",
        "fired",
        "armed",
        "pending",
        "returns",
        "subject",
        "log",
        "history",
        "events",
        "item_lines",
        "dirty",
    )

    def __init__(self, story: Story, state: GameState) -> None:
        # Containers are shared with the old state and copied on first write (see the
        # `mutable_*` methods), so a step that changes no flags copies no flags.
        self.story = story
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
        self.pending: list[tuple[str, str]] = list(state.pending)
        self.returns: list[str] = list(state.returns)
        self.subject = state.subject
        self.log = state.log
        self.history = state.history  # a tuple: `history.note` appends by replacing it
        self.events: list[Event] = []
        # item id -> (its news line in `events`, the count before this step): one net line
        # per item per step; made on the first item change (most steps change none)
        self.item_lines: dict[str, tuple[Event, int]] | None = None
        self.dirty: set[str] = set()

    def mutable_set(self, name: str) -> set[str]:
        if name not in self.dirty:
            self.dirty.add(name)
            setattr(self, name, set(getattr(self, name)))
        value: set[str] = getattr(self, name)
        return value

    def mutable_dict(self, name: str) -> dict[str, Any]:
        if name not in self.dirty:
            self.dirty.add(name)
            setattr(self, name, dict(getattr(self, name)))
        value: dict[str, Any] = getattr(self, name)
        return value

    def freeze(self) -> GameState:
        log = self.log
        if self.events:
            log = log + tuple(self.events)
            if len(log) > LOG_LIMIT:
                log = log[-LOG_LIMIT:]
        dirty = self.dirty
        # The frozen dataclass's __init__ goes through object.__setattr__ for each of
        # 20 fields; setting the slots directly, written out, is twice as fast, and
        # this is the engine's hottest path.
        state: GameState = _new(GameState)
        _scene(state, self.scene)
        _seed(state, self.seed)
        _rng(state, self.rng)
        _player_name(state, self.player_name)
        _clock(state, self.clock)
        _members(state, self.members)
        inventory = self.inventory
        _inventory(state, {k: v for k, v in inventory.items() if v} if "inventory" in dirty else inventory)
        _flags(state, frozenset(self.flags) if "flags" in dirty else self.flags)
        counters = self.counters
        _counters(state, {k: v for k, v in counters.items() if v} if "counters" in dirty else counters)
        _noise(state, self.noise)
        _visits(state, self.visits)
        _turn(state, self.turn)
        _taken(state, frozenset(self.taken) if "taken" in dirty else self.taken)
        _fired(state, frozenset(self.fired) if "fired" in dirty else self.fired)
        _armed(state, frozenset(self.armed) if "armed" in dirty else self.armed)
        _pending(state, tuple(self.pending))
        _returns(state, tuple(self.returns))
        _subject(state, self.subject)
        _log(state, log)
        _history(state, self.history)
        return state

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
        self.pending.append((kind, who))

    def draw(self) -> float:
        self.rng, value = rng_float(self.rng)
        return value


_new = object.__new__
(
    _scene,
    _seed,
    _rng,
    _player_name,
    _clock,
    _members,
    _inventory,
    _flags,
    _counters,
    _noise,
    _visits,
    _turn,
    _taken,
    _fired,
    _armed,
    _pending,
    _returns,
    _subject,
    _log,
    _history,
) = (getattr(GameState, name).__set__ for name in GameState.__slots__)
assert GameState.__slots__ == (
    "scene", "seed", "rng", "player_name", "clock", "members", "inventory", "flags",
    "counters", "noise", "visits", "turn", "taken", "fired", "armed", "pending", "returns",
    "subject", "log", "history",
), "GameState changed: update Work.freeze"  # fmt: skip

_MEMBER_FIELDS = MemberState.__slots__


def _changed(m: MemberState, changes: dict[str, Any]) -> MemberState:
    """`dataclasses.replace(m, **changes)` without its per-call look at the fields."""
    if not changes.keys() <= _MEMBER_KEYS:
        return replace(m, **changes)  # its TypeError names the unknown field
    out: MemberState = _new(MemberState)
    for name, setter in _MEMBER_SETTERS:
        setter(out, changes[name] if name in changes else getattr(m, name))
    return out


_MEMBER_KEYS = frozenset(_MEMBER_FIELDS)
_MEMBER_SETTERS = [(name, getattr(MemberState, name).__set__) for name in _MEMBER_FIELDS]
