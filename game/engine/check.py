"""Cross-reference and graph checks over a loaded story.

The loader reports what is wrong inside one node (a bad field, a bad condition); this
module reports what is wrong between nodes: a `goto` to nowhere, a flag nobody sets, a
scene nobody reaches, a scene with no way out.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, did_you_mean
from .model import HERE, PLAYER, WHO, Pos, Scene, Story

if TYPE_CHECKING:
    from .loader.references import References


def scene_edges(scene: Scene) -> list[tuple[str, str, str]]:
    """(choice id, target scene, kind) for every way out of a scene; kind is
    'plain', 'conditional' or 'roll'."""
    edges: list[tuple[str, str, str]] = []
    for choice in scene.choices:
        kind = "conditional" if (choice.shown_if or choice.requires) else "plain"
        if choice.goto:
            edges.append((choice.id, choice.goto, kind))
        for outcome in choice.roll:
            if outcome.goto:
                edges.append((choice.id, outcome.goto, "roll"))
    return edges


def reachable_scenes(story: Story) -> set[str]:
    """Scenes reachable from the start or from an event scene, ignoring conditions."""
    roots = [story.start] + [e.scene for e in story.events]
    seen: set[str] = set()
    queue = deque(r for r in roots if r in story.scenes)
    while queue:
        sid = queue.popleft()
        if sid in seen:
            continue
        seen.add(sid)
        for _, target, _ in scene_edges(story.scenes[sid]):
            if target in story.scenes and target not in seen:
                queue.append(target)
    return seen


class _Report:
    """Diagnostics collected by the checks, and the references they check."""

    def __init__(self, refs: References) -> None:
        self.refs = refs
        self.diags: list[Diagnostic] = []

    def error(self, pos: Pos, message: str) -> None:
        self.diags.append(Diagnostic.at(pos, "error", message))

    def warning(self, pos: Pos, message: str) -> None:
        self.diags.append(Diagnostic.at(pos, "warning", message))


def check_story(story: Story, refs: References) -> list[Diagnostic]:
    """The checks between nodes, over a loaded story and its index of references
    (`LoadResult.references`). Returns the diagnostics, unsorted."""
    b = _Report(refs)
    _check_names(story, b)
    _check_graph(story, b)
    _check_flags(story, b)
    _check_events(story, b)
    return b.diags


def _check_names(story: Story, b: _Report) -> None:
    known = {
        "member": story.cast,
        "item": story.items,
        "location": story.locations,
        "flag": story.flags,
        "counter": story.counters,
        "scene": story.scenes,
    }
    traits = set(story.player_traits).union(*(m.traits for m in story.cast.values()))
    areas = {loc.area for loc in story.locations.values()}
    words = {"member": "cast member", "location": "location", "scene": "scene"}
    for kind, name, pos in b.refs.uses:
        if kind == "member" and name in (PLAYER, WHO):
            continue
        if kind == "trait":
            if name not in traits:
                b.error(pos, f"no cast member has the trait {name!r}" + did_you_mean(name, traits))
            continue
        if kind == "place":
            if name not in story.locations and name not in areas:
                b.error(
                    pos,
                    f"unknown location or area {name!r}" + did_you_mean(name, [*story.locations, *areas]),
                )
            continue
        table = known.get(kind)
        if table is None or name in table:
            continue
        b.error(pos, f"unknown {words.get(kind, kind)} {name!r}" + did_you_mean(name, table))


def _check_graph(story: Story, b: _Report) -> None:
    if not story.start:  # a start naming no scene is reported by _check_names
        b.error(b.refs.manifest, "the manifest has no start scene")
    event_scenes = {e.scene for e in story.events}
    for scene in story.scenes.values():
        if scene.location == HERE and scene.id not in event_scenes:
            b.error(
                scene.pos,
                f"scene {scene.id!r} has location: here, but no event leads to it "
                "(here means: where the event interrupted)",
            )
        if scene.ending is None and not scene.choices:
            b.error(scene.pos, f"scene {scene.id!r} is not an ending and has no choices: no way out")
        if scene.ending is not None and scene.choices:
            b.warning(scene.pos, f"ending {scene.id!r} has choices; they are never offered")
        for choice in scene.choices:
            returns = choice.returns or any(o.returns for o in choice.roll)
            if returns and scene.id not in event_scenes:
                b.warning(
                    choice.pos,
                    f"choice {scene.id}/{choice.id} returns, but {scene.id!r} is not an event scene",
                )
    if story.start not in story.scenes:
        return
    reached = reachable_scenes(story)
    for scene in story.scenes.values():
        if scene.id in reached:
            continue
        if scene.ending is not None:
            b.warning(scene.pos, f"ending {scene.id!r} is never reached: no choice or event leads to it")
        else:
            b.warning(scene.pos, f"scene {scene.id!r} is unreachable from the start {story.start!r}")


def _check_flags(story: Story, b: _Report) -> None:
    refs = b.refs
    for name, pos in sorted(refs.flags_read.items()):
        if name in story.flags and name not in refs.flags_set:
            b.warning(pos, f"flag {name!r} is read but never set")
    for name, pos in sorted(refs.flags_set.items()):
        if name in story.flags and name not in refs.flags_read:
            b.warning(pos, f"flag {name!r} is set but never read")
    for name, pos in sorted(refs.defined("flag").items()):
        if name not in refs.flags_read and name not in refs.flags_set:
            b.warning(pos, f"flag {name!r} is declared but never used")
    for name, pos in sorted(refs.counters_read.items()):
        if name in story.counters and name not in refs.counters_set and not story.counters[name]:
            b.warning(pos, f"counter {name!r} is read but never changed")
    for name, pos in sorted(refs.counters_set.items()):
        if name in story.counters and name not in refs.counters_read:
            b.warning(pos, f"counter {name!r} is changed but never read")


def _check_events(story: Story, b: _Report) -> None:
    seen: dict[str, Pos] = {}
    for event in story.events:
        if event.id in seen:
            b.error(event.pos, f"duplicate event id {event.id!r} (first at {seen[event.id]})")
        seen.setdefault(event.id, event.pos)

    def handles(happening: str) -> bool:
        return any(
            e.on == happening and (not e.who or PLAYER in e.who or WHO in e.who) and e.only_if is None
            for e in story.events
        )

    manifest = b.refs.manifest
    if b.refs.bites_player and not handles("turned-zombie"):
        b.error(
            manifest,
            "the player can be bitten, but no event handles the player turning "
            "(on: turned-zombie, who: [player], with no if:)",
        )
    if b.refs.kills_player and not handles("died"):
        b.error(
            manifest,
            "the player can be killed, but no event handles the player dying "
            "(on: died, who: [player], with no if:)",
        )
