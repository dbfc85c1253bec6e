"""Endless loops in an explored state graph: states from which no ending can be reached,
though they have choices, grouped by the scene where a run enters them.

A search stopped by its bound leaves states unexplored; they get the benefit of the
doubt, unless they repeat an earlier state but for the clock (`lap`): those stand or
fall with the earlier one. So a loop whose every lap spends time is still found, with
how many minutes a lap takes. (Whether waiting long enough would unlock something is
the one thing this cannot see: a `when:` event on the clock can still break such a loop
in play, and the report says the lap's length so a writer can judge.)
"""

from __future__ import annotations

from array import array
from collections import deque
from typing import TYPE_CHECKING

from .explorereport import Exploration, Found

if TYPE_CHECKING:
    from .explore import _Links


def find_traps(
    result: Exploration,
    links: _Links,
    ended: bytearray,
    stuck: bytearray,
    edge_src: array[int],
    edge_dst: array[int],
    unexplored: set[int],
    lap: dict[int, int],
    clock_of: array[int],
    scene_of: list[str],
) -> None:
    """States from which no ending can be reached, though they have choices: endless
    loops. Unexplored states (when the bound was hit) are given the benefit of the
    doubt, unless they repeat an earlier state but for the clock: those stand or fall
    with it (a loop whose every lap spends time is still a loop)."""
    n = len(links)
    # reverse edges, compactly: for each state, the states that lead to it
    count = array("i", bytes(4 * (n + 1)))
    for dst in edge_dst:
        count[dst + 1] += 1
    # an unexplored state that repeats an earlier one but for the clock stands or falls with it
    extra = [(i, same) for i, same in lap.items() if i in unexplored]
    starts = array("i", bytes(4 * (n + 1)))
    for i in range(n):
        starts[i + 1] = starts[i] + count[i + 1]
    incoming = array("i", bytes(4 * len(edge_src)))
    fill = array("i", starts)
    for src, dst in zip(edge_src, edge_dst, strict=True):
        incoming[fill[dst]] = src
        fill[dst] += 1
    lapped_into: dict[int, list[int]] = {}
    for i, same in extra:
        lapped_into.setdefault(same, []).append(i)
    good = bytearray(n)
    queue = deque(i for i in range(n) if ended[i] or (i in unexplored and i not in lap))
    for i in queue:
        good[i] = 1
    while queue:
        i = queue.popleft()
        for k in range(starts[i], starts[i + 1]):
            j = incoming[k]
            if not good[j]:
                good[j] = 1
                queue.append(j)
        for j in lapped_into.get(i, ()):
            if not good[j]:
                good[j] = 1
                queue.append(j)
    parent = links.parent

    def bad(i: int) -> bool:
        return not good[i] and not stuck[i]

    for i in range(n):
        if not bad(i) or i in unexplored:
            continue
        p = parent[i]
        if p >= 0 and bad(p):
            continue  # not the way in: its parent is trapped already
        entry = scene_of[i]
        if entry not in result.traps:
            result.traps[entry] = Found(entry, links.path(i), 0)
    # every trapped state counts toward the trap its shortest path entered first
    for i in range(n):
        if not bad(i) or i in unexplored:
            continue
        j = i
        while parent[j] >= 0 and bad(parent[j]):
            j = parent[j]
        found = result.traps.get(scene_of[j])
        if found is None:
            continue
        found.states += 1
        scenes = result.trap_scenes.setdefault(scene_of[j], [])
        if scene_of[i] not in scenes:
            scenes.append(scene_of[i])
    for i, same in lap.items():
        if bad(i) and bad(same):  # the loop's lap: how long going round once takes
            j = i
            while parent[j] >= 0 and bad(parent[j]):
                j = parent[j]
            found = result.traps.get(scene_of[j])
            minutes = clock_of[i] - clock_of[same]
            if found is not None and minutes > 0 and (not found.lap or minutes < found.lap):
                found.lap = minutes
