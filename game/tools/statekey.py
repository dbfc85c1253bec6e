"""The state key of `explore`: which states count as the same.

Everything in `GameState` except `log` and `turn`, with abstractions that are exact for
this engine's rules (see game/tools/explore.py's docstring for why each is exact). The
run's `history` counts only when some condition asks it (a history query: then states
that differ in it differ), and which scenes were entered only when `been(...)` is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..engine import queries
from ..engine.model import Condition, Story
from ..engine.state import GameState

_TIME = re.compile(r"(?:(\d+)d)?(\d{1,2}):(\d\d)")
_NUM = re.compile(r"(?<![\w:-])(\d+(?:\.\d+)?)(?![\w:])")
_VISITS = re.compile(r"\bvisit(?:s|ed)\s*\(\s*([a-z0-9-]+)\s*\)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class KeyPlan:
    horizon: int  # clock values at or past this are all alike (but for phase and bites)
    visits: tuple[str, ...]  # scenes whose visit counts conditions read
    visits_cap: int
    noise_decay: int
    history: bool = False  # some condition asks the run's history
    route: bool = False  # some condition asks `been(...)`: which scenes were entered


def key_plan(story: Story, conditions: list[Condition]) -> KeyPlan:
    thresholds: list[int] = []
    visits: set[str] = set()
    visits_cap = 1
    history = route = timeless = False
    for condition in conditions:
        source = condition.source
        names = set(_NAME.findall(_TIME.sub(" ", source)))
        history = history or any(n in _HISTORY_QUERIES for n in names)
        route = route or "been" in names or "visit" in names
        timeless = timeless or "time" in names or "daypart" in names
        if "clock" in names or "day" in names:
            for d, h, m in _TIME.findall(source):
                thresholds.append((int(d or 1) - 1) * 1440 + int(h) * 60 + int(m))
            for n in _NUM.findall(_TIME.sub(" ", source)):
                value = float(n)
                thresholds.append(int(value) + 1)
                if "day" in names:
                    thresholds.append(int(value * 1440) + 1)
        found = _VISITS.findall(source)
        if found:
            visits.update(found)
            for n in _NUM.findall(_TIME.sub(" ", source)):
                visits_cap = max(visits_cap, int(float(n)) + 1)
    horizon = max(thresholds) + 1 if thresholds else 0
    if timeless:  # the time of day repeats: no clock is ever "late" enough to forget
        horizon = 1 << 62
    return KeyPlan(horizon, tuple(sorted(visits)), visits_cap, story.noise_decay, history, route)


_HISTORY_QUERIES = frozenset(queries.FUNCTIONS) - {"been", "daypart"}


def state_key(plan: KeyPlan, state: GameState) -> tuple[Any, ...]:
    clock = state.clock
    late = clock >= plan.horizon
    members = tuple(
        (
            mid,
            m.fate,
            m.where,
            m.injured,
            m.bitten,
            None if m.turns_at is None else m.turns_at - clock,
            m.concealed,
            m.hunger,
            m.met,
        )
        for mid, m in sorted(state.members.items())
    )
    phase = clock % plan.noise_decay if (state.noise and plan.noise_decay) else -1
    visits = state.visits
    return (
        state.scene,
        -1 if late else clock,
        phase,
        state.rng,
        members,
        tuple(sorted(state.inventory.items())),
        state.flags,
        tuple(sorted(state.counters.items())),
        state.noise,
        tuple(min(plan.visits_cap, visits.get(s, 0)) for s in plan.visits),
        state.taken,
        state.fired,
        state.armed,
        state.pending,
        state.returns,
        state.subject,
        state.history if plan.history else (),
        # `visit` (the current scene's count) and `been` read the visits themselves
        tuple(sorted(visits.items())) if plan.route else (),
    )
