"""One play-through: the current `GameState`, the states before it (for undo), the `Run`
log, the autosave, and who to tell when it changes. The one owner of a run: the TUI, plain
mode (`game.plain`), explore's witnesses and loading a save all go through it.

No Textual here (tests/test_import_hygiene.py checks it), so it is tested directly. The
session never decides a rule: `rules.choose` makes each new state, `saves.replay`
rebuilds a loaded run, and undo restores a state the engine made (RNG included).

Front ends redraw from the change notification rather than keeping their own copy:

    session = Session.new(story, seed=3, name=None, saves_dir=None)
    session.subscribe(lambda change: redraw(change.state, change.events))
    session.choose("barricade-door")        # -> listeners get Change("choose", ...)
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .engine import rules
from .engine.model import Story
from .engine.saves import AUTOSAVE, Replay, Run, SaveError, replay, save_run
from .engine.state import Event, GameState
from .undo import History

ChangeKind = Literal["choose", "undo", "load"]


@dataclass(frozen=True)
class Change:
    """What a listener is told after the session's state changed.

    `kind` is "choose" (a step was taken), "undo" (a step was taken back) or "load" (the
    run was replaced: a save loaded, or the story reloaded); `events` are the visible
    events the change brought (none for an undo)."""

    kind: ChangeKind
    state: GameState
    events: list[Event]
    label: str | None  # the label of the last choice taken, if any


Listener = Callable[[Change], None]


@dataclass
class Session:
    story: Story
    state: GameState
    run: Run
    saves_dir: Path | None = None
    autosave_slot: str = AUTOSAVE
    # the states before each step (for undo), every 16th kept and the rest taken again
    # on demand (see `undo.History`); a plain list of states is accepted and kept whole
    history: History = field(default_factory=History)
    last_events: list[Event] = field(default_factory=list)
    last_label: str | None = None
    # When set, autosaves are written by one background thread, in order, and a failure
    # is reported through this callback: a choice then never waits for fsync.
    on_background_error: Callable[[str], None] | None = None
    listeners: list[Listener] = field(default_factory=list, repr=False)
    _writer: ThreadPoolExecutor | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.history.story is None:
            self.history.story = self.story

    # -- starting ------------------------------------------------------------------

    @classmethod
    def new(
        cls,
        story: Story,
        seed: int,
        name: str | None,
        saves_dir: Path | None,
        autosave_slot: str = AUTOSAVE,
    ) -> Session:
        state = rules.new_game(story, seed=seed, player_name=name)
        session = cls(story, state, Run.start(story, state), saves_dir, autosave_slot)
        session.last_events = [e for e in state.log if e.visible]
        return session

    @classmethod
    def from_run(cls, story: Story, run: Run, saves_dir: Path | None) -> tuple[Session, Replay]:
        """Replay a saved run. Returns the session on the last step that fits this
        story, and the replay (its `divergence` and `verified` say how well it fit)."""
        result = replay(story, run)
        return cls.from_replay(story, run, result, len(result.states) - 1, saves_dir), result

    @classmethod
    def from_replay(
        cls, story: Story, run: Run, result: Replay, index: int, saves_dir: Path | None
    ) -> Session:
        """A session at step `index` of a replayed run (the run cut back to that step)."""
        states = result.states
        if index < len(run.steps):
            run = run.truncated(index, story, states[index])
        moves = [(result.choice_ids[i], run.steps[i].outcome) for i in range(index)]
        history = History(story, states[:index], moves)
        session = cls(story, states[index], run, saves_dir, history=history)
        if index < len(result.events):
            session.last_events = [e for e in result.events[index] if e.visible]
        if index > 0:
            session.last_label = run.steps[index - 1].label
        return session

    # -- listening -----------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` after every change; returns a function that stops it."""
        self.listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self.listeners:
                self.listeners.remove(listener)

        return unsubscribe

    def _changed(self, kind: ChangeKind) -> None:
        change = Change(kind, self.state, list(self.last_events), self.last_label)
        for listener in list(self.listeners):
            listener(change)

    # -- playing -------------------------------------------------------------------

    @property
    def ended(self) -> bool:
        return rules.is_ended(self.story, self.state)

    def choices(self) -> list[rules.ChoiceView]:
        return rules.choices(self.story, self.state)

    def choose(
        self, view: rules.ChoiceView | str, save: bool = True, outcome: int | None = None
    ) -> tuple[list[Event], str | None]:
        """Take an available choice (a view from `choices()`, or a choice id). Returns the
        visible events and an autosave error. With `save=False` the caller autosaves
        itself (the app does it after the new scene is on screen). `outcome` forces a
        roll's outcome (explore's witnesses); it is recorded in the run's step."""
        before = self.state
        scene_id = before.scene
        if isinstance(view, str):
            labels = {v.id: v.label for v in rules.choices(self.story, before)}
            choice_id, label = view, labels.get(view, view)
        else:
            choice_id, label = view.id, view.label
        after, events = rules.choose(self.story, before, choice_id, outcome)
        self.history.append(before, choice_id, outcome)
        self.state = after
        self.run = self.run.record(self.story, scene_id, choice_id, label, after, outcome)
        self.last_events = [e for e in events if e.visible]
        self.last_label = label
        self._changed("choose")
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
        self._changed("undo")
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

    # -- loading and live reload ----------------------------------------------------

    def load(self, run: Run, story: Story | None = None) -> Replay:
        """Replace this session's run with `run` replayed (on `story`, by default the
        session's own), keeping the listeners. The session lands on the last step that
        fits; the returned replay says how well it fit."""
        fresh, result = Session.from_run(story or self.story, run, self.saves_dir)
        self.story = fresh.story
        self.state = fresh.state
        self.run = fresh.run
        self.history = fresh.history
        self.last_events = fresh.last_events
        self.last_label = fresh.last_label
        self._changed("load")
        return result

    def restory(self, story: Story) -> str | None:
        """Replay this run onto an edited story (by ids), keeping the player where
        they were. Returns where it diverged; the player then stays on the last step
        that still fits."""
        return self.load(self.run, story).divergence


def _write(saves_dir: Path, slot: str, run: Run) -> str | None:
    try:
        save_run(saves_dir, slot, run)
    except SaveError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot save to {saves_dir}: {exc.strerror or exc}"
    return None
