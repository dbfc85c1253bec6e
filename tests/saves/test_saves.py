"""Saves: the file, slot names, atomic writes, replay and verification, the listing."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from game.engine import rules, saves
from game.engine.loader import load_or_raise
from game.engine.model import Story
from game.engine.saves import AUTOSAVE, Run, SaveError, Step
from game.engine.state import GameState

from . import helpers
from .helpers import copy_mini, edit, play, wander

HAMBIE_RUN = ["shut", "bite-bo", "wait", "back", "wait", "feed", "out"]


# -- slot names -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["autosave", "a", "Before the roof", "run_2.b-c", "9" * 64, "x.json"])
def test_good_slot_names(name: str) -> None:
    assert saves.check_slot_name(name) == name


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "needs a name"),
        ("../x", "is a path"),
        ("..", "'..'"),
        ("a..b", "'..'"),
        ("/abs", "is a path"),
        ("/etc/passwd", "is a path"),
        ("a/b", "is a path"),
        ("a\\b", "is a path"),
        ("bell\x07", "control character"),
        ("new\nline", "control character"),
        ("tab\t", "control character"),
        ("del\x7f", "control character"),
        ("x" * 65, "too long"),
        (".hidden", "not allowed"),
        (" lead", "not allowed"),
        ("-dash", "not allowed"),
        ("star*", "not allowed"),
        ("한글", "not allowed"),
    ],
)
def test_bad_slot_names_are_refused_in_one_line(name: str, says: str, tmp_path: Path) -> None:
    with pytest.raises(SaveError) as info:
        saves.check_slot_name(name)
    assert says in str(info.value)
    assert "\n" not in str(info.value)
    with pytest.raises(SaveError):
        saves.slot_path(tmp_path, name)
    run, _ = play(load_or_raise(copy_mini(tmp_path)), 1, [])
    with pytest.raises(SaveError):
        saves.save_run(tmp_path / "saves", name, run)
    assert not (tmp_path / "saves").exists() or not any((tmp_path / "saves").iterdir())


# -- round trips ----------------------------------------------------------------------


def test_round_trip_through_text_and_file(mini: Story, tmp_path: Path) -> None:
    run, states = play(mini, 5, HAMBIE_RUN)
    assert run.outcome == "Out"
    assert saves.loads_run(saves.dumps_run(run)) == run
    path = saves.save_run(tmp_path, "one", run)
    assert path == tmp_path / "one.json"
    assert saves.load_run(path) == run
    result = saves.replay(mini, saves.load_run(path))
    assert result.verified and result.divergence is None
    assert [s.to_dict() for s in result.states] == [s.to_dict() for s in states]
    assert len(result.events) == len(HAMBIE_RUN) + 1
    assert result.choice_ids == HAMBIE_RUN


def test_file_is_readable_json_with_one_step_per_line(mini: Story, tmp_path: Path) -> None:
    run, _ = play(mini, 5, HAMBIE_RUN, name="김하늘")
    text = saves.save_run(tmp_path, "one", run).read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["format"] == saves.SAVE_FORMAT and data["min_loadable"] == saves.MIN_LOADABLE
    assert data["story"] == {"title": "Mini", "digest": mini.digest}
    assert data["player"] == "김하늘" and "김하늘" in text  # not \u-escaped
    step_lines = [line for line in text.splitlines() if line.strip().startswith('{"scene"')]
    assert len(step_lines) == len(HAMBIE_RUN)
    assert json.loads(step_lines[0].rstrip(",")) == {
        "scene": "start",
        "choice": "shut",
        "label": "Shut the door",
    }
    assert data["snapshot"]["party"]["bo"] == "hambie"


def test_a_new_game_round_trips(mini: Story, tmp_path: Path) -> None:
    run, _ = play(mini, 0, [])
    loaded = saves.load_run(saves.save_run(tmp_path, AUTOSAVE, run))
    assert loaded == run and loaded.steps == ()
    assert saves.replay(mini, loaded).verified


def test_many_seeded_runs_replay_exactly(mini: Story) -> None:
    for seed in range(40):
        run, states = wander(mini, seed, 30)
        result = saves.replay(mini, saves.loads_run(saves.dumps_run(run)))
        assert result.verified, (seed, result.divergence)
        assert result.states[-1] == states[-1]


def test_a_forced_roll_outcome_replays(mini: Story) -> None:
    """explore's witnesses force roll outcomes: the step keeps the index."""
    state = rules.new_game(mini, seed=3)
    run = Run.start(mini, state)
    for outcome in (1, 0):
        state = rules.new_game(mini, seed=3)
        after, _ = rules.choose(mini, state, "gamble", outcome=outcome)
        forced = run.record(mini, "start", "gamble", "Gamble", after, outcome=outcome)
        assert forced.steps[0] == Step("start", "gamble", "Gamble", outcome)
        loaded = saves.loads_run(saves.dumps_run(forced))
        assert saves.replay(mini, loaded).verified
        assert (after.player.injured) == (outcome == 1)


def test_truncated_run_is_undo(mini: Story) -> None:
    run, states = play(mini, 5, HAMBIE_RUN)
    back = run.truncated(3, mini, states[3])
    assert back.steps == run.steps[:3] and back.created == run.created and back.outcome is None
    result = saves.replay(mini, back)
    assert result.verified and result.states[-1] == states[3]  # RNG included
    with pytest.raises(ValueError):
        run.truncated(99, mini, states[3])


def test_save_keeps_the_previous_version_as_bak(mini: Story, tmp_path: Path) -> None:
    first, _ = play(mini, 5, HAMBIE_RUN[:2])
    second, _ = play(mini, 5, HAMBIE_RUN[:4])
    saves.save_run(tmp_path, "slot", first)
    assert not (tmp_path / "slot.json.bak").exists()
    saves.save_run(tmp_path, "slot", second)
    assert saves.load_run(tmp_path / "slot.json") == second
    assert saves.load_run(tmp_path / "slot.json.bak") == first
    # (plus the slot's lock file, `.slot.lock`: one writer a slot)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock") == ["slot.json", "slot.json.bak"]


# -- versions and damage --------------------------------------------------------------


def _doc(run: Run) -> dict[str, object]:
    return json.loads(saves.dumps_run(run))


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"min_loadable": 2, "format": 2}, "made by a newer Hyosan"),
        ({"format": 0, "min_loadable": 0}, "too old"),
        ({"format": "1"}, "'format' is \"1\""),
        ({"seed": 1.5}, "'seed' is 1.5"),
        ({"seed": True}, "'seed' is true"),
        ({"steps": [{"scene": "start"}]}, "step 1: damaged: no 'choice' field"),
        ({"steps": ["start/shut"]}, "step 1: damaged: expected"),
        ({"steps": [{"scene": "start", "choice": "gamble", "label": "", "outcome": "1"}]}, "'outcome'"),
        ({"created": "yesterday"}, "'created' is not a date"),
        ({"snapshot": {"scene": "start"}}, "snapshot: damaged: no 'day' field"),
        ({"story": "Mini"}, "'story' is"),
    ],
)
def test_damaged_fields_are_one_line_errors(mini: Story, change: dict[str, object], says: str) -> None:
    run, _ = play(mini, 5, HAMBIE_RUN[:2])
    doc = _doc(run)
    doc.update(change)
    with pytest.raises(SaveError) as info:
        saves.loads_run(json.dumps(doc), "x.json")
    assert says in str(info.value) and "\n" not in str(info.value)


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="no such save"):
        saves.load_run(tmp_path / "nope.json")
    with pytest.raises(SaveError, match="is a folder"):
        saves.load_run(tmp_path)
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe{}")
    with pytest.raises(SaveError, match="not UTF-8"):
        saves.load_run(tmp_path / "bin.json")
    (tmp_path / "cut.json").write_text('{"format": 1, "st')
    with pytest.raises(SaveError, match=r"cut.json:1:\d+: damaged or cut short"):
        saves.load_run(tmp_path / "cut.json")
    (tmp_path / "deep.json").write_text("[" * 100_000)
    with pytest.raises(SaveError, match="damaged"):
        saves.load_run(tmp_path / "deep.json")


def test_a_damaged_save_points_at_its_backup(mini: Story, tmp_path: Path) -> None:
    run, _ = play(mini, 5, HAMBIE_RUN[:2])
    saves.save_run(tmp_path, "slot", run)
    saves.save_run(tmp_path, "slot", run)
    (tmp_path / "slot.json").write_text("{")
    with pytest.raises(SaveError, match=r"previous version is in slot\.json\.bak"):
        saves.load_run(tmp_path / "slot.json")


def test_an_edited_snapshot_does_not_verify(mini: Story) -> None:
    run, _ = play(mini, 5, HAMBIE_RUN)
    doc = _doc(run)
    doc["snapshot"]["inventory"] = {"arrows": 5}  # type: ignore[index]
    result = saves.replay(mini, saves.loads_run(json.dumps(doc)))
    assert not result.verified
    assert (
        result.divergence == 'step 7: the replay does not match the save: inventory is {"arrows": 2}, '
        'the save says {"arrows": 5}'
    )
    doc = _doc(run)
    doc["seed"] = 6
    result = saves.replay(mini, saves.loads_run(json.dumps(doc)))
    assert not result.verified and result.divergence and result.divergence.startswith("step ")
    doc = _doc(run)
    doc["snapshot"] = None
    result = saves.replay(mini, saves.loads_run(json.dumps(doc)))
    assert result.divergence == "step 7: the save has no snapshot to verify the replay against"


def test_steps_after_the_ending(mini: Story) -> None:
    run, _ = play(mini, 5, HAMBIE_RUN)
    longer = Run(**{**run.__dict__, "steps": (*run.steps, Step("street-end", "wait", "Wait"))})
    result = saves.replay(mini, longer)
    assert result.divergence == "step 8: the run already ended in scene 'street-end' ('Out')"
    longer = Run(**{**run.__dict__, "steps": (*run.steps, Step("hall", "wait", "Wait"))})
    result = saves.replay(mini, longer)
    assert (
        result.divergence
        == "step 8: the run already ended in scene 'street-end' ('Out') but the save goes on"
    )


# -- divergence against an edited story -----------------------------------------------


def test_removed_choice(mini: Story, tmp_path: Path) -> None:
    run, _ = play(mini, 5, HAMBIE_RUN)
    story_dir = copy_mini(tmp_path)
    edit(
        story_dir,
        "      - id: wait\n        label: Wait an hour\n        time: 60\n        goto: hall\n",
        "",
        "scenes/main.yaml",
    )
    edited = load_or_raise(story_dir)
    result = saves.replay(edited, run)
    assert result.divergence == "step 3: scene 'hall' no longer has choice 'wait'"
    assert not result.verified
    assert len(result.states) == 3  # the new game and the two steps that still fit


def test_locked_choice(mini: Story, tmp_path: Path) -> None:
    run, _ = play(mini, 5, HAMBIE_RUN)
    story_dir = copy_mini(tmp_path)
    edit(
        story_dir,
        "        label: Bo gets bitten\n",
        '        label: Bo gets bitten\n        requires: {if: "item(arrows) >= 3", reason: Bo needs three arrows}\n',
        "scenes/main.yaml",
    )
    result = saves.replay(load_or_raise(story_dir), run)
    assert result.divergence == "step 2: choice 'bite-bo' is locked: Bo needs three arrows"


def test_hidden_and_once_choices(mini: Story, tmp_path: Path) -> None:
    run, _ = play(mini, 5, HAMBIE_RUN)
    story_dir = copy_mini(tmp_path)
    edit(
        story_dir,
        "        label: Bo gets bitten\n",
        "        label: Bo gets bitten\n        if: present(cy)\n",
        "scenes/main.yaml",
    )
    result = saves.replay(load_or_raise(story_dir), run)
    assert result.divergence == (
        "step 2: choice 'bite-bo' is not offered in scene 'start' here (its condition `present(cy)` is false)"
    )
    doubled = Run(**{**run.__dict__, "steps": (run.steps[0], run.steps[0])})
    result = saves.replay(mini, doubled)
    assert result.divergence == "step 2: choice 'shut' in scene 'start' was already taken (it is once only)"


def _rename_hall(story_dir: Path) -> None:
    path = story_dir / "scenes" / "main.yaml"
    text = path.read_text().replace("id: hall\n", "id: corridor\n").replace("goto: hall", "goto: corridor")
    path.write_text(text)


def test_renamed_scene_without_renames_diverges(mini: Story, tmp_path: Path) -> None:
    run, _ = play(mini, 5, HAMBIE_RUN)
    story_dir = copy_mini(tmp_path)
    _rename_hall(story_dir)
    result = saves.replay(load_or_raise(story_dir), run)
    assert result.divergence == (
        "step 3: replay reached scene 'corridor' but the save says 'hall' "
        "(the story has no scene 'hall': renamed without a `renames:` entry?)"
    )


def test_renamed_scene_and_choice_with_renames_verify(mini: Story, tmp_path: Path) -> None:
    run, _ = play(mini, 5, HAMBIE_RUN[:4])  # ends in 'hall', so the snapshot names it too
    story_dir = copy_mini(tmp_path)
    _rename_hall(story_dir)
    edit(story_dir, "      - id: wait\n", "      - id: linger\n", "scenes/main.yaml")
    edit(
        story_dir,
        "events:",
        "renames:\n  scenes: {hall: corridor}\n  choices: {corridor/wait: linger}\nevents:",
    )
    edited = load_or_raise(story_dir)
    assert edited.digest != mini.digest
    result = saves.replay(edited, run)
    assert result.verified, result.divergence
    assert result.choice_ids == ["shut", "bite-bo", "linger", "back"]
    assert result.states[-1].scene == "corridor"
    info = saves.save_info(saves.save_run(tmp_path / "s", "r", run), edited)
    assert (info.status, info.error) == ("changed story", None)


def test_changed_roll_odds_are_caught_by_the_snapshot(mini: Story, tmp_path: Path) -> None:
    seed = next(s for s in range(100) if play(mini, s, ["gamble"])[1][-1].player.injured)
    run, _ = play(mini, seed, ["gamble"])
    story_dir = copy_mini(tmp_path)
    edit(
        story_dir,
        "          - chance: 50\n            modifiers",
        "          - chance: 0\n            modifiers",
        "scenes/main.yaml",
    )
    result = saves.replay(load_or_raise(story_dir), run)
    assert result.divergence is not None
    assert result.divergence.startswith("step 1: the replay does not match the save: party is {")
    assert not result.verified


# -- the listing ----------------------------------------------------------------------


def test_list_saves_statuses(mini: Story, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    assert saves.list_saves(folder) == []
    run, _ = play(mini, 5, HAMBIE_RUN)
    saves.save_run(folder, "ended", run)
    early, _ = play(mini, 5, HAMBIE_RUN[:3])
    saves.save_run(folder, AUTOSAVE, early)
    (folder / "broken.json").write_text('{"format": 1')
    story_dir = copy_mini(tmp_path)
    edit(story_dir, "text: Out.", "text: Out, at last.", "scenes/main.yaml")
    edited = load_or_raise(story_dir)
    by_slot = {i.slot: i for i in saves.list_saves(folder, mini)}
    assert sorted(by_slot) == [AUTOSAVE, "broken", "ended"]
    ended = by_slot["ended"]
    assert (ended.status, ended.player, ended.scene, ended.outcome) == ("ok", "Ha-neul", "street-end", "Out")
    assert (ended.day, ended.time, ended.alive, ended.total) == (1, "10:25", 3, 3)
    assert by_slot["broken"].status == "damaged" and "cut short" in (by_slot["broken"].error or "")
    assert {i.slot: i.status for i in saves.list_saves(folder, edited)} == {
        AUTOSAVE: "changed story",
        "broken": "damaged",
        "ended": "changed story",
    }
    assert {i.slot: i.status for i in saves.list_saves(folder)}["ended"] == "ok"
    edit(story_dir, "      - id: out\n", "      - id: leave\n", "scenes/main.yaml")
    info = {i.slot: i for i in saves.list_saves(folder, load_or_raise(story_dir))}["ended"]
    assert info.status == "changed story" and info.error == "step 7: scene 'hall' no longer has choice 'out'"


def _died_and_saved(tmp_path: Path, old: str, new: str) -> tuple[Story, Path, Run, list[GameState]]:
    """The mini story with one edit, a run where the player dies, saved to a folder."""
    story_dir = copy_mini(tmp_path)
    edit(story_dir, old, new, "scenes/main.yaml")
    story = load_or_raise(story_dir)
    folder = tmp_path / "saves"
    run, states = play(story, 5, ["die"])
    saves.save_run(folder, "dead", run)
    return story, folder, run, states


def test_listing_counts_the_living_after_the_player_is_gone(tmp_path: Path) -> None:
    # The snapshot counts those alive *with the party*: nobody, once the player has died
    # and the ending sent the others on. The list says how many the player met are alive.
    story, folder, run, states = _died_and_saved(
        tmp_path, "    text: You died.\n", "    text: You died.\n    on_enter: [{leave: ana}, {leave: bo}]\n"
    )
    assert states[-1].scene == "dead-end" and run.snapshot and run.snapshot["alive"] == 0
    [checked] = saves.list_saves(folder, story)
    assert (checked.status, checked.alive, checked.total) == ("ok", 2, 3)
    [unchecked] = saves.list_saves(folder)  # no story to replay it on: the snapshot's count
    assert unchecked.alive == 0


def test_listing_names_the_place_of_a_here_scene(tmp_path: Path) -> None:
    # an ending or event scene is `location: here`: the list named the place "here"
    story, folder, _, states = _died_and_saved(
        tmp_path, "  - id: dead-end\n    location: street\n", "  - id: dead-end\n    location: here\n"
    )
    [info] = saves.list_saves(folder, story)
    assert info.scene == "dead-end" and info.place == story.locations[rules.location(story, states[-1])].name
    assert info.place not in ("", "here")


def test_find_save(tmp_path: Path) -> None:
    assert saves.find_save(tmp_path, "autosave") == tmp_path / "autosave.json"
    assert saves.find_save(tmp_path, "some/where.json") == Path("some/where.json")
    with pytest.raises(SaveError):
        saves.find_save(tmp_path, "..")


# -- a folder that refuses the write --------------------------------------------------


def test_read_only_folder(mini: Story, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    run, _ = play(mini, 5, HAMBIE_RUN[:2])
    saves.save_run(folder, "slot", run)
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: a read-only folder is still writable")
        longer, _ = play(mini, 5, HAMBIE_RUN)
        with pytest.raises(SaveError) as info:
            saves.save_run(folder, "slot", longer)
        assert str(info.value) == f"cannot save slot.json in {folder}: the saves folder is read-only"
        assert saves.load_run(folder / "slot.json") == run
    finally:
        folder.chmod(0o755)


def test_unwritable_parent(mini: Story, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    run, _ = play(mini, 5, [])
    with pytest.raises(SaveError, match="cannot create the saves folder"):
        saves.save_run(tmp_path / "file" / "saves", "slot", run)


def test_full_disk_keeps_the_old_save(mini: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run, _ = play(mini, 5, HAMBIE_RUN[:2])
    saves.save_run(tmp_path, "slot", run)

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(saves.store.os, "write", full)
    longer, _ = play(mini, 5, HAMBIE_RUN)
    with pytest.raises(SaveError, match="the disk is full"):
        saves.save_run(tmp_path, "slot", longer)
    monkeypatch.undo()
    assert saves.load_run(tmp_path / "slot.json") == run
    names = sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock")
    assert names == ["slot.json"]  # no temp file left


def test_stale_temp_files_are_swept(mini: Story, tmp_path: Path) -> None:
    stale = tmp_path / ".slot.json.123.abcd.tmp"
    stale.write_text("{")
    os.utime(stale, (1, 1))
    fresh = tmp_path / ".slot.json.456.ef01.tmp"
    fresh.write_text("{")
    saves.save_run(tmp_path, "slot", play(mini, 5, [])[0])
    assert not stale.exists() and fresh.exists()


def test_read_only_folder_message_even_as_root(
    mini: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run, _ = play(mini, 5, [])
    saves.save_run(tmp_path, "slot", run)
    real_open = os.open

    def refuse(path: object, flags: int, mode: int = 0o777) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(saves.store.os, "open", refuse)
    with pytest.raises(SaveError, match="the saves folder is read-only"):
        saves.save_run(tmp_path, "slot", play(mini, 5, ["shut"])[0])
    monkeypatch.undo()
    assert saves.load_run(tmp_path / "slot.json") == run


def test_replay_leaves_the_garbage_collector_as_it_found_it(mini: Story) -> None:
    import gc

    run, _ = play(mini, 5, HAMBIE_RUN)
    assert gc.isenabled()
    saves.replay(mini, run)
    assert gc.isenabled()
    gc.disable()
    try:
        saves.replay(mini, run)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_find_save_prefers_the_slot_then_a_file_here(
    mini: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "loose").write_text("{}")
    folder = tmp_path / "saves"
    assert saves.find_save(folder, "loose") == Path("loose")  # no such slot: the file here
    saves.save_run(folder, "loose", play(mini, 5, [])[0])
    assert saves.find_save(folder, "loose") == folder / "loose.json"
    assert saves.find_save(folder, "missing") == folder / "missing.json"


MADE_BEFORE = Path(__file__).parent / "fixtures" / "made-before-issue-9"


@pytest.mark.parametrize("path", sorted(MADE_BEFORE.glob("*.json")), ids=lambda p: p.stem)
def test_saves_made_by_the_previous_engine_load_and_verify(path: Path) -> None:
    """Written by the engine before issue 9 (typed effects, split loader and saves): the
    save format did not change, so they must still load and replay exactly."""
    story = load_or_raise(helpers.MINI)
    run, result = saves.verify(story, path)
    assert result.verified and len(result.states) == len(run.steps) + 1
    assert saves.dumps_run(run) == path.read_text(encoding="utf-8")  # written the same way, too


def test_the_new_file_is_whole_on_disk_before_it_replaces_the_slot(
    mini: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The order that makes a save atomic: write the temp file, fsync it, keep the old
    save as .bak, rename over the slot, then fsync the folder so the rename lasts."""
    saves.save_run(tmp_path, "slot", play(mini, 5, HAMBIE_RUN[:2])[0])
    real = saves.store.os
    done: list[str] = []
    fd_names: dict[int, str] = {}

    class Watch:
        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def open(self, path: object, flags: int, *mode: int) -> int:
            fd = real.open(path, flags, *mode)
            fd_names[fd] = "folder" if Path(str(path)).is_dir() else "temp"
            return fd

        def fsync(self, fd: int) -> None:
            done.append("fsync " + fd_names.get(fd, "?"))
            real.fsync(fd)

        def replace(self, src: object, dst: object) -> None:
            done.append("replace " + Path(str(dst)).name)
            real.replace(src, dst)

    monkeypatch.setattr(saves.store, "os", Watch())
    longer, _ = play(mini, 5, HAMBIE_RUN)
    saves.save_run(tmp_path, "slot", longer)
    monkeypatch.undo()
    assert done == ["fsync temp", "replace slot.json.bak", "replace slot.json", "fsync folder"]
    assert saves.load_run(tmp_path / "slot.json") == longer
