"""A run made from a seed and a list of choice ids, without playing it by hand: for
`hyosan save`, `explore --from` and tests.

A step is written `choice-id`, `scene-id/choice-id` (the scene is then checked), and
either may end in `#N` to force a roll's outcome N (0-based), the way `explore` prints
its paths. So an explore path pastes straight into `hyosan save --choices`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..engine import rules
from ..engine.model import Story
from ..engine.saves import Run
from ..engine.state import GameState

_STEP = re.compile(r"^(?:(?P<scene>[^/#\s]+)/)?(?P<choice>[^/#\s]+)(?:#(?P<outcome>\d+))?$")


@dataclass(frozen=True, slots=True)
class Step:
    choice: str
    scene: str | None = None
    outcome: int | None = None

    def __str__(self) -> str:
        head = f"{self.scene}/{self.choice}" if self.scene else self.choice
        return head + (f"#{self.outcome}" if self.outcome is not None else "")


class StepError(ValueError):
    """A step that cannot be taken: says which one (1-based), and where the run stood."""

    def __init__(self, number: int, step: str, message: str) -> None:
        super().__init__(f"choice {number} {step!r}: {message}")
        self.number = number
        self.step = step


def parse_steps(text: str) -> list[Step]:
    """`a,b c` -> steps (commas and/or spaces separate them). StepError for a bad one."""
    steps: list[Step] = []
    for n, word in enumerate((w for w in re.split(r"[,\s]+", text.strip()) if w), start=1):
        found = _STEP.match(word)
        if found is None:
            raise StepError(
                n, word, "not a choice id (write id, scene/id, or either with #N for a roll outcome)"
            )
        outcome = found.group("outcome")
        steps.append(
            Step(found.group("choice"), found.group("scene"), None if outcome is None else int(outcome))
        )
    return steps


def play_steps(
    story: Story, seed: int, steps: list[Step], player_name: str | None = None
) -> tuple[Run, GameState]:
    """Play the steps from a new game; the run (as a save records it) and where it ends.
    StepError names the first step that does not fit, the scene and what was offered."""
    state = rules.new_game(story, seed=seed, player_name=player_name)
    run = Run.start(story, state)
    for n, step in enumerate(steps, start=1):
        if step.scene is not None and step.scene != state.scene:
            raise StepError(n, str(step), f"the run is in scene {state.scene!r}, not {step.scene!r}")
        views = rules.choices(story, state)
        try:
            after, _ = rules.choose(story, state, step.choice, outcome=step.outcome)
        except rules.ChoiceError as exc:
            offered = ", ".join(v.id for v in views if v.available) or "nothing"
            why = str(exc)
            scene = story.scenes.get(state.scene)
            hidden = scene.choice(step.choice) if scene is not None else None
            if (
                hidden is not None
                and hidden.shown_if is not None
                and step.choice not in {v.id for v in views}
            ):
                why = f"choice {step.choice!r} is not shown here (if: {hidden.shown_if.source})"
            raise StepError(n, str(step), f"in scene {state.scene!r}: {why} (available: {offered})") from None
        labels = {v.id: v.label for v in views}
        run = run.record(
            story, state.scene, step.choice, labels.get(step.choice, step.choice), after, step.outcome
        )
        state = after
    return run, state
