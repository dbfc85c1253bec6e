"""Never lose a run, from the command line and in the store: `play --plain` saves at the
end of input to its own autosave slot and names it, `--continue` / `--load` go on,
`--slot` never writes over another run unless told, a run loaded onto an edited story
plays on in a new slot (the original byte for byte on disk), one writer a slot,
hard-linked backups leave no temp file, and a FIFO or device is refused, not read."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.engine import saves
from game.engine.saves.autosaves import KEEP_AUTOSAVES, autosave_paths, prune_autosaves

from .helpers import MINI, copy_mini, edit, play

FIRST = "1\n2\n"  # shut the door, bite Bo: a run of two steps, not ended


def plain(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    folder: Path,
    moves: str,
    *extra: str,
    story: Path = MINI,
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(moves))
    code = main(["play", "--plain", "--story", str(story), "--seed", "5", "--saves", str(folder), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def last_slot(out: str) -> str:
    line = out.rstrip("\n").splitlines()[-1]
    assert line.startswith("Saved as slot "), line
    return line.removeprefix("Saved as slot ").split(":")[0].rstrip(".")


def test_end_of_input_saves_to_an_autosave_and_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "saves"
    code, out, err = plain(monkeypatch, capsys, folder, FIRST)
    assert code == 0 and err == ""
    slot = last_slot(out)
    assert slot.startswith("autosave-") and f"--load {slot}" in out.splitlines()[-1]
    run = saves.load_run(folder / f"{slot}.json")
    assert [s.choice for s in run.steps] == ["shut", "bite-bo"]
    # a second run gets a slot of its own: the first is still there, whole
    code, out, _ = plain(monkeypatch, capsys, folder, "1\n")
    assert last_slot(out) != slot
    assert saves.load_run(folder / f"{slot}.json").steps == run.steps


def test_continue_and_load_go_on_in_the_same_slot(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "saves"
    slot = last_slot(plain(monkeypatch, capsys, folder, FIRST)[1])
    code, out, err = plain(monkeypatch, capsys, folder, "1\n", "--continue")
    assert (code, err) == (0, "") and "You go on from step 2." in out and last_slot(out) == slot
    assert [s.choice for s in saves.load_run(folder / f"{slot}.json").steps] == ["shut", "bite-bo", "wait"]
    code, out, err = plain(monkeypatch, capsys, folder, "1\n", "--load", slot)
    assert (code, err) == (0, "") and "You go on from step 3." in out and last_slot(out) == slot
    assert len(saves.load_run(folder / f"{slot}.json").steps) == 4
    assert plain(monkeypatch, capsys, tmp_path / "empty", "", "--continue")[0] == 2
    code, _, err = plain(monkeypatch, capsys, folder, "", "--load", "nothing")
    assert code == 1 and err.count("\n") == 1


def test_slot_holding_another_run_is_refused_unless_forced(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "saves"
    assert plain(monkeypatch, capsys, folder, FIRST, "--slot", "mine")[0] == 0
    before = (folder / "mine.json").read_bytes()
    code, out, err = plain(monkeypatch, capsys, folder, "1\n", "--slot", "mine")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "holds another run" in err and "--force" in err
    assert (folder / "mine.json").read_bytes() == before  # the old run is still on disk
    # going on with the same run in its own slot is not "another run"
    code, out, _ = plain(monkeypatch, capsys, folder, "1\n", "--load", "mine", "--slot", "mine")
    assert code == 0 and len(saves.load_run(folder / "mine.json").steps) == 3
    code, out, _ = plain(monkeypatch, capsys, folder, "1\n", "--slot", "mine", "--force")
    assert code == 0 and len(saves.load_run(folder / "mine.json").steps) == 1


def test_loading_onto_an_edited_story_keeps_the_original(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "saves"
    moves = "1\n2\n1\n1\n"  # shut, bite Bo, wait, back: four steps
    assert plain(monkeypatch, capsys, folder, moves, "--slot", "long")[0] == 0
    before = (folder / "long.json").read_bytes()
    story = copy_mini(tmp_path)
    edit(story, "      - id: wait\n", "      - id: linger\n", "scenes/main.yaml")  # no renames: entry
    code, out, err = plain(monkeypatch, capsys, folder, "1\n1\n", "--load", "long", story=story)
    assert code == 0 and err == ""
    assert "The story changed since this run was saved" in out and "stays whole in long" in out
    new_slot = last_slot(out)
    assert new_slot != "long"
    assert (folder / "long.json").read_bytes() == before  # never cut
    assert len(saves.load_run(folder / f"{new_slot}.json").steps) == 4  # 2 that fit + 2 new


def test_a_fifo_or_a_device_is_refused_not_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "saves"
    folder.mkdir()
    os.mkfifo(folder / "pipe.json")
    with pytest.raises(saves.SaveError, match="not a regular file"):
        saves.load_run(folder / "pipe.json")  # returns at once: no writer is waited for
    with pytest.raises(saves.SaveError, match="not a regular file"):
        saves.load_run(Path("/dev/zero"))
    run, _ = play(saves_story(), 5, ["shut"])
    with pytest.raises(saves.SaveError, match="not a regular file"):
        saves.save_run(folder, "pipe", run)
    assert main(["replay", str(folder / "pipe.json"), "--headless", "--story", str(MINI)]) == 1
    assert "not a regular file" in capsys.readouterr().err
    code, _, err = plain(monkeypatch, capsys, folder, "", "--load", str(folder / "pipe.json"))
    assert code == 1 and "not a regular file" in err
    # the saves table passes it by instead of hanging on it
    assert main(["saves", "--saves", str(folder), "--story", str(MINI)]) == 0
    assert "No saves" in capsys.readouterr().out


def saves_story():  # type: ignore[no-untyped-def]
    from game.engine.loader import load_or_raise

    return load_or_raise(MINI)


def test_hard_linked_backup_leaves_no_temp_file(tmp_path: Path) -> None:
    story = saves_story()
    folder = tmp_path / "saves"
    run, _ = play(story, 5, ["shut"])
    target = saves.save_run(folder, "x", run)
    backup = folder / "x.json.bak"
    backup.unlink(missing_ok=True)
    os.link(target, backup)  # what a kill between link and rename, or two writers, leaves
    longer, _ = play(story, 5, ["shut", "bite-bo"])
    saves.save_run(folder, "x", longer)
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) == ["x.json", "x.json.bak"]
    assert saves.load_run(target).steps == longer.steps
    assert saves.load_run(backup).steps == run.steps


HOLDER = """
import sys
from pathlib import Path
from game.engine.saves.store import claim_slot
claim_slot(Path(sys.argv[1]), "shared")
print("ready", flush=True)
sys.stdin.readline()
"""


def test_two_processes_on_one_slot(tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    run, _ = play(saves_story(), 5, ["shut"])
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "ready\n"
        with pytest.raises(saves.SaveError, match="in use by another Hyosan process"):
            saves.save_run(folder, "shared", run)
        assert not (folder / "shared.json").exists()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()
    saves.save_run(folder, "shared", run)  # the claim died with its process
    assert saves.load_run(folder / "shared.json").steps == run.steps


def test_rolling_autosaves_keep_the_newest(tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    run, _ = play(saves_story(), 5, ["shut"])
    for n in range(KEEP_AUTOSAVES + 3):
        path = saves.save_run(folder, f"autosave-2026-{n:02d}", run)
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    saves.save_run(folder, "named", run)
    removed = prune_autosaves(folder)
    assert sorted(removed) == ["autosave-2026-00", "autosave-2026-01", "autosave-2026-02"]
    assert len(autosave_paths(folder)) == KEEP_AUTOSAVES
    assert (folder / "named.json").exists()  # a named slot is never pruned
