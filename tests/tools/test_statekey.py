"""explore's state key: built from GameState's fields and the compiler's thresholds."""

from __future__ import annotations

from dataclasses import fields, replace

from game.engine.expr import Context, compile_full
from game.engine.model import Condition, Pos, Story
from game.engine.rules import new_game
from game.engine.state import GameState, MemberState
from game.tools import statekey
from game.tools.statekey import key_plan, state_key


def cond(source: str) -> Condition:
    compiled = compile_full(source, Context())
    return Condition(source, compiled.evaluate, Pos("t", 1, 1), compiled.thresholds)


def test_every_state_field_is_keyed_abstracted_or_excluded() -> None:
    assert statekey.unclassified_fields() == set()
    state = {f.name for f in fields(GameState)}
    lists = [set(statekey.KEYED), set(statekey.ABSTRACTED), set(statekey.EXCLUDED)]
    assert set.union(*lists) == state and sum(map(len, lists)) == len(state)  # each in exactly one
    member = {f.name for f in fields(MemberState)}
    assert set(statekey.MEMBER_KEYED) | set(statekey.MEMBER_ABSTRACTED) | set(statekey.MEMBER_EXCLUDED) == member


def test_a_keyed_field_tells_states_apart(mini: Story) -> None:
    plan = key_plan(mini, [])
    state = new_game(mini, seed=1)
    base = state_key(plan, state)
    assert base[0] == state.scene  # explore reads the scene back from the key
    for change in (
        {"scene": "hall"},
        {"rng": state.rng + 1},
        {"flags": frozenset({"door-shut"})},
        {"noise": 3},
        {"taken": frozenset({"start/shut"})},
        {"fired": frozenset({"x"})},
        {"armed": frozenset({"x"})},
        {"pending": (("died", "bo"),)},
        {"returns": ("start",)},
        {"subject": "bo"},
        {"resume_at": state.clock + 600},
        {"inventory": {"arrows": 3}},
        {"counters": {"c": 1}},
    ):
        assert state_key(plan, replace(state, **change)) != base, change  # type: ignore[arg-type]
    members = dict(state.members)
    members["bo"] = replace(members["bo"], injured=True)
    assert state_key(plan, replace(state, members=members)) != base
    # excluded fields do not
    for change in ({"turn": 9}, {"log": ()}, {"player_name": "Zed"}, {"seed": 99}):
        assert state_key(plan, replace(state, **change)) == base, change  # type: ignore[arg-type]


def test_clock_horizon_comes_from_the_compared_constants(mini: Story) -> None:
    plan = key_plan(mini, [cond("clock < 1d09:00"), cond("flag(a) and clock > 600")])
    assert plan.horizon == 602  # clock > 600 settles at 601; one past it
    assert key_plan(mini, [cond("clock >= 1d10:00")]).horizon == 601
    assert key_plan(mini, [cond("day >= 2")]).horizon == 1441
    assert key_plan(mini, [cond("day == 1")]).horizon == 1441
    assert key_plan(mini, []).horizon == 0
    never = key_plan(mini, [cond("clock >= counter(c)")])
    assert never.horizon == statekey.NEVER + 1
    state = new_game(mini, seed=1)
    late = [replace(state, clock=t) for t in (602, 700, 5000)]
    assert len({state_key(plan, s) for s in late}) == 1
    early = [replace(state, clock=t) for t in (480, 540, 601)]
    assert len({state_key(plan, s) for s in early}) == 3
    assert len({state_key(never, s) for s in late}) == 3


def test_bites_keep_their_minutes_left_past_the_horizon(mini: Story) -> None:
    plan = key_plan(mini, [])
    state = new_game(mini, seed=1)
    members = dict(state.members)
    members["bo"] = replace(members["bo"], bitten=True, turns_at=900)
    a = replace(state, clock=800, members=members)
    b = replace(state, clock=850, members=members)
    assert state_key(plan, a) != state_key(plan, b)
    members2 = dict(members)
    members2["bo"] = replace(members["bo"], turns_at=950)
    assert state_key(plan, b) == state_key(plan, replace(state, clock=900, members=members2))


def test_visits_are_keyed_for_read_scenes_and_capped(mini: Story) -> None:
    plan = key_plan(mini, [cond("visits(hall) >= 2"), cond("visited(start)")])
    assert plan.visits == ("hall", "start") and plan.visits_cap == 2
    state = new_game(mini, seed=1)
    keys = {state_key(plan, replace(state, visits={"hall": n, "start": 1})) for n in (0, 1, 2, 3, 7)}
    assert len(keys) == 3  # 0, 1, and 2-or-more
    assert state_key(plan, replace(state, visits={"start": 1, "other": 5})) == state_key(
        plan, replace(state, visits={"start": 1})
    )
    assert key_plan(mini, [cond("visited(start)")]).visits_cap == 1


def test_noise_phase_only_while_noisy(mini: Story) -> None:
    plan = key_plan(mini, [])
    state = new_game(mini, seed=1)
    assert state_key(plan, replace(state, clock=1000)) == state_key(plan, replace(state, clock=1010))
    noisy = replace(state, noise=2)
    decay = mini.noise_decay
    assert state_key(plan, replace(noisy, clock=1000)) != state_key(plan, replace(noisy, clock=1001))
    assert state_key(plan, replace(noisy, clock=1000)) == state_key(plan, replace(noisy, clock=1000 + decay))


def _reachable(story: Story, limit: int) -> list[GameState]:
    """States of a breadth-first walk of every choice and roll outcome (as explore's)."""
    from collections import deque

    from game.engine import rules
    from game.tools.explore import successors

    start = new_game(story, seed=3)
    out, queue = [start], deque([start])
    while queue and len(out) < limit:
        state = queue.popleft()
        scene = story.scenes.get(state.scene)
        if scene is None or scene.ending is not None:
            continue
        for view in rules.choices(story, state):
            choice = scene.choice(view.id)
            if view.available and choice is not None:
                for _, after in successors(story, state, choice):
                    out.append(after)
                    queue.append(after)
    return out


def _variants(states: list[GameState]) -> list[GameState]:
    """The states again with what the search's cache and numbering must still tell
    apart: bites at several clocks, plain-dict visits at and past a cap, a history,
    containers shared between states and containers equal but not shared."""
    out = list(states)
    for state in states[:: max(1, len(states) // 40)]:
        members = dict(state.members)
        mid = sorted(members)[-1]
        members[mid] = replace(members[mid], bitten=True, turns_at=state.clock + 120)
        for clock in (state.clock, state.clock + 30, state.clock + 2000):
            out.append(replace(state, clock=clock, members=members))
        out.append(replace(state, members=dict(state.members), inventory=dict(state.inventory)))
        visits = dict(state.visits)
        for n in (0, 1, 2, 3, 9):
            out.append(replace(state, visits={**visits, state.scene: n}))
        out.append(replace(state, visits={**visits, "nowhere": 0}))
        out.append(replace(state, noise=2, clock=state.clock + 7))
    return out


def test_the_search_keys_tell_apart_exactly_what_state_key_does(mini: Story, bundled: Story) -> None:
    from game.engine.history import Record

    plans = [
        key_plan(mini, []),
        key_plan(mini, [cond("visits(hall) >= 2"), cond("visited(start)"), cond("clock < 1d09:00")]),
        key_plan(mini, [cond("been(hall)"), cond("visit >= 3")]),
        key_plan(mini, [cond("died_at(bo, hall)"), cond("time >= 14:00")]),
    ]
    states = _variants(_reachable(mini, 400))
    dead = Record("died", "bo", 600, "hall")
    states += [replace(s, history=(*s.history, dead)) for s in states[:50]]
    checks = [(plan, states) for plan in plans]
    bundled_states = _variants(_reachable(bundled, 300))
    checks.append((key_plan(bundled, _conditions(bundled)), bundled_states))
    checks.append((key_plan(bundled, []), bundled_states))
    for plan, among in checks:
        for remember in (4096, 1):  # a cache that keeps nothing must give the same keys
            keys = statekey.Keys(plan, remember=remember)
            fast_of: dict[object, object] = {}
            slow_of: dict[object, object] = {}
            for state in among:
                slow, fast = state_key(plan, state), keys(state)
                assert fast[0] == state.scene
                assert fast_of.setdefault(slow, fast) == fast, (plan, state)
                assert slow_of.setdefault(fast, slow) == slow, (plan, state)
            assert len(fast_of) > 10


def _conditions(story: Story) -> list[Condition]:
    from game.tools.probe import instrument

    return instrument(story)[1].conditions
