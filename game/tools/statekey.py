"""The state key of `explore`: which states count as the same.

The key is built from the fields of `GameState`. Each field is in exactly one of three
lists, and a test fails when a new field is in none:

- `KEYED`: taken as it is (a hashable value);
- `ABSTRACTED`: turned into a hashable and, where the rules allow, coarser value:
  - the clock: conditions compare it (and `day`) with constants only (the compiler
    reports each comparison: `Condition.thresholds`), so once it is past every constant
    its absolute value no longer changes what can happen. Past that horizon only its
    phase within `noise.decay_minutes` (while noise is above zero) and each bite's
    minutes-left (`turns_at - clock`) are kept. A clock compared with anything but a
    constant keeps its value always;
  - visit counts: only for scenes some condition reads with `visits()`/`visited()`,
    capped where the comparisons stop telling counts apart;
  - members, inventory and counters: as sorted tuples;
- `EXCLUDED`: left out, each with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from ..engine.model import Condition, Story, Threshold
from ..engine.state import GameState, MemberState

KEYED = ("scene", "rng", "flags", "noise", "taken", "fired", "armed", "pending", "returns", "subject")
ABSTRACTED = ("clock", "members", "inventory", "counters", "visits")
EXCLUDED = {
    "seed": "the same for every state of one search (the RNG itself is keyed)",
    "player_name": "the same for every state of one search",
    "turn": "counts choices taken; no rule or condition reads it",
    "log": "what was said on the way, not what can happen next",
}
_KEYED_AFTER_SCENE = attrgetter(*(name for name in KEYED if name != "scene"))

# the same for each member's MemberState
MEMBER_KEYED = ("fate", "where", "injured", "bitten", "concealed", "hunger", "met")
MEMBER_ABSTRACTED = ("turns_at",)  # kept as minutes left: `turns_at - clock`
MEMBER_EXCLUDED: dict[str, str] = {}
_MEMBER_KEYED = attrgetter(*MEMBER_KEYED)
NEVER = math.inf  # a horizon the clock never reaches: its value always matters


def unclassified_fields() -> set[str]:
    """Fields of GameState (and of MemberState, as `members.NAME`) that are in none of
    the lists above: each must be keyed, abstracted or excluded with a reason."""
    state = {f.name for f in fields(GameState)} - set(KEYED) - set(ABSTRACTED) - set(EXCLUDED)
    member = {f.name for f in fields(MemberState)} - set(MEMBER_KEYED) - set(MEMBER_ABSTRACTED)
    return state | {f"members.{name}" for name in member - set(MEMBER_EXCLUDED)}


@dataclass(frozen=True)
class KeyPlan:
    horizon: float  # clock values at or past this are all alike (but for phase and bites)
    visits: tuple[str, ...]  # scenes whose visit counts conditions read
    visits_cap: float  # counts at or above this are all alike
    noise_decay: int


def _settles(threshold: Threshold) -> float:
    """The smallest whole value from which `quantity op value` no longer changes, or
    NEVER when the quantity is not compared with a constant."""
    if threshold.op is None or threshold.value is None:
        return NEVER
    value = threshold.value
    if threshold.op in (">=", "<"):
        return math.ceil(value)
    return math.floor(value) + 1  # >, <=, ==, !=: the value just past the constant


def key_plan(story: Story, conditions: list[Condition]) -> KeyPlan:
    clock_limits: list[float] = []
    visits: set[str] = set()
    visits_cap: float = 1
    for condition in conditions:
        for threshold in condition.thresholds:
            settles = _settles(threshold)
            if threshold.quantity == "clock":
                clock_limits.append(settles)
            elif threshold.quantity == "day":
                # day d begins at clock (d - 1) * 1440
                clock_limits.append(settles if settles == NEVER else (settles - 1) * 1440)
            elif threshold.quantity == "visits":
                visits.add(threshold.arg)
                visits_cap = max(visits_cap, settles)
    horizon = max(clock_limits) + 1 if clock_limits else 0
    return KeyPlan(horizon, tuple(sorted(visits)), visits_cap, story.noise_decay)


def state_key(plan: KeyPlan, state: GameState) -> tuple[Any, ...]:
    """The key; its first element is the scene id (explore reads it back)."""
    clock = state.clock
    late = clock >= plan.horizon
    members = tuple(
        (mid, None if m.turns_at is None else m.turns_at - clock, _MEMBER_KEYED(m))
        for mid, m in sorted(state.members.items())
    )
    phase = clock % plan.noise_decay if (state.noise and plan.noise_decay) else -1
    visits = state.visits
    return (
        state.scene,
        -1 if late else clock,
        phase,
        members,
        tuple(sorted(state.inventory.items())),
        tuple(sorted(state.counters.items())),
        tuple(min(plan.visits_cap, visits.get(s, 0)) for s in plan.visits),
        _KEYED_AFTER_SCENE(state),
    )
