"""What `explore` found, and how it reads: `Exploration` (the result of a search),
`Found` (something found, with the shortest way there), `Move` (one step of a path),
and `to_dict` (what `--json` prints and the tables show), optionally limited to one
part of the story (`--only`)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from ..engine.model import Story


@dataclass(frozen=True, slots=True)
class Move:
    scene: str
    choice: str
    outcome: int | None  # forced roll outcome, None for a plain choice

    def __str__(self) -> str:
        return f"{self.scene}/{self.choice}" + (f"#{self.outcome}" if self.outcome is not None else "")


@dataclass
class Found:
    """Something found at a state, with the shortest way there."""

    scene: str
    moves: list[Move]
    states: int = 1  # how many distinct states showed it
    lap: int = 0  # for a loop that spends clock time: minutes per lap (0: the states repeat)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scene": self.scene,
            "steps": len(self.moves),
            "states": self.states,
            "path": [str(m) for m in self.moves],
        }


@dataclass
class ConditionSeen:
    """A condition's first evaluation: the state's path (from where the search began)."""

    moves: list[Move]
    scene: str


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
    probe: Any = None  # explore.Probe: what every condition evaluated to
    plan: Any = None  # statekey.KeyPlan
    seen: dict[int, ConditionSeen] = field(default_factory=dict)  # condition slot -> first evaluation

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

    def conditions(self, which: str) -> list[dict[str, Any]]:
        """'never-true' (evaluated, always false), 'always-true', or 'never-evaluated'.
        A never-true condition carries the scene and path of its first evaluation."""
        probe = self.probe
        out: list[dict[str, Any]] = []
        for i, condition in enumerate(probe.conditions):
            if which == "never-true":
                hit = probe.evaluated[i] and not probe.true[i]
            elif which == "always-true":
                hit = probe.evaluated[i] and not probe.false[i]
            else:
                hit = not probe.evaluated[i]
            if not hit:
                continue
            row: dict[str, Any] = {"pos": str(condition.pos), "condition": condition.source}
            seen = self.seen.get(i)
            if which == "never-true" and seen is not None:
                row["scene"] = seen.scene
                row["path"] = [str(m) for m in seen.moves]
            out.append(row)
        out.sort(key=lambda d: _pos_sort(d["pos"]))
        return out

    def never_reached(self) -> list[str]:
        return [sid for sid in self.story.scenes if sid not in self.reached]

    def to_dict(self, only: frozenset[str] | None = None) -> dict[str, Any]:
        """The result as data; `only` (scene ids) limits every list to that part."""
        keep = _Part(self.story, only)
        endings = [s for s in self.story.scenes.values() if s.ending is not None and keep.scene(s.id)]
        return {
            "story": self.story.title,
            "seed": self.seed,
            "max_states": self.max_states,
            "order": self.order,
            "started_after": len(self.prefix),
            "states": self.states,
            "transitions": self.transitions,
            "complete": self.complete,
            # when the bound was hit, "never" means "not within this many states"
            "within_states": None if self.complete else self.states,
            "depth": self.depth,
            "frontier": self.frontier,
            "seconds": round(self.seconds, 3),
            "setup_seconds": round(self.setup_seconds, 3),
            "states_per_second": round(self.states / self.seconds) if self.seconds else None,
            "only": None if only is None else len(only),
            "endings": {
                s.id: (
                    {"title": s.ending.title if s.ending else "", **self.endings[s.id].to_dict()}
                    if s.id in self.endings
                    else None
                )
                for s in endings
            },
            "endings_never_reached": [s.id for s in endings if s.id not in self.endings],
            "softlocks": [f.to_dict() for f in self.softlocks.values() if keep.scene(f.scene)],
            "traps": [
                {
                    **f.to_dict(),
                    "scenes": self.trap_scenes.get(entry, []),
                    "lap_minutes": f.lap or None,
                }
                for entry, f in self.traps.items()
                if keep.scene(entry) or any(keep.scene(s) for s in self.trap_scenes.get(entry, []))
            ],
            "choices_never_available": [c for c in self.never_available() if keep.scene(c["scene"])],
            "conditions_never_true": [c for c in self.conditions("never-true") if keep.pos(c["pos"])],
            "conditions_always_true": [c for c in self.conditions("always-true") if keep.pos(c["pos"])],
            "scenes_never_reached": [sid for sid in self.never_reached() if keep.scene(sid)],
            "scenes_total": sum(1 for sid in self.story.scenes if keep.scene(sid)),
        }


class _Part:
    """Which scenes, and which source positions, a report is limited to."""

    def __init__(self, story: Story, only: frozenset[str] | None) -> None:
        self.only = only
        # per file: the start lines of its scenes, and whether each is in the part
        self.starts: dict[str, tuple[list[int], list[bool]]] = {}
        if only is None:
            return
        rows: dict[str, list[tuple[int, bool]]] = {}
        for scene in story.scenes.values():
            rows.setdefault(scene.pos.path, []).append((scene.pos.line, scene.id in only))
        for path, found in rows.items():
            found.sort()
            self.starts[path] = ([line for line, _ in found], [inside for _, inside in found])

    def scene(self, sid: str) -> bool:
        return self.only is None or sid in self.only

    def pos(self, pos: str) -> bool:
        """Whether a source position lies inside one of the part's scenes."""
        if self.only is None:
            return True
        path, line, _ = _pos_sort(pos)
        found = self.starts.get(path)
        if found is None:
            return False
        i = bisect.bisect_right(found[0], line) - 1
        return i >= 0 and found[1][i]


def _pos_sort(pos: str) -> tuple[str, int, int]:
    path, _, rest = pos.partition(":")
    line, _, col = rest.partition(":")
    return (path, int(line or 0), int(col or 0))
