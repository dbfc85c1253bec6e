"""`game.undo.History`: the states before each step, every 16th kept and the rest taken
again on demand, must read exactly like the list of every state it replaces."""

from __future__ import annotations

import random

from bench.common import synthetic
from game.engine.loader import load_or_raise
from game.engine.model import Story
from game.engine.state import GameState
from game.session import Session
from game.tui.widgets.map import trail_of
from game.undo import CHECKPOINT, History


def _check(session: Session, kept: list[GameState]) -> None:
    history = session.history
    assert len(history) == len(kept)
    assert list(history) == kept  # iteration takes the dropped states again in order
    assert all(history[i] == kept[i] for i in range(len(kept)))  # and so does each read
    if kept:
        assert len(history) - 1 in history._kept  # the newest is kept (undo, the party panel)
    assert history.trail(session.state) == trail_of(session.story, [*kept, session.state])


def test_a_long_run_with_undos_reads_like_the_list_of_every_state() -> None:
    story = load_or_raise(synthetic(60, loop=True))
    session = Session.new(story, seed=4, name=None, saves_dir=None)
    every: list[GameState] = []
    pick = random.Random(4)
    for n in range(400):
        if every and pick.random() < 0.15:
            assert session.undo() is None
            assert session.state == every.pop()
        else:
            view = pick.choice([v for v in session.choices() if v.available])
            every.append(session.state)
            session.choose(view, save=False)
        if n % 37 == 0:
            _check(session, every)
    _check(session, every)
    # what it holds: every CHECKPOINT-th state and the newest (and one an undo kept)
    assert len(session.history._kept) <= len(every) // CHECKPOINT + 3
    while every:  # undo all the way back, each state exactly as it was
        session.undo()
        assert session.state == every.pop()
    assert len(session.history) == 0


def test_forced_outcomes_and_a_loaded_run_are_taken_again_exactly(mini: Story) -> None:
    session = Session.new(mini, seed=3, name="Min", saves_dir=None)
    every: list[GameState] = []
    # the forced roll is step 0: every state after it that is not kept needs it again
    for choice, outcome in [("gamble", 1)] + [("wait", None)] * 20:
        every.append(session.state)
        session.choose(choice, save=False, outcome=outcome)
    assert session.run.steps[0].outcome == 1 and 1 not in session.history._kept
    assert len(every) > CHECKPOINT
    _check(session, every)
    loaded, result = Session.from_run(mini, session.run, None)
    assert result.verified and loaded.state == session.state
    _check(loaded, every)


def test_states_given_without_their_moves_are_all_kept(mini: Story) -> None:
    session = Session.new(mini, seed=1, name=None, saves_dir=None)
    states = [session.state]
    history = History(mini, states)
    assert list(history) == states and history._kept == {0: states[0]}
    assert History(mini).trail(session.state) == trail_of(mini, [session.state])
