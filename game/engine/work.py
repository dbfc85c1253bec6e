"""`Work`: the one mutable copy of a state that a single step edits, then freezes.

It has the same attribute names as `GameState`, so compiled conditions evaluate against
either. Nothing outside the engine ever sees a `Work`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .model import PLAYER, WHO, Story
from .state import LOG_LIMIT, Event, GameState, MemberState, rng_float


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
        "events",
    )

    def __init__(self, story: Story, state: GameState) -> None:
        self.story = story
        self.scene = state.scene
        self.seed = state.seed
        self.rng = state.rng
        self.player_name = state.player_name
        self.clock = state.clock
        self.members: dict[str, MemberState] = dict(state.members)
        self.inventory: dict[str, int] = dict(state.inventory)
        self.flags: set[str] = set(state.flags)
        self.counters: dict[str, int] = dict(state.counters)
        self.noise = state.noise
        self.visits: dict[str, int] = dict(state.visits)
        self.turn = state.turn
        self.taken: set[str] = set(state.taken)
        self.fired: set[str] = set(state.fired)
        self.armed: set[str] = set(state.armed)
        self.pending: list[tuple[str, str]] = list(state.pending)
        self.returns: list[str] = list(state.returns)
        self.subject = state.subject
        self.log = state.log
        self.events: list[Event] = []

    def freeze(self) -> GameState:
        log = self.log + tuple(self.events)
        if len(log) > LOG_LIMIT:
            log = log[-LOG_LIMIT:]
        return GameState(
            scene=self.scene,
            seed=self.seed,
            rng=self.rng,
            player_name=self.player_name,
            clock=self.clock,
            members=self.members,
            inventory={k: v for k, v in self.inventory.items() if v},
            flags=frozenset(self.flags),
            counters={k: v for k, v in self.counters.items() if v},
            noise=self.noise,
            visits=self.visits,
            turn=self.turn,
            taken=frozenset(self.taken),
            fired=frozenset(self.fired),
            armed=frozenset(self.armed),
            pending=tuple(self.pending),
            returns=tuple(self.returns),
            subject=self.subject,
            log=log,
        )

    # -- helpers the rules use --------------------------------------------------------

    def resolve(self, member_id: str) -> str:
        return (self.subject or "") if member_id == WHO else member_id

    def name(self, member_id: str) -> str:
        return "you" if member_id == PLAYER else self.story.member_name(member_id, self.player_name)

    def cap_name(self, member_id: str) -> str:
        name = self.name(member_id)
        return name[:1].upper() + name[1:]

    def set_member(self, member_id: str, **changes: Any) -> None:
        self.members[member_id] = replace(self.members[member_id], **changes)

    def emit(self, kind: str, who: str | None = None, text: str = "", visible: bool = True) -> None:
        self.events.append(Event(kind, who, text, visible))

    def happen(self, kind: str, who: str) -> None:
        self.pending.append((kind, who))

    def draw(self) -> float:
        self.rng, value = rng_float(self.rng)
        return value
