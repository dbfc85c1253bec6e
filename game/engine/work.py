"""`Work`: the one mutable copy of a state that a single step edits, then freezes.

It has the same attribute names as `GameState`, so compiled conditions evaluate against
either. Nothing outside the engine ever sees a `Work`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .model import PLAYER, WHO, Story
from .state import LOG_LIMIT, Event, GameState, rng_float
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
        values = (
            self.scene,
            self.seed,
            self.rng,
            self.player_name,
            self.clock,
            self.members,
            {k: v for k, v in self.inventory.items() if v} if "inventory" in dirty else self.inventory,
            frozenset(self.flags) if "flags" in dirty else self.flags,
            {k: v for k, v in self.counters.items() if v} if "counters" in dirty else self.counters,
            self.noise,
            self.visits,
            self.turn,
            frozenset(self.taken) if "taken" in dirty else self.taken,
            frozenset(self.fired) if "fired" in dirty else self.fired,
            frozenset(self.armed) if "armed" in dirty else self.armed,
            tuple(self.pending),
            tuple(self.returns),
            self.subject,
            log,
            self.history,
        )
        # The frozen dataclass's __init__ goes through object.__setattr__ for each of
        # 20 fields; setting the slots directly is a third faster, and this is the
        # engine's hottest path.
        state = object.__new__(GameState)
        for setter, value in zip(_SETTERS, values, strict=True):
            setter(state, value)
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
        members[member_id] = replace(members[member_id], **changes)

    def emit(self, kind: str, who: str | None = None, text: str = "", visible: bool = True) -> None:
        self.events.append(Event(kind, who, text, visible))

    def happen(self, kind: str, who: str) -> None:
        self.pending.append((kind, who))

    def draw(self) -> float:
        self.rng, value = rng_float(self.rng)
        return value


_SETTERS = [getattr(GameState, name).__set__ for name in GameState.__slots__]
assert len(_SETTERS) == 20, "GameState changed: update Work.freeze"
