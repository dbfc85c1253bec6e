"""The one owner of a run: `game.session.Session` (no Textual)."""

from __future__ import annotations

from pathlib import Path

from game.engine import saves
from game.engine.model import Story
from game.session import Change, Session


def test_listeners_hear_choose_undo_and_load(mini: Story, tmp_path: Path) -> None:
    session = Session.new(mini, seed=1, name=None, saves_dir=None)
    heard: list[Change] = []
    stop = session.subscribe(heard.append)
    session.choose("shut")
    assert [c.kind for c in heard] == ["choose"]
    assert heard[0].state is session.state and heard[0].label == "Shut the door"
    assert heard[0].state.flags == {"door-shut"}
    session.undo()
    assert heard[-1].kind == "undo" and heard[-1].events == [] and not heard[-1].state.flags
    session.choose("bite-bo")
    run = session.run
    session.undo()
    replayed = session.load(run)
    assert replayed.verified and heard[-1].kind == "load" and heard[-1].state == session.state
    assert session.run.steps == run.steps and len(session.history) == 1
    stop()
    session.undo()
    assert heard[-1].kind == "load"  # no longer told


def test_choose_by_id_records_a_forced_outcome_and_autosaves(mini: Story, tmp_path: Path) -> None:
    session = Session.new(mini, seed=3, name="Min", saves_dir=tmp_path, autosave_slot="mine")
    events, error = session.choose("gamble", outcome=1)
    assert error is None
    assert [e.text for e in events][:1] == ["Unlucky."]
    assert session.run.steps[-1] == saves.Step("start", "gamble", "Gamble", 1)
    saved = saves.load_run(tmp_path / "mine.json")
    assert saved.steps == session.run.steps and saves.replay(mini, saved).verified


def test_undo_restores_the_exact_state_and_cuts_the_run(mini: Story) -> None:
    session = Session.new(mini, seed=2, name=None, saves_dir=None)
    start = session.state
    session.choose("bite-bo")
    assert session.can_undo
    assert session.undo() is None
    assert session.state is start and session.run.steps == () and not session.can_undo


def test_autosave_error_is_returned_not_raised(mini: Story, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    session = Session.new(mini, seed=1, name=None, saves_dir=blocked / "saves")
    _, error = session.choose("shut")
    assert error is not None and "saves" in error
