"""Witnesses: what `explore` found, as saves that `hyosan replay --verify` replays
exactly. Each is the shortest path the search found (from a new game; a search that
began from a save has that save's steps in front), every forced roll outcome recorded
in its step. A witness stops where the finding is: at the ending, in the softlocked
scene, where a loop is entered, or where a never-true condition was evaluated."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..engine.model import Story
from .explorereport import Exploration, Move


def witness_run(story: Story, seed: int, moves: list[Move], player_name: str | None = None) -> Any:
    """The moves as a saves.Run (each forced roll outcome recorded in its step)."""
    from ..session import Session

    session = Session.new(story, seed, player_name, None)
    for move in moves:
        session.choose(move.choice, save=False, outcome=move.outcome)
    return session.run


def _write(result: Exploration, folder: Path, slot: str, moves: list[Move]) -> Path:
    from ..engine.saves import save_run

    run = witness_run(result.story, result.seed, result.prefix + moves, result.player_name)
    return save_run(folder, slot[:64], run)


def write_witnesses(result: Exploration, folder: Path) -> dict[str, Path]:
    """One save per ending reached, slot `ending-<scene id>`; SaveError if the folder fails."""
    return {
        scene_id: _write(result, folder, "ending-" + scene_id, found.moves)
        for scene_id, found in sorted(result.endings.items())
    }


def write_problem_witnesses(
    result: Exploration, folder: Path, only: frozenset[str] | None = None
) -> dict[str, Path]:
    """One save per softlock (`softlock-<scene>`), endless loop (`loop-<entry scene>`)
    and never-true condition (`never-true-<file>-<line>`), keyed `kind:what`."""
    written: dict[str, Path] = {}
    for scene_id, found in sorted(result.softlocks.items()):
        if only is None or scene_id in only:
            written[f"softlock:{scene_id}"] = _write(result, folder, "softlock-" + scene_id, found.moves)
    for scene_id, found in sorted(result.traps.items()):
        scenes = result.trap_scenes.get(scene_id, [])
        if only is None or scene_id in only or any(s in only for s in scenes):
            written[f"loop:{scene_id}"] = _write(result, folder, "loop-" + scene_id, found.moves)
    never = {row["pos"] for row in result.to_dict(only)["conditions_never_true"]}
    for slot, seen in sorted(result.seen.items()):
        condition = result.probe.conditions[slot]
        if str(condition.pos) not in never:
            continue
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(condition.pos.path).stem).strip("-.") or "story"
        slot_name = f"never-true-{stem}-{condition.pos.line}-{condition.pos.col}"
        written[f"never-true:{condition.pos}"] = _write(result, folder, slot_name, seen.moves)
    return written
