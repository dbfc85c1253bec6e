"""Replaying a saved run on the current story (following its `renames:`) and comparing
the result with the save's snapshot: `Replay.divergence` says at which step and why a run
no longer fits."""

from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import rules
from ..model import Story
from ..state import Event, GameState
from .file_format import SNAPSHOT_FIELDS, Run, SaveError, outcome_title, short, snapshot
from .steps import Step
from .store import load_run

# -- replaying ------------------------------------------------------------------------


@dataclass
class Replay:
    states: list[GameState]  # states[0] = new game; states[i] after step i
    events: list[list[Event]]  # events[i] = events of step i (events[0] = start)
    divergence: str | None  # e.g. "step 14: scene 'hallway-2f' no longer has choice 'hide-in-music-room'"
    verified: bool  # replay reproduced the saved snapshot exactly
    choice_ids: list[str] = field(default_factory=list)  # the current story's id of each step's choice

    @property
    def final(self) -> GameState:
        return self.states[-1]


def renamed_scene(story: Story, scene_id: str) -> str:
    """The current id of a scene a save names (following `renames.scenes`, chains too)."""
    seen = 0
    while scene_id in story.scene_renames and seen < 64:
        scene_id = story.scene_renames[scene_id]
        seen += 1
    return scene_id


def renamed_choice(story: Story, saved_scene: str, scene_id: str, choice_id: str) -> str:
    """The current id of a choice. `renames.choices` keys are `scene/old-choice`, the
    scene by its new id or the one the save used."""
    renames = story.choice_renames
    if not renames:
        return choice_id
    for _ in range(64):
        new = renames.get(f"{scene_id}/{choice_id}") or renames.get(f"{saved_scene}/{choice_id}")
        if new is None or new == choice_id:
            break
        choice_id = new
    return choice_id


def replay(story: Story, run: Run) -> Replay:
    """Play the run's steps from its seed on `story` (applying its renames), as far as
    they fit, then compare the result with the run's snapshot."""
    # Every state is kept (the TUI steps back through them): thousands of acyclic objects
    # that the cyclic GC would rescan again and again while they pile up. Pause it.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _replay(story, run)
    finally:
        if paused:
            gc.enable()


def _replay(story: Story, run: Run) -> Replay:
    state = rules.new_game(story, seed=run.seed, player_name=run.player_name)
    states = [state]
    events: list[list[Event]] = [list(state.log)]
    taken: list[str] = []
    result = Replay(states, events, None, False, taken)
    scene_renames = story.scene_renames
    choice_renames = story.choice_renames
    scenes = story.scenes
    choose = rules.choose
    for n, step in enumerate(run.steps, 1):
        saved_scene = step.scene
        scene_id = renamed_scene(story, saved_scene) if scene_renames else saved_scene
        if scene_id != state.scene:
            result.divergence = _scene_mismatch(story, n, state, saved_scene, scene_id)
            return result
        choice_id = step.choice
        if choice_renames:
            choice_id = renamed_choice(story, saved_scene, scene_id, choice_id)
        try:
            state, step_events = choose(story, state, choice_id, step.outcome)
        except rules.ChoiceError as exc:
            result.divergence = _choice_failure(story, n, state, scenes, step, choice_id, exc)
            return result
        states.append(state)
        events.append(step_events)
        taken.append(choice_id)
    result.divergence = _compare(story, run, state)
    result.verified = result.divergence is None
    return result


def _scene_mismatch(story: Story, n: int, state: GameState, saved: str, renamed: str) -> str:
    if rules.is_ended(story, state):
        end = rules.ending(story, state)
        title = f" ({end.title!r})" if end else ""
        return f"step {n}: the run already ended in scene {state.scene!r}{title} but the save goes on"
    message = f"step {n}: replay reached scene {state.scene!r} but the save says {saved!r}"
    if renamed != saved:
        message += f" (renamed {renamed!r})"
    elif renamed not in story.scenes:
        message += f" (the story has no scene {saved!r}: renamed without a `renames:` entry?)"
    return message


def _choice_failure(
    story: Story,
    n: int,
    state: GameState,
    scenes: Mapping[str, Any],
    step: Step,
    choice_id: str,
    exc: rules.ChoiceError,
) -> str:
    scene = scenes.get(state.scene)
    shown = repr(step.choice) if choice_id == step.choice else f"{step.choice!r} (renamed {choice_id!r})"
    if scene is None:
        return f"step {n}: scene {state.scene!r} is not in this story"
    if scene.ending is not None:
        return f"step {n}: the run already ended in scene {scene.id!r} ({scene.ending.title!r})"
    choice = scene.choice(choice_id)
    if choice is None:
        return f"step {n}: scene {scene.id!r} no longer has choice {shown}"
    views = {v.id: v for v in rules.choices(story, state)}
    view = views.get(choice_id)
    if view is None:
        if choice.once and f"{scene.id}/{choice.id}" in state.taken:
            return f"step {n}: choice {shown} in scene {scene.id!r} was already taken (it is once only)"
        condition = f" (its condition `{choice.shown_if.source}` is false)" if choice.shown_if else ""
        return f"step {n}: choice {shown} is not offered in scene {scene.id!r} here{condition}"
    if not view.available:
        return f"step {n}: choice {shown} is locked: {view.reason}"
    return f"step {n}: {exc}"


def _compare(story: Story, run: Run, state: GameState) -> str | None:
    n = len(run.steps)
    where = f"step {n}" if n else "the start"
    saved = run.snapshot
    if saved is None:
        return f"{where}: the save has no snapshot to verify the replay against"
    now = snapshot(story, state)
    saved_scene = saved.get("scene")
    if isinstance(saved_scene, str) and renamed_scene(story, saved_scene) != now["scene"]:
        return f"{where}: replay reached scene {now['scene']!r} but the save says {saved_scene!r}"
    for key, _ in SNAPSHOT_FIELDS:
        if key == "scene":
            continue
        if saved.get(key) != now[key]:
            return (
                f"{where}: the replay does not match the save: {key} is {short(now[key])}, "
                f"the save says {short(saved.get(key))}"
            )
    title = outcome_title(story, state)
    if title != run.outcome:
        return f"{where}: the replay ends {short(title)}, the save says {short(run.outcome)}"
    return None


def verify(story: Story, path: Path) -> tuple[Run, Replay]:
    """Load and replay; SaveError unless the replay reproduces the save exactly."""
    run = load_run(path)
    result = replay(story, run)
    if not result.verified:
        raise SaveError(f"{path}: {result.divergence}")
    return run, result
