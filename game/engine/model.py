"""The story's content: immutable records built once by the loader and never changed.

The game state refers to everything here by id, so a `Story` can be shared freely
between runs, threads and processes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from .pronouns import THEY, Pronouns

if TYPE_CHECKING:
    from .effects import Effect
    from .state import GameState

PLAYER = "player"
WHO = "who"
HERE = "here"  # an event scene's location: wherever the event interrupted

STATUSES = ("healthy", "injured", "bitten", "zombie", "hambie", "dead", "missing", "away")
HAPPENINGS = (
    "bitten",
    "turned-zombie",
    "turned-hambie",
    "died",
    "put-down",
    "hunger-rising",
    "hunger-crisis",
    "bite-discovered",
)


class Pos(NamedTuple):
    """Where a node came from: a file path, 1-based line and column. A NamedTuple, not a
    dataclass: the loader makes hundreds of thousands of them for a large story."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


# a state or the step's working copy (`work.Work`): both have the same attributes
Evaluator = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Threshold:
    """A number a condition reads and the constant the condition compares it with, as
    the compiler saw it: `clock < 2d05:00` is Threshold("clock", "", "<", 1740).

    `quantity` is clock, day, noise, party, visits, counter, item, hunger or count; `arg` the
    name it is about (a scene for visits, ...), or "". `op` is written with the quantity
    on the left (`3 > item(x)` is item(x) < 3). `op` and `value` are None when the
    quantity is not compared with a constant (with another number, or inside
    parentheses): then every value of it may matter. `visited(s)` is visits(s) >= 1."""

    quantity: str
    arg: str
    op: str | None
    value: float | None


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed expression. `evaluate` was compiled at load time (no `eval`);
    `thresholds` are the comparisons with constants it makes (for tools like explore)."""

    source: str
    evaluate: Evaluator
    pos: Pos
    thresholds: tuple[Threshold, ...] = ()

    def __call__(self, state: GameState) -> bool:
        return bool(self.evaluate(state))


@dataclass(frozen=True, slots=True)
class Template:
    """Text with substitutions, pre-split into parts: literal strings, lookups (a
    `(kind, key)` tuple or a `templates.Say`) and text variation (`textvar`)."""

    source: str
    parts: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class TextBlock:
    text: Template
    when: Condition | None = None
    otherwise: Template | None = None


@dataclass(frozen=True, slots=True)
class Text:
    blocks: tuple[TextBlock, ...]


@dataclass(frozen=True, slots=True)
class Modifier:
    when: Condition
    add: float


@dataclass(frozen=True, slots=True)
class Requirement:
    when: Condition
    reason: str


@dataclass(frozen=True, slots=True)
class Outcome:
    chance: float
    modifiers: tuple[Modifier, ...]
    goto: str | None
    effects: tuple[Effect, ...]
    text: Template | None
    returns: bool
    pos: Pos
    only_if: Condition | None = None  # `if:` false: this outcome cannot happen (weight 0)


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    label: Template
    goto: str | None
    effects: tuple[Effect, ...]
    shown_if: Condition | None
    requires: tuple[Requirement, ...]
    roll: tuple[Outcome, ...]
    returns: bool
    once: bool
    time: int | None
    pos: Pos
    text: Template | None = None


@dataclass(frozen=True, slots=True)
class Ending:
    title: str
    kind: str
    fates: Mapping[str, Text]  # per member, with the lines of its `fate_set` merged in
    pos: Pos
    # where each block of `fates[member]` was written (an ending's own line, or its fate
    # set's), for tools that point at a line: the continuity checker, `quiet:`
    sources: Mapping[str, tuple[Pos, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    location: str
    text: Text
    on_enter: tuple[Effect, ...]
    choices: tuple[Choice, ...]
    ending: Ending | None
    pos: Pos
    clock: str = "time"  # how the header shows the clock: timeofday.CLOCK_MODES
    apart: bool = False  # the player is on their own here; nobody has left the party

    def choice(self, choice_id: str) -> Choice | None:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        return None


@dataclass(frozen=True, slots=True)
class EventRule:
    id: str
    scene: str
    on: str | None
    when: Condition | None
    who: tuple[str, ...]
    only_if: Condition | None
    returns: bool
    once: bool
    pos: Pos
    priority: int = 0


@dataclass(frozen=True, slots=True)
class Member:
    """A cast member as the story defines them (their run-time state is in GameState)."""

    id: str
    name: str
    traits: frozenset[str]
    starts_with: bool = False
    hambie: float = 0.0
    incubation: float = 1.0
    pronouns: Pronouns = THEY


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    name: str
    max: int | None = None


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    name: str
    area: str
    map: tuple[int, int] | None = None
    at: str = ""  # words for "there" in prose: "in the store room"

    @property
    def at_words(self) -> str:
        return self.at or f"at {self.name}"


@dataclass(frozen=True, slots=True)
class Infection:
    incubation_min: int = 20
    incubation_max: int = 240
    hambie_chance: float = 0.05
    hambie_modifiers: tuple[Modifier, ...] = ()
    hunger_per_hour: float = 12.0
    hunger_rising: int = 50
    hunger_crisis: int = 100
    hunger_after_feed: int = 10


DEFAULT_FATES = {
    "alive": "{name} survived.",
    "hambie": "{name} lives on as a hambie.",
    "zombie": "{name} turned.",
    "dead": "{name} died.",
    "missing": "{name} was separated from you, and you have not seen each other since.",
    "away": "{name} was not with you at the end.",
}


@dataclass(frozen=True)
class Story:
    title: str
    start: str
    scenes: Mapping[str, Scene]
    cast: Mapping[str, Member]
    items: Mapping[str, Item]
    locations: Mapping[str, Location]
    flags: Mapping[str, str]
    counters: Mapping[str, int]
    events: tuple[EventRule, ...]
    infection: Infection = field(default_factory=Infection)
    player_name: str = "Player"
    player_traits: frozenset[str] = frozenset()
    player_pronouns: Pronouns = THEY
    clock_date: date | None = None  # the calendar date of day 1, if the story gives one
    clock_start: int = 8 * 60 + 40
    clock_step: int = 5
    noise_max: int = 10
    noise_decay: int = 30
    baseline_survivors: int = 6
    inventory: Mapping[str, int] = field(default_factory=dict)
    fates: Mapping[str, Template] = field(default_factory=dict)
    scene_renames: Mapping[str, str] = field(default_factory=dict)
    choice_renames: Mapping[str, str] = field(default_factory=dict)
    digest: str = ""
    root: str = ""

    @cached_property
    def event_scenes(self) -> frozenset[str]:
        """Scenes that events divert into (cached: the story never changes)."""
        return frozenset(e.scene for e in self.events)

    @cached_property
    def when_events(self) -> tuple[EventRule, ...]:
        return tuple(e for e in self.events if e.when is not None)

    @cached_property
    def engine_cache(self) -> dict[str, Any]:
        """What the engine works out from this story alone while it plays (each scene's
        text plan: `textplan`), filled as needed. Not a field: no state holds it and
        equality ignores it."""
        return {}

    def member_name(self, member_id: str, player_name: str) -> str:
        if member_id == PLAYER:
            return player_name
        member = self.cast.get(member_id)
        return member.name if member else member_id

    def pronouns_of(self, member_id: str) -> Pronouns:
        """A member's pronouns; the player's are the manifest's `player.pronouns`."""
        if member_id == PLAYER:
            return self.player_pronouns
        member = self.cast.get(member_id)
        return member.pronouns if member else THEY

    def place_words(self, location_id: str) -> str:
        """How prose says "there" for a location ("in the store room"); "" if unknown."""
        loc = self.locations.get(location_id)
        return loc.at_words if loc is not None else ""

    def location_of(self, scene_id: str, returns: Sequence[str] = ()) -> str:
        """The location of a scene; for a `location: here` event scene, the location of
        the scene the event interrupted (the newest on the return stack that has one)."""
        scene = self.scenes.get(scene_id)
        if scene is None:
            return ""
        if scene.location != HERE:
            return scene.location
        for sid in reversed(returns):
            other = self.scenes.get(sid)
            if other is not None and other.location != HERE:
                return other.location
        return ""


def location_in(where: Mapping[str, str], scene_id: str, returns: Sequence[str] = ()) -> str:
    """`Story.location_of` over `where`, each scene's own `location` by id. The loader
    gives conditions this (bound to a plain dict) rather than the story's method: a
    compiled condition that held the story would make every loaded story a reference
    cycle, which only a full collection frees (see `loader.load.load_story`)."""
    location = where.get(scene_id)
    if location is None:
        return ""
    if location != HERE:
        return location
    for sid in reversed(returns):
        other = where.get(sid)
        if other is not None and other != HERE:
            return other
    return ""
