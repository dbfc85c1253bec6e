"""One play-through as the TUI drives it: the current `GameState`, the states before it
(for undo), the `Run` log, and the autosave. No Textual here, so it is tested directly.

The session never decides a rule: `rules.choose` makes each new state, `saves.replay`
rebuilds a loaded run, and undo restores a state the engine made (RNG included).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..engine import rules
from ..engine.model import Story
from ..engine.saves import AUTOSAVE, Replay, Run, SaveError, replay, save_run
from ..engine.state import Event, GameState


@dataclass
class Session:
    story: Story
    state: GameState
    run: Run
    saves_dir: Path | None = None
    autosave_slot: str = AUTOSAVE
    history: list[GameState] = field(default_factory=list)  # states before each step
    last_events: list[Event] = field(default_factory=list)
    last_label: str | None = None
    # When set, autosaves are written by one background thread, in order, and a failure
    # is reported through this callback: a choice then never waits for fsync.
    on_background_error: Callable[[str], None] | None = None
    _writer: ThreadPoolExecutor | None = field(default=None, repr=False)

    # -- starting ------------------------------------------------------------------

    @classmethod
    def new(cls, story: Story, seed: int, name: str | None, saves_dir: Path | None) -> Session:
        state = rules.new_game(story, seed=seed, player_name=name)
        session = cls(story, state, Run.start(story, state), saves_dir)
        session.last_events = [e for e in state.log if e.visible]
        return session

    @classmethod
    def from_run(cls, story: Story, run: Run, saves_dir: Path | None) -> tuple[Session, Replay]:
        """Replay a saved run. Returns the session on the last step that fits this
        story, and the replay (its `divergence` and `verified` say how well it fit)."""
        result = replay(story, run)
        states = result.states
        steps = len(states) - 1
        if steps < len(run.steps):
            run = run.truncated(steps, story, states[-1])
        session = cls(story, states[-1], run, saves_dir, history=list(states[:-1]))
        if result.events:
            session.last_events = [e for e in result.events[-1] if e.visible]
        if run.steps:
            session.last_label = run.steps[-1].label
        return session, result

    # -- playing -------------------------------------------------------------------

    @property
    def ended(self) -> bool:
        return rules.is_ended(self.story, self.state)

    def choices(self) -> list[rules.ChoiceView]:
        return rules.choices(self.story, self.state)

    def choose(self, view: rules.ChoiceView, save: bool = True) -> tuple[list[Event], str | None]:
        """Take an available choice. Returns the visible events and an autosave error.
        With `save=False` the caller autosaves itself (the app does it after the new
        scene is on screen)."""
        before = self.state
        scene_id = before.scene
        after, events = rules.choose(self.story, before, view.id)
        self.history.append(before)
        self.state = after
        self.run = self.run.record(self.story, scene_id, view.id, view.label, after)
        self.last_events = [e for e in events if e.visible]
        self.last_label = view.label
        return self.last_events, self.autosave() if save else None

    @property
    def can_undo(self) -> bool:
        return bool(self.history)

    def undo(self) -> str | None:
        """Back one choice: the exact state before it, RNG included. Returns an
        autosave error, if any."""
        if not self.history:
            return None
        self.state = self.history.pop()
        self.run = self.run.truncated(len(self.history), self.story, self.state)
        self.last_events = []
        self.last_label = self.run.steps[-1].label if self.run.steps else None
        return self.autosave()

    # -- saving --------------------------------------------------------------------

    def autosave(self) -> str | None:
        if self.saves_dir is None:
            return None
        report = self.on_background_error
        if report is None:
            return self.save(self.autosave_slot)
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        saves_dir, slot, run = self.saves_dir, self.autosave_slot, self.run

        def write() -> None:
            error = _write(saves_dir, slot, run)
            if error:
                report(error)

        self._writer.submit(write)
        return None

    def flush(self) -> None:
        """Wait for background autosaves (call before the program exits)."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None

    def save(self, slot: str) -> str | None:
        """Save to a slot; returns None, or the error to show (the game goes on)."""
        if self.saves_dir is None:
            return "saving is off for this run"
        return _write(self.saves_dir, slot, self.run)

    # -- live reload ---------------------------------------------------------------

    def restory(self, story: Story) -> str | None:
        """Replay this run onto an edited story (by ids), keeping the player where
        they were. Returns where it diverged; the player then stays on the last step
        that still fits."""
        fresh, result = Session.from_run(story, self.run, self.saves_dir)
        self.story = fresh.story
        self.state = fresh.state
        self.run = fresh.run
        self.history = fresh.history
        self.last_events = fresh.last_events
        self.last_label = fresh.last_label
        return result.divergence


def _write(saves_dir: Path, slot: str, run: Run) -> str | None:
    try:
        save_run(saves_dir, slot, run)
    except SaveError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot save to {saves_dir}: {exc.strerror or exc}"
    return None
