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
  - the run's `history`: keyed only when some condition asks it (`died_at`, `saw`,
    `day_of`, ...: the compiler reports them as quantities named after the function);
    otherwise no rule reads it. `time` and `daypart(...)` read the time of day, which
    repeats every day: the clock is then never abstracted. `visit` (the current scene's
    count) and `been(...)` read every scene's visits: then all counts are kept, capped;
  - `resume_at` (where a long jump stopped by a turn ends): as minutes still to pass,
    `resume_at - clock`, like a bite's minutes left; 0 when no jump waits;
- `EXCLUDED`: left out, each with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from ..engine import queries
from ..engine.model import Condition, Story, Threshold
from ..engine.state import GameState, MemberState
from ..engine.visits import Visits

KEYED = ("scene", "rng", "flags", "noise", "taken", "fired", "armed", "pending", "returns", "subject")
ABSTRACTED = ("clock", "members", "inventory", "counters", "visits", "history", "resume_at")
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
    history: bool = False  # some condition asks the run's history
    all_visits: bool = False  # `visit` or `been(...)`: every scene's count matters


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
    history = all_visits = False
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
            elif threshold.quantity in _TIME_OF_DAY:
                clock_limits.append(NEVER)
            elif threshold.quantity in _ALL_VISITS:
                all_visits = True
                visits_cap = max(visits_cap, settles if threshold.quantity == "visit" else 1)
            elif threshold.quantity in _HISTORY:
                history = True
    horizon = max(clock_limits) + 1 if clock_limits else 0
    return KeyPlan(horizon, tuple(sorted(visits)), visits_cap, story.noise_decay, history, all_visits)


_TIME_OF_DAY = frozenset(("time", "daypart"))
_ALL_VISITS = frozenset(("visit", "been"))
_HISTORY = frozenset(queries.FUNCTIONS) - _TIME_OF_DAY - _ALL_VISITS


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
        state.history if plan.history else (),
        tuple(sorted((s, min(plan.visits_cap, n)) for s, n in visits.items())) if plan.all_visits else (),
        state.resume_at - clock if state.resume_at else 0,
    )


class Keys:
    """`state_key` for a search, made cheap; `keys(state)` is the key.

    Two states get equal keys here exactly when `state_key` gives them equal keys, but
    each part of the key other than the scene and the clock is a number: the first time
    a part's value is seen it gets the next number (hash-consing), so a key is a short
    tuple of small ints, cheap to hash and to hold. A part read from one container of
    the state (members, inventory, counters, history) is found by the container's
    identity first: the engine's states share an unchanged container, so most states'
    parts are found without reading them. The containers are held while remembered
    (their ids are then not reused), at most `remember` of each kind.

    Where it differs from `state_key` in form, not in what it tells apart: a member is
    numbered on its own, so the members part is a tuple of numbers; the scenes whose
    visits conditions read are kept as (scene, count) pairs of those visited, not a
    count for each; and when every scene's count is kept (`all_visits`), the counts of
    those scenes are not kept a second time."""

    def __init__(self, plan: KeyPlan, remember: int = 4096) -> None:
        self.plan = plan
        self.numbers: dict[Any, int] = {}
        self.remember = remember
        self._members: dict[int, tuple[Any, ...]] = {}  # see `_member_parts`
        self._inventory: dict[int, tuple[Any, int]] = {}
        self._counters: dict[int, tuple[Any, int]] = {}
        self._history: dict[int, tuple[Any, int]] = {}
        self._tracked = frozenset(plan.visits)

    def number(self, part: Any) -> int:
        numbers = self.numbers
        n = numbers.get(part)
        if n is None:
            n = numbers[part] = len(numbers)
        return n

    def __call__(self, state: GameState) -> tuple[Any, ...]:
        plan = self.plan
        clock = state.clock
        late = clock >= plan.horizon
        number = self.number

        members = state.members
        known = self._members.get(id(members))
        if known is None or known[0] is not members:
            known = self._member_parts(members)
            self._remember(self._members, members, known)
        members_n = known[1]
        if members_n < 0:  # someone's bite: minutes left, from this clock
            parts = known[2].copy()
            for i, mid, m in known[3]:
                parts[i] = number((mid, m.turns_at - clock, _MEMBER_KEYED(m)))
            members_n = number(tuple(parts))

        inventory_n = self._counts(self._inventory, state.inventory)
        counters_n = self._counts(self._counters, state.counters)

        history_n = -1
        if plan.history:
            history = state.history
            got = self._history.get(id(history))
            if got is None or got[0] is not history:
                got = (history, number(history))
                self._remember(self._history, history, got)
            history_n = got[1]

        tracked_n = all_n = -1
        if self._tracked or plan.all_visits:
            visits = state.visits
            counts = visits.counts() if type(visits) is Visits else dict(visits)
            cap = plan.visits_cap
            if plan.all_visits:
                if not counts or max(counts.values()) < cap:
                    all_n = number(tuple(sorted(counts.items())))
                else:
                    all_n = number(tuple(sorted((s, min(cap, n)) for s, n in counts.items())))
            else:
                tracked = self._tracked
                read = [(s, min(cap, n)) for s, n in counts.items() if n and s in tracked]
                tracked_n = number(tuple(sorted(read)))

        return (
            state.scene,
            -1 if late else clock,
            clock % plan.noise_decay if (state.noise and plan.noise_decay) else -1,
            members_n,
            inventory_n,
            counters_n,
            tracked_n,
            number(_KEYED_AFTER_SCENE(state)),
            history_n,
            all_n,
            state.resume_at - clock if state.resume_at else 0,
        )

    def _member_parts(self, members: Any) -> tuple[Any, ...]:
        """(members, the part's number or -1, each member's number, the bitten ones):
        a bitten member's part holds minutes left, so it is numbered at each clock."""
        number = self.number
        parts: list[int] = []
        timed: list[tuple[int, str, MemberState]] = []
        for mid, m in sorted(members.items()):
            if m.turns_at is None:
                parts.append(number((mid, None, _MEMBER_KEYED(m))))
            else:
                timed.append((len(parts), mid, m))
                parts.append(-1)
        return (members, -1 if timed else number(tuple(parts)), parts, timed)

    def _counts(self, cache: dict[int, tuple[Any, int]], counts: Any) -> int:
        """The number of a name -> count mapping (the inventory, the counters), kept by
        the mapping's identity: unchanged containers are shared from state to state."""
        got = cache.get(id(counts))
        if got is None or got[0] is not counts:
            got = (counts, self.number(tuple(sorted(counts.items()))))
            self._remember(cache, counts, got)
        return int(got[1])

    def _remember(self, cache: dict[int, Any], container: Any, entry: tuple[Any, ...]) -> None:
        if len(cache) >= self.remember:
            cache.clear()
        cache[id(container)] = entry
