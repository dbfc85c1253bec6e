"""`hyosan play --plain --slot`, `hyosan saves`, `hyosan replay SAVE --headless/--verify/--export`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from game.cli import main
from game.engine import saves

from .helpers import MINI, copy_mini, edit

INPUT = "1\n2\n1\n1\n1\n1\n2\n"  # shut, bite Bo, wait, go on, wait, feed, leave: the end


def plain(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *extra: str, story: Path = MINI
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(INPUT))
    code = main(["play", "--plain", "--story", str(story), "--seed", "5", "--name", "Ha-neul", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_plain_slot_autosaves_without_changing_the_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, without, err = plain(monkeypatch, capsys)
    assert code == 0 and err == ""
    folder = tmp_path / "saves"
    code, with_slot, err = plain(monkeypatch, capsys, "--slot", "scripted", "--saves", str(folder))
    assert code == 0 and err == ""
    # byte-identical but for the last line, which names the slot the run was saved in
    assert with_slot.splitlines()[:-1] == without.splitlines()[:-1]
    assert with_slot.splitlines()[-1] == "Saved as slot scripted."
    assert "THE END: Out" in without
    run = saves.load_run(folder / "scripted.json")
    assert [s.choice for s in run.steps] == ["shut", "bite-bo", "wait", "back", "wait", "feed", "out"]
    assert run.outcome == "Out" and run.player_name == "Ha-neul" and run.seed == 5
    assert saves.load_run(folder / "scripted.json.bak").steps == run.steps[:-1]


def test_plain_slot_honours_hyosan_saves(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("HYOSAN_SAVES", str(tmp_path / "env"))
    assert plain(monkeypatch, capsys, "--slot", "x")[0] == 0
    assert (tmp_path / "env" / "x.json").is_file()


def test_plain_slot_refuses_a_bad_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = plain(monkeypatch, capsys, "--slot", "../escape", "--saves", str(tmp_path))
    assert code == 2 and out == ""
    assert (
        err == "hyosan: --slot: slot name '../escape' is a path: give a plain name, like 'before-the-roof'\n"
    )


def test_plain_goes_on_when_it_cannot_save(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, expected, _ = plain(monkeypatch, capsys)
    (tmp_path / "file").write_text("")
    code, out, err = plain(monkeypatch, capsys, "--slot", "x", "--saves", str(tmp_path / "file" / "saves"))
    assert code == 0 and out.splitlines()[:-1] == expected.splitlines()[:-1]
    assert out.splitlines()[-1] == "The run was not saved."  # the last line does not claim a slot
    assert err.count("\n") == 1  # said once, not after every choice
    assert err.startswith("hyosan: cannot create the saves folder") and "the game goes on" in err


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    folder = tmp_path / "saves"
    assert plain(monkeypatch, capsys, "--slot", "run", "--saves", str(folder))[0] == 0
    return folder


def replay_cli(capsys: pytest.CaptureFixture[str], *args: str, story: Path = MINI) -> tuple[int, str, str]:
    code = main(["replay", *args, "--story", str(story)])
    out, err = capsys.readouterr()
    return code, out, err


def test_verify(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = replay_cli(capsys, "run", "--saves", str(saved), "--verify")
    assert (code, err) == (0, "")
    assert out == f"{saved / 'run.json'}: verified, 7 steps (ended: Out)\n"
    code, out, err = replay_cli(capsys, str(saved / "run.json"), "--verify")  # by path
    assert code == 0


def test_verify_after_a_story_edit(saved: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    story = copy_mini(tmp_path)
    edit(
        story,
        "      - id: wait\n        label: Wait an hour\n        time: 60\n        goto: hall\n",
        "",
        "scenes/main.yaml",
    )
    code, out, err = replay_cli(capsys, "run", "--saves", str(saved), "--verify", story=story)
    assert code == 1 and out == ""
    assert err == f"{saved / 'run.json'}: step 3: scene 'hall' no longer has choice 'wait'\n"
    code, out, err = replay_cli(capsys, "run", "--saves", str(saved), "--headless", story=story)
    assert code == 1
    assert out.rstrip().endswith("The replay stops here: step 3: scene 'hall' no longer has choice 'wait'")
    assert "Step 2. You chose: Bo gets bitten" in out and "Step 3." not in out


def test_headless_transcript(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = replay_cli(capsys, "run", "--saves", str(saved), "--headless")
    assert (code, err) == (0, "")
    assert out.startswith("Mini (seed 5). You are Ha-neul.\nReplay of ")
    for line in (
        "== Room | Day 1, 08:00 ==",
        "The door is open.",
        "Step 1. You chose: Shut the door",
        "  * Bo has been bitten.",
        "  * Bo has turned, but is still Bo: a hambie.",
        "Step 7. You chose: Leave",
        "== THE END: Out ==",
        "Verified: the replay reproduces the saved run (7 steps).",
    ):
        assert line in out.splitlines(), line
    # what happened on the way in is printed before the scene it led to, as play shows it
    # (readers read an outcome printed after the next scene as the story running backwards)
    lines = out.splitlines()
    hall = lines.index("== Hall | Day 1, 08:10 ==")
    assert lines.index("  * Bo has been bitten.", hall) < lines.index("A hall. Time 08:10, day 1.", hall)
    again = replay_cli(capsys, "run", "--saves", str(saved), "--headless")[1]
    assert again == out


@pytest.mark.parametrize("suffix", [".md", ".html", ".svg"])
def test_export(saved: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"run{suffix}"
    code, out, err = replay_cli(capsys, "run", "--saves", str(saved), "--export", str(target))
    assert (code, out, err) == (0, "", "")
    text = target.read_text(encoding="utf-8")
    if suffix == ".md":
        assert text.startswith("# Mini: Ha-neul's run\n")
        assert "## Room \\| Day 1, 08:00" in text and "> **Step 1.** You chose: Shut the door" in text
        assert "- *Bo has been bitten.*" in text and "## THE END: Out" in text
    elif suffix == ".html":
        assert text.lstrip().lower().startswith("<!doctype html>") and "Shut the door" in text
    else:
        assert text.startswith("<svg") and "Step&#160;1." in text


def test_export_refuses_unknown_formats(
    saved: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = replay_cli(capsys, "run", "--saves", str(saved), "--export", str(tmp_path / "x.pdf"))
    assert code == 2 and "use a .md, .html or .svg file" in err
    code, _, err = replay_cli(capsys, "run", "--saves", str(saved), "--export", str(tmp_path / "no" / "x.md"))
    assert code == 1 and err.startswith("hyosan: cannot write")


def test_replay_of_a_damaged_or_missing_save(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (saved / "run.json").write_text('{"format": 1, "st')
    code, out, err = replay_cli(capsys, "run", "--saves", str(saved), "--verify")
    assert code == 1 and out == ""
    assert err.startswith(f"hyosan: {saved / 'run.json'}:1:") and "cut short" in err and "run.json.bak" in err
    assert replay_cli(capsys, "nothing", "--saves", str(saved), "--headless")[0] == 1
    assert replay_cli(capsys, "..", "--saves", str(saved), "--headless")[0] == 1


def test_replay_opens_the_tui(
    saved: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[object] = []

    def fake(story: object, run: object, args: object) -> int:
        seen.append(run)
        return 0

    monkeypatch.setattr("game.tui.app.run_replay", fake)
    monkeypatch.setattr("game.commands.play.has_terminal", lambda: True)
    assert replay_cli(capsys, "run", "--saves", str(saved))[0] == 0
    assert seen == [saves.load_run(saved / "run.json")]


def test_saves_table(
    saved: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "140")
    (saved / "broken.json").write_text("{")
    doc = json.loads((saved / "run.json").read_text())
    doc["story"]["digest"] = "0" * 16
    (saved / "old.json").write_text(json.dumps(doc))
    code = main(["saves", "--saves", str(saved), "--story", str(MINI)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 5}
    assert set(rows) == {"run", "broken", "old"}
    # the place's name, not the scene's id
    assert "Ha-neul" in rows["run"] and "Street" in rows["run"] and "street-end" not in rows["run"]
    assert "Day 1 10:25" in rows["run"]
    assert "3/3" in rows["run"] and "Out" in rows["run"] and rows["run"].rstrip("│ ").endswith("ok")
    assert "damaged" in rows["broken"] and "changed story" in rows["old"]
    assert "broken: " in out and "damaged or cut short" in out
    main(["saves", "--saves", str(tmp_path / "empty"), "--story", str(MINI)])
    assert capsys.readouterr().out == f"No saves in {tmp_path / 'empty'}.\n"
