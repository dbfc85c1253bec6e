"""All of a run's mutable data in one plain, serializable value: `GameState`.

The state names scenes, members and items by id only, never by holding story objects,
so `to_dict()` is plain JSON data and `from_dict()` rebuilds it exactly, RNG included.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .clock import day_of, time_of_day
from .history import Record, from_list, to_list
from .model import PLAYER

STATE_VERSION = 1
ALIVE = frozenset(("human", "hambie"))  # the fates of the living
LOG_LIMIT = 50
_MASK = (1 << 64) - 1


class StateError(ValueError):
    """A state dictionary that cannot be turned back into a GameState."""


@dataclass(frozen=True, slots=True)
class MemberState:
    """One party member's run-time condition.

    `fate` is what they are (human, zombie, hambie, dead); `where` is whether they are
    with the party, away, or missing. `turns_at` is the hidden end of incubation.
    """

    fate: str = "human"
    where: str = "away"
    injured: bool = False
    bitten: bool = False
    turns_at: int | None = None
    concealed: bool = False
    hunger: float = 0.0
    met: bool = False

    # The rules about a member's condition, written once: the engine's rules, the
    # condition language (`expr`) and the front ends all ask these.

    @property
    def alive(self) -> bool:
        return self.fate in ALIVE

    @property
    def with_party(self) -> bool:
        """Counted with the party, whatever they are (a zombie has left it at once)."""
        return self.where == "party"

    @property
    def present(self) -> bool:
        """With the party and alive."""
        return self.where == "party" and self.fate in ALIVE

    @property
    def infected(self) -> bool:
        """Bitten and still human: incubation is running."""
        return self.bitten and self.fate == "human"

    @property
    def bite_known(self) -> bool:
        """Bitten, and the party knows it."""
        return self.bitten and self.fate == "human" and not self.concealed

    @property
    def hides_a_bite(self) -> bool:
        return self.bitten and self.concealed

    @property
    def senses(self) -> bool:
        """A hambie with the party: their senses catch hidden bites."""
        return self.fate == "hambie" and self.where == "party"

    def has_status(self, status: str) -> bool:
        """`is(member, status)` in conditions. Unlike `status()`, several can hold at
        once: a bitten member who is hurt is both `bitten` and `injured`."""
        if status == "healthy":
            return self.fate == "human" and not self.bitten and not self.injured
        if status == "injured":
            return self.fate in ALIVE and self.injured
        if status == "bitten":
            return self.fate == "human" and self.bitten
        if status in ("zombie", "hambie", "dead"):
            return self.fate == status
        if status in ("missing", "away"):
            return self.where == status
        return False

    def status(self) -> str:
        """The one word the party panel shows (the truth; see `shown_status`)."""
        if self.fate in ("dead", "zombie"):
            return self.fate
        if self.where == "missing":
            return "missing"
        if self.where == "away":
            return "away"
        if self.fate == "hambie":
            return "hambie"
        if self.bitten:
            return "bitten"
        return "injured" if self.injured else "healthy"

    def shown_status(self, is_player: bool) -> str:
        """What the player knows: a concealed bite on someone else looks healthy."""
        status = self.status()
        if status == "bitten" and self.concealed and not is_player:
            return "injured" if self.injured else "healthy"
        return status


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened during a step. `visible` is False for what the player
    could not see (a concealed bite); transcripts and the party panel skip those."""

    kind: str
    who: str | None = None
    text: str = ""
    visible: bool = True

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.who is not None:
            out["who"] = self.who
        if self.text:
            out["text"] = self.text
        if not self.visible:
            out["visible"] = False
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        return cls(
            kind=str(data["kind"]),
            who=data.get("who"),
            text=str(data.get("text", "")),
            visible=bool(data.get("visible", True)),
        )


class StepSlots:
    """The slots a step's working copy (`work.Work`) needs besides GameState's fields.

    `Work` has GameState's slots on this same base, so a step edits its working copy and
    then *becomes* the new state by assigning its class: no field is copied twice (this
    is the engine's hottest path). A frozen state holds `dirty` = () and None in the
    others; they are not fields, so equality, `replace`, `fields`, pickling and
    `to_dict` never see them."""

    __slots__ = ("story", "events", "item_lines", "dirty")
    story: Any
    events: Any
    item_lines: Any
    dirty: Any


@dataclass(frozen=True, slots=True)
class GameState(StepSlots):
    scene: str
    seed: int
    rng: int
    player_name: str
    clock: int
    members: Mapping[str, MemberState]
    inventory: Mapping[str, int] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    counters: Mapping[str, int] = field(default_factory=dict)
    noise: int = 0
    visits: Mapping[str, int] = field(default_factory=dict)
    turn: int = 0
    taken: frozenset[str] = frozenset()
    fired: frozenset[str] = frozenset()
    armed: frozenset[str] = frozenset()
    pending: tuple[tuple[str, str], ...] = ()
    returns: tuple[str, ...] = ()
    subject: str | None = None
    log: tuple[Event, ...] = ()
    history: tuple[Record, ...] = ()  # what happened to whom, where: see `history`
    # where a long jump that an event scene stopped ends (0: none); the clock goes on to
    # it once the run is out of the event scenes (`rules._long_jump`)
    resume_at: int = 0

    @property
    def day(self) -> int:
        return day_of(self.clock)

    @property
    def time_of_day(self) -> str:
        return time_of_day(self.clock)

    @property
    def player(self) -> MemberState:
        return self.members[PLAYER]

    def to_dict(self) -> dict[str, Any]:
        """Plain data. Members and containers are written in sorted order so equal
        states give equal dicts (and equal JSON)."""
        members: dict[str, Any] = {}
        for mid in sorted(self.members):
            m = self.members[mid]
            entry: dict[str, Any] = {"fate": m.fate, "where": m.where}
            if m.injured:
                entry["injured"] = True
            if m.bitten:
                entry["bitten"] = True
                entry["turns_at"] = m.turns_at
            if m.concealed:
                entry["concealed"] = True
            if m.hunger:
                entry["hunger"] = m.hunger
            if m.met:
                entry["met"] = True
            members[mid] = entry
        return {
            "version": STATE_VERSION,
            "scene": self.scene,
            "seed": self.seed,
            "rng": self.rng,
            "player_name": self.player_name,
            "clock": self.clock,
            "turn": self.turn,
            "members": members,
            "inventory": {k: self.inventory[k] for k in sorted(self.inventory)},
            "flags": sorted(self.flags),
            "counters": {k: self.counters[k] for k in sorted(self.counters)},
            "noise": self.noise,
            "visits": {k: self.visits[k] for k in sorted(self.visits)},
            "taken": sorted(self.taken),
            "fired": sorted(self.fired),
            "armed": sorted(self.armed),
            "pending": [list(p) for p in self.pending],
            "returns": list(self.returns),
            "subject": self.subject,
            "log": [e.to_dict() for e in self.log],
            "history": to_list(self.history),
            # only when set, so every state written before it existed reads the same
            **({"resume_at": self.resume_at} if self.resume_at else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GameState:
        try:
            version = data.get("version")
            if version != STATE_VERSION:
                raise StateError(f"state version {version!r} is not {STATE_VERSION}")
            members = {
                str(mid): MemberState(
                    fate=str(m["fate"]),
                    where=str(m["where"]),
                    injured=bool(m.get("injured", False)),
                    bitten=bool(m.get("bitten", False)),
                    turns_at=None if m.get("turns_at") is None else int(m["turns_at"]),
                    concealed=bool(m.get("concealed", False)),
                    hunger=float(m.get("hunger", 0.0)),
                    met=bool(m.get("met", False)),
                )
                for mid, m in dict(data["members"]).items()
            }
            return cls(
                scene=str(data["scene"]),
                seed=int(data["seed"]),
                rng=int(data["rng"]) & _MASK,
                player_name=str(data["player_name"]),
                clock=int(data["clock"]),
                turn=int(data.get("turn", 0)),
                members=members,
                inventory={str(k): int(v) for k, v in dict(data["inventory"]).items()},
                flags=frozenset(str(f) for f in data["flags"]),
                counters={str(k): int(v) for k, v in dict(data["counters"]).items()},
                noise=int(data["noise"]),
                visits={str(k): int(v) for k, v in dict(data["visits"]).items()},
                taken=frozenset(str(t) for t in data.get("taken", ())),
                fired=frozenset(str(t) for t in data.get("fired", ())),
                armed=frozenset(str(t) for t in data.get("armed", ())),
                pending=tuple((str(a), str(b)) for a, b in data.get("pending", ())),
                returns=tuple(str(r) for r in data.get("returns", ())),
                subject=None if data.get("subject") is None else str(data["subject"]),
                log=tuple(Event.from_dict(e) for e in data.get("log", ())),
                # absent in states written before the history existed: nothing recorded
                history=from_list(data.get("history", ())),
                resume_at=int(data.get("resume_at", 0)),
            )
        except StateError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StateError(f"malformed state: {exc!r}") from None


# The RNG: splitmix64. One 64-bit integer of state, so it serializes as a number and
# undo/replay restore it exactly; Python's `random` would need 625 words.
_GOLDEN = 0x9E3779B97F4A7C15


def rng_next(state: int) -> tuple[int, int]:
    """Advance the RNG: returns (new state, 64-bit output)."""
    state = (state + _GOLDEN) & _MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return state, z ^ (z >> 31)


def rng_float(state: int) -> tuple[int, float]:
    state, out = rng_next(state)
    return state, (out >> 11) / float(1 << 53)


def seed_to_rng(seed: int) -> int:
    return rng_next(seed & _MASK)[1]
