"""A systematic search over the reachable states of a story.

Breadth first from `new_game(story, seed)`: every available choice, and for a roll every
outcome whose weight is above zero (forced with `choose(..., outcome=i)`). States are
deduplicated, so the search ends when nothing new is reachable or at `max_states`.

What counts as "the same state" (`StateKey`): everything in `GameState` except `log`
and `turn`, with three abstractions that are exact for this engine's rules:

- the clock: conditions compare it (and `day`) with constants only, so once it is past
  every constant any condition mentions, its absolute value no longer changes what can
  happen. Past that horizon only its phase within `noise.decay_minutes` (while noise is
  above zero) and each bite's minutes-left (`turns_at - clock`) are kept;
- visit counts: only for scenes some condition reads with `visits()`/`visited()`, capped
  one above the largest number those conditions mention;
- the RNG is part of the state. Forced roll outcomes draw nothing, so the RNG only moves
  on bites and turns: explore follows the one incubation and hambie draw the seed gives
  (`--seed` picks another world), instead of branching on every draw.

Every shortest path found is a witness: a save whose steps carry the forced roll outcome,
so `hyosan replay --verify` reproduces it exactly. Conditions are watched by running the
search on a copy of the story whose every `Condition` records what it evaluated to
(`probe.py`). Loops are found twice over: states that repeat exactly, and states that
repeat but for the clock (a lap that spends time: `traps.py`). The report is
`explorereport.py`, the witness saves `witness.py`, the state key `statekey.py`.
"""

from __future__ import annotations

import heapq
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from ..engine import rules
from ..engine.model import Choice, Story
from ..engine.state import GameState
from ..engine.visits import Visits
from .explorereport import ConditionSeen, Exploration, Found, Move
from .probe import instrument
from .statekey import Keys, key_plan
from .traps import find_traps
from .witness import witness_run, write_problem_witnesses, write_witnesses

DEFAULT_MAX_STATES = 200_000

# -- the search -------------------------------------------------------------------------


def roll_weights(story: Story, state: GameState, choice: Choice) -> list[float]:
    """The outcome weights `choose` would draw with: after the choice's own effects."""
    return rules.roll_weights(story, state, choice.id)


def successors(story: Story, state: GameState, choice: Choice) -> Iterator[tuple[int | None, GameState]]:
    if not choice.roll:
        yield None, rules.choose(story, state, choice.id)[0]
        return
    for i, weight in enumerate(roll_weights(story, state, choice)):
        if weight > 0:
            yield i, rules.choose(story, state, choice.id, outcome=i)[0]


ORDERS = ("breadth", "novelty")


class Frontier:
    """The states found but not yet expanded.

    `breadth`: first found, first expanded, so every path found is a shortest one and
    a bound leaves every run up to some length covered. `novelty`: the next state comes
    from the scene expanded least so far (first found among that scene's), which reaches
    deep scenes of a large story long before breadth first would; paths are then not the
    shortest."""

    def __init__(self, order: str) -> None:
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r} (one of {', '.join(ORDERS)})")
        self.novelty = order == "novelty"
        self.fifo: deque[tuple[int, GameState]] = deque()
        self.by_scene: dict[str, deque[tuple[int, GameState]]] = {}
        self.expanded: dict[str, int] = {}
        self.heap: list[tuple[int, int, str]] = []
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def push(self, sid: int, state: GameState) -> None:
        self.size += 1
        if not self.novelty:
            self.fifo.append((sid, state))
            return
        waiting = self.by_scene.get(state.scene)
        if waiting is None:
            waiting = self.by_scene[state.scene] = deque()
        if not waiting:
            heapq.heappush(self.heap, (self.expanded.get(state.scene, 0), sid, state.scene))
        waiting.append((sid, state))

    def pop(self) -> tuple[int, GameState]:
        self.size -= 1
        if not self.novelty:
            return self.fifo.popleft()
        while True:
            count, order, scene = heapq.heappop(self.heap)
            waiting = self.by_scene[scene]
            if count != self.expanded.get(scene, 0):
                heapq.heappush(self.heap, (self.expanded.get(scene, 0), order, scene))
                continue
            item = waiting.popleft()
            self.expanded[scene] = count + 1
            if waiting:
                heapq.heappush(self.heap, (count + 1, waiting[0][0], scene))
            return item

    def ids(self) -> set[int]:
        if not self.novelty:
            return {sid for sid, _ in self.fifo}
        return {sid for waiting in self.by_scene.values() for sid, _ in waiting}

    def first_depth(self, depth_of: array[int]) -> int:
        if not self.fifo:
            return 0
        return depth_of[self.fifo[0][0]]


class _Shared:
    """One copy of each repeated mapping and set of the states waiting in the frontier
    (members, inventory, counters, visits, flags, taken...: most states share them).
    This, keeping no run log in waiting states and numbering the parts of state keys
    (`statekey.Keys`), is what keeps a search at a few KB per state (BENCHMARKS.md)."""

    def __init__(self) -> None:
        self.maps: dict[str, dict[tuple[Any, ...], Any]] = {name: {} for name in _SHARED}
        # the shared copies by identity: they are held in `maps`, so their ids stay theirs
        self.canonical: dict[int, Any] = {}
        self.sets: dict[frozenset[str], frozenset[str]] = {}  # flags, taken, fired, armed

    def mapping(self, name: str, mapping: Any) -> Any:
        items = tuple(mapping.counts().items() if type(mapping) is Visits else mapping.items())
        out = self.maps[name].setdefault(items, mapping)
        if out is mapping:
            self.canonical[id(mapping)] = mapping
        return out

    def waiting(self, state: GameState, fresh: bool = False) -> GameState:
        """The state as it waits in the frontier: no run log (witnesses are rebuilt from
        parent links), its mappings shared with equal ones of other waiting states.
        A `fresh` state (one `choose` has just made, which nothing else holds) is
        trimmed in place, through the slots' own setters as `Work.freeze` builds states;
        any other is copied first."""
        if fresh:
            out = state
        else:
            out = _new(GameState)
            for get, put in _FIELDS:
                put(out, get(state))
        _put_log(out, ())
        canonical = self.canonical
        for name, get, put in _SHARED_FIELDS:
            mapping = get(out)
            if canonical.get(id(mapping)) is not mapping:  # most keep their parent's, shared
                put(out, self.mapping(name, mapping))
        sets = self.sets  # a frozenset keeps its hash: the state key has computed it
        for get, put in _SET_FIELDS:
            value = get(out)
            got = sets.setdefault(value, value)
            if got is not value:
                put(out, got)
        return out


_new = object.__new__
_FIELDS = [(getattr(GameState, n).__get__, getattr(GameState, n).__set__) for n in GameState.__slots__]
_put_log = _FIELDS[GameState.__slots__.index("log")][1]
_SHARED = ("members", "inventory", "counters", "visits")
_SHARED_FIELDS = [(n, getattr(GameState, n).__get__, getattr(GameState, n).__set__) for n in _SHARED]
_SET_FIELDS = [
    (getattr(GameState, n).__get__, getattr(GameState, n).__set__)
    for n in ("flags", "taken", "fired", "armed")
]


class _Links:
    """Parent links, compactly: a state's parent id and the index of the move that led
    from there (moves repeat a lot; each is stored once)."""

    def __init__(self) -> None:
        self.parent = array("i", [-1])
        self.via = array("i", [-1])
        self.moves: list[Move] = []
        self.index: dict[Move, int] = {}

    def __len__(self) -> int:
        return len(self.parent)

    def add(self, parent: int, move: Move) -> int:
        i = self.index.get(move)
        if i is None:
            i = self.index[move] = len(self.moves)
            self.moves.append(move)
        self.parent.append(parent)
        self.via.append(i)
        return len(self.parent) - 1

    def path(self, sid: int) -> list[Move]:
        moves: list[Move] = []
        while self.parent[sid] >= 0:
            moves.append(self.moves[self.via[sid]])
            sid = self.parent[sid]
        moves.reverse()
        return moves


def explore(
    story: Story,
    seed: int = 0,
    max_states: int = DEFAULT_MAX_STATES,
    progress: Callable[[int], None] | None = None,
    order: str = "breadth",
    start: tuple[GameState, list[Move]] | None = None,
) -> Exploration:
    """Search from a new game, or from `start`: a state and the moves that led to it
    from a new game with its seed (a save replayed), so a branch deep in a long story
    can be explored on its own. Paths in the result are then relative to that state."""
    prepared = time.perf_counter()
    story, probe = instrument(story)
    plan = key_plan(story, probe.conditions)
    result = Exploration(story, seed, max_states, probe=probe, plan=plan)
    started = time.perf_counter()
    result.setup_seconds = started - prepared
    scenes = story.scenes

    if start is not None:
        first, result.prefix = start
        result.seed = first.seed
        result.player_name = first.player_name
    else:
        first = rules.new_game(story, seed=seed)
    shared = _Shared()
    keys = Keys(plan)
    first_key = keys(first)
    ids: dict[tuple[Any, ...], int] = {first_key: 0}
    # A state equal to an earlier one but for the clock (`lap`): the search cannot tell
    # whether waiting longer changes anything, but if the earlier one can never end, a
    # run going round again (each lap spending time) is in the same endless loop.
    timeless: dict[tuple[Any, ...], int] = {_timeless(first_key): 0}
    lap: dict[int, int] = {}
    clock_of = array("q", [first.clock])
    links = _Links()
    depth_of = array("i", [0])
    ended = bytearray(1)
    stuck = bytearray(1)
    edge_src, edge_dst = array("i"), array("i")
    queue = Frontier(order)
    queue.push(0, shared.waiting(first))
    expanded = 0
    current = probe.current
    reached = result.reached
    before = first.visits if start is not None else {}
    last_visits: Any = None

    while queue:
        if expanded >= max_states:
            break
        sid, state = queue.pop()
        current[0] = sid
        d = depth_of[sid]
        expanded += 1
        if progress is not None and expanded % 1000 == 0:
            progress(expanded)
        # scenes entered since the search began (a save's own past is not this search's)
        visits = state.visits
        if visits is not last_visits:
            last_visits = visits
            counts = visits.counts() if type(visits) is Visits else visits
            reached.update(s for s, n in counts.items() if n > before.get(s, 0))
        reached.add(state.scene)
        scene = scenes.get(state.scene)
        if scene is None or scene.ending is not None:
            ended[sid] = 1
            if state.scene not in result.endings:
                result.endings[state.scene] = Found(state.scene, links.path(sid), 0)
            result.endings[state.scene].states += 1
            rules.fates(story, state)  # evaluates the ending's fate conditions
            continue
        for block in scene.text.blocks:
            if block.when is not None:
                block.when(state)
        views = rules.choices(story, state)
        open_choices = []
        for view in views:
            if view.available:
                result.available.add((scene.id, view.id))
                open_choices.append(view.id)
            else:
                result.locked.setdefault((scene.id, view.id), set()).add(view.reason)
        if not open_choices:
            stuck[sid] = 1
            if scene.id not in result.softlocks:
                result.softlocks[scene.id] = Found(scene.id, links.path(sid), 0)
            result.softlocks[scene.id].states += 1
            continue
        for cid in open_choices:
            choice = scene.choice(cid)
            assert choice is not None
            for outcome, after in successors(story, state, choice):
                result.transitions += 1
                key = keys(after)
                nid = ids.get(key)
                if nid is None:
                    nid = links.add(sid, Move(scene.id, cid, outcome))
                    ids[key] = nid
                    depth_of.append(d + 1)
                    clock_of.append(after.clock)
                    ended.append(0)
                    stuck.append(0)
                    lapless = _timeless(key)
                    same = timeless.get(lapless)
                    if same is not None:
                        lap[nid] = same  # the lap before: the newest state equal but for the clock
                    timeless[lapless] = nid
                    queue.push(nid, shared.waiting(after, fresh=True))
                edge_src.append(sid)
                edge_dst.append(nid)
    current[0] = -1

    result.states = expanded
    result.frontier = len(queue)
    result.complete = not queue
    result.order = order
    if result.complete:
        result.depth = max(depth_of)
    elif order == "breadth":  # every level above the first unexpanded state's is complete
        result.depth = max(0, queue.first_depth(depth_of) - 1)
    else:
        result.depth = -1  # no length is fully covered; the scenes reached say what was
    scene_of = [""] * len(links)
    for key, i in ids.items():
        scene_of[i] = key[0]
    del ids, timeless
    unexplored = queue.ids()
    find_traps(result, links, ended, stuck, edge_src, edge_dst, unexplored, lap, clock_of, scene_of)
    for slot, where in enumerate(probe.where):
        if where >= 0 and probe.evaluated[slot] and not probe.true[slot]:
            result.seen[slot] = ConditionSeen(links.path(where), scene_of[where])
    result.seconds = time.perf_counter() - started
    return result


def _timeless(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """The key without the clock (its value and its noise phase)."""
    return (key[0], *key[3:])


# -- witnesses (game/tools/witness.py) and the report (game/tools/explorereport.py) ----

__all__ = [
    "DEFAULT_MAX_STATES",
    "ORDERS",
    "ConditionSeen",
    "Exploration",
    "Found",
    "Move",
    "explore",
    "instrument",
    "witness_run",
    "write_problem_witnesses",
    "write_witnesses",
]
