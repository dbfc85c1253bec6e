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
search on a copy of the story whose every `Condition` records what it evaluated to.
"""

from __future__ import annotations

import dataclasses
import heapq
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import rules
from ..engine.model import Choice, Condition, Item, Location, Member, Pos, Story, Template
from ..engine.state import GameState
from .statekey import KeyPlan, key_plan, state_key

DEFAULT_MAX_STATES = 200_000

# -- conditions that report what they evaluated to ------------------------------------


@dataclass
class Probe:
    conditions: list[Condition] = field(default_factory=list)  # the originals, by slot
    evaluated: list[bool] = field(default_factory=list)
    true: list[bool] = field(default_factory=list)
    false: list[bool] = field(default_factory=list)

    def wrap(self, condition: Condition) -> Condition:
        slot = len(self.conditions)
        self.conditions.append(condition)
        self.evaluated.append(False)
        self.true.append(False)
        self.false.append(False)
        evaluate = condition.evaluate
        true, false, evaluated = self.true, self.false, self.evaluated

        def probe(state: Any) -> Any:
            value = evaluate(state)
            evaluated[slot] = True
            if value:
                true[slot] = True
            else:
                false[slot] = True
            return value

        return Condition(condition.source, probe, condition.pos)


_LEAVES: tuple[type, ...] = (
    str,
    int,
    float,
    bool,
    type(None),
    frozenset,
    Pos,
    Template,
    Member,
    Item,
    Location,
)


def instrument(story: Story) -> tuple[Story, Probe]:
    """A copy of the story whose conditions record their values in the returned Probe."""
    probe = Probe()
    leaves = set(_LEAVES)
    names: dict[type, tuple[str, ...]] = {}

    def walk(value: Any) -> Any:
        kind = type(value)
        if kind in leaves:
            return value
        if kind is Condition:
            return probe.wrap(value)
        if kind is tuple:
            items = tuple(walk(v) for v in value)
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        if kind is dict:
            return {k: walk(v) for k, v in value.items()}
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            leaves.add(kind)
            return value
        fields = names.get(kind)
        if fields is None:
            fields = names[kind] = tuple(f.name for f in dataclasses.fields(value))
        changes = {}
        for name in fields:
            old = getattr(value, name)
            new = walk(old)
            if new is not old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else value

    copy = dataclasses.replace(
        story,
        scenes=walk(dict(story.scenes)),
        events=walk(story.events),
        infection=walk(story.infection),
    )
    return copy, probe


# -- the search -------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    scene: str
    choice: str
    outcome: int | None  # forced roll outcome, None for a plain choice


@dataclass
class Found:
    """Something found at a state, with the shortest way there."""

    scene: str
    moves: list[Move]
    states: int = 1  # how many distinct states showed it

    def to_dict(self) -> dict[str, Any]:
        return {
            "scene": self.scene,
            "steps": len(self.moves),
            "states": self.states,
            "path": [
                f"{m.scene}/{m.choice}" + (f"#{m.outcome}" if m.outcome is not None else "")
                for m in self.moves
            ],
        }


@dataclass
class Exploration:
    story: Story  # the instrumented copy; replays exactly like the original
    seed: int
    max_states: int
    order: str = "breadth"
    prefix: list[Move] = field(default_factory=list)  # from a new game to where the search began
    player_name: str | None = None
    states: int = 0  # distinct states expanded (found but unexpanded ones are the frontier)
    transitions: int = 0
    complete: bool = False
    depth: int = 0  # deepest level explored in full
    frontier: int = 0  # states found but not expanded when the bound was hit
    seconds: float = 0.0  # the search itself
    setup_seconds: float = 0.0  # instrumenting the story and planning the state key
    endings: dict[str, Found] = field(default_factory=dict)
    softlocks: dict[str, Found] = field(default_factory=dict)
    traps: dict[str, Found] = field(default_factory=dict)  # entry scene -> way in
    trap_scenes: dict[str, list[str]] = field(default_factory=dict)
    reached: set[str] = field(default_factory=set)
    available: set[tuple[str, str]] = field(default_factory=set)
    locked: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    probe: Probe = field(default_factory=Probe)
    plan: KeyPlan | None = None

    # -- reading the result ----------------------------------------------------------

    def never_available(self) -> list[dict[str, str]]:
        out = []
        for sid, scene in self.story.scenes.items():
            if sid not in self.reached or scene.ending is not None:
                continue
            for choice in scene.choices:
                if (sid, choice.id) in self.available:
                    continue
                reasons = self.locked.get((sid, choice.id))
                if reasons:
                    why = "always locked: " + "; ".join(sorted(reasons))
                elif choice.shown_if is not None:
                    why = f"never shown: `{choice.shown_if.source}` is never true here"
                else:
                    why = "never shown"
                out.append({"scene": sid, "choice": choice.id, "pos": str(choice.pos), "why": why})
        return out

    def conditions(self, which: str) -> list[dict[str, str]]:
        """'never-true' (evaluated, always false), 'always-true', or 'never-evaluated'."""
        probe = self.probe
        out = []
        for i, condition in enumerate(probe.conditions):
            if which == "never-true":
                hit = probe.evaluated[i] and not probe.true[i]
            elif which == "always-true":
                hit = probe.evaluated[i] and not probe.false[i]
            else:
                hit = not probe.evaluated[i]
            if hit:
                out.append({"pos": str(condition.pos), "condition": condition.source})
        out.sort(key=lambda d: _pos_sort(d["pos"]))
        return out

    def never_reached(self) -> list[str]:
        return [sid for sid in self.story.scenes if sid not in self.reached]

    def to_dict(self) -> dict[str, Any]:
        endings = [s for s in self.story.scenes.values() if s.ending is not None]
        return {
            "story": self.story.title,
            "seed": self.seed,
            "max_states": self.max_states,
            "order": self.order,
            "started_after": len(self.prefix),
            "states": self.states,
            "transitions": self.transitions,
            "complete": self.complete,
            "depth": self.depth,
            "frontier": self.frontier,
            "seconds": round(self.seconds, 3),
            "setup_seconds": round(self.setup_seconds, 3),
            "states_per_second": round(self.states / self.seconds) if self.seconds else None,
            "endings": {
                s.id: (
                    {"title": s.ending.title if s.ending else "", **self.endings[s.id].to_dict()}
                    if s.id in self.endings
                    else None
                )
                for s in endings
            },
            "endings_never_reached": [s.id for s in endings if s.id not in self.endings],
            "softlocks": [f.to_dict() for f in self.softlocks.values()],
            "traps": [
                {**f.to_dict(), "scenes": self.trap_scenes.get(entry, [])} for entry, f in self.traps.items()
            ],
            "choices_never_available": self.never_available(),
            "conditions_never_true": self.conditions("never-true"),
            "conditions_always_true": self.conditions("always-true"),
            "scenes_never_reached": self.never_reached(),
            "scenes_total": len(self.story.scenes),
        }


def _pos_sort(pos: str) -> tuple[str, int, int]:
    path, _, rest = pos.partition(":")
    line, _, col = rest.partition(":")
    return (path, int(line or 0), int(col or 0))


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
    start_state = first
    ids: dict[tuple[Any, ...], int] = {state_key(plan, start_state): 0}
    parent: list[tuple[int, Move] | None] = [None]
    depth_of = array("i", [0])
    ended = bytearray(1)
    stuck = bytearray(1)
    edge_src, edge_dst = array("i"), array("i")
    queue = Frontier(order)
    queue.push(0, start_state)
    expanded = 0

    while queue:
        if expanded >= max_states:
            break
        sid, state = queue.pop()
        d = depth_of[sid]
        expanded += 1
        if progress is not None and expanded % 1000 == 0:
            progress(expanded)
        result.reached.update(state.visits)
        scene = scenes.get(state.scene)
        if scene is None or scene.ending is not None:
            ended[sid] = 1
            if state.scene not in result.endings:
                result.endings[state.scene] = Found(state.scene, _moves(parent, sid), 0)
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
                result.softlocks[scene.id] = Found(scene.id, _moves(parent, sid), 0)
            result.softlocks[scene.id].states += 1
            continue
        for cid in open_choices:
            choice = scene.choice(cid)
            assert choice is not None
            for outcome, after in successors(story, state, choice):
                result.transitions += 1
                key = state_key(plan, after)
                nid = ids.get(key)
                if nid is None:
                    nid = len(parent)
                    ids[key] = nid
                    parent.append((sid, Move(scene.id, cid, outcome)))
                    depth_of.append(d + 1)
                    ended.append(0)
                    stuck.append(0)
                    queue.push(nid, after)
                edge_src.append(sid)
                edge_dst.append(nid)

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
    _find_traps(result, parent, ended, stuck, edge_src, edge_dst, queue.ids(), ids)
    result.seconds = time.perf_counter() - started
    return result


def _moves(parent: list[tuple[int, Move] | None], sid: int) -> list[Move]:
    moves: list[Move] = []
    link = parent[sid]
    while link is not None:
        sid, move = link
        moves.append(move)
        link = parent[sid]
    moves.reverse()
    return moves


def _find_traps(
    result: Exploration,
    parent: list[tuple[int, Move] | None],
    ended: bytearray,
    stuck: bytearray,
    edge_src: array[int],
    edge_dst: array[int],
    unexplored: set[int],
    ids: dict[tuple[Any, ...], int],
) -> None:
    """States from which no ending can be reached, though they have choices: endless
    loops. Unexplored states (when the bound was hit) are given the benefit of the doubt."""
    n = len(parent)
    incoming: list[list[int]] = [[] for _ in range(n)]
    for src, dst in zip(edge_src, edge_dst, strict=True):
        incoming[dst].append(src)
    good = bytearray(n)
    queue = deque(i for i in range(n) if ended[i] or i in unexplored)
    for i in queue:
        good[i] = 1
    while queue:
        i = queue.popleft()
        for j in incoming[i]:
            if not good[j]:
                good[j] = 1
                queue.append(j)
    scene_of = {sid: key[0] for key, sid in ids.items()}
    for i in range(n):
        if good[i] or stuck[i]:
            continue
        link = parent[i]
        if link is not None and not good[link[0]] and not stuck[link[0]]:
            continue  # not the way in: its parent is trapped already
        entry = scene_of[i]
        if entry not in result.traps:
            result.traps[entry] = Found(entry, _moves(parent, i), 0)
    # every trapped state counts toward the trap its shortest path entered first
    for i in range(n):
        if good[i] or stuck[i]:
            continue
        j = i
        while True:
            link = parent[j]
            if link is None or good[link[0]] or stuck[link[0]]:
                break
            j = link[0]
        entry = scene_of[j]
        found = result.traps.get(entry)
        if found is not None:
            found.states += 1
            scenes = result.trap_scenes.setdefault(entry, [])
            if scene_of[i] not in scenes:
                scenes.append(scene_of[i])


# -- witnesses ---------------------------------------------------------------------------


def witness_run(story: Story, seed: int, moves: list[Move], player_name: str | None = None) -> Any:
    """The moves as a saves.Run (each forced roll outcome recorded in its step)."""
    from ..session import Session

    session = Session.new(story, seed, player_name, None)
    for move in moves:
        session.choose(move.choice, save=False, outcome=move.outcome)
    return session.run


def write_witnesses(result: Exploration, folder: Path) -> dict[str, Path]:
    """One save per ending reached, slot `ending-<scene id>`; SaveError if the folder fails."""
    from ..engine.saves import save_run

    written: dict[str, Path] = {}
    for scene_id, found in sorted(result.endings.items()):
        run = witness_run(result.story, result.seed, result.prefix + found.moves, result.player_name)
        slot = ("ending-" + scene_id)[:64]
        written[scene_id] = save_run(folder, slot, run)
    return written
