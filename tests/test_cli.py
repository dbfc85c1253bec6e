"""The command line as a user types it: exit codes, output, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, REPO

MINI = str(FIXTURES / "mini")


def hyosan(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "game", *args], capture_output=True, text=True, input=stdin, cwd=REPO
    )


def test_check_clean_story_exits_0() -> None:
    out = hyosan("check", MINI)
    assert out.returncode == 0
    assert out.stdout.strip().endswith("0 errors, 0 warnings")


def test_check_errors_exit_1_with_positions(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text("title: X\nstart: a\ncast: {}\nlocations: {}\nbogus: 1\n")
    out = hyosan("check", str(tmp_path))
    assert out.returncode == 1
    assert f"{tmp_path}/story.yaml:5:1: error: unknown field 'bogus' in the manifest" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


def test_check_usage_error_exits_2() -> None:
    out = hyosan("check", "--frobnicate")
    assert out.returncode == 2 and "unrecognized arguments" in out.stderr
    assert hyosan("frobnicate").returncode == 2


def test_check_missing_folder_and_manifest(tmp_path: Path) -> None:
    out = hyosan("check", str(tmp_path / "nope"))
    assert out.returncode == 1 and "no such directory" in out.stdout
    out = hyosan("check", str(tmp_path))
    assert out.returncode == 1 and "no manifest" in out.stdout


def test_check_json_has_diagnostics_and_stats() -> None:
    data = json.loads(hyosan("check", MINI, "--json").stdout)
    assert data["ok"] is True and data["errors"] == 0
    assert data["stats"]["scenes"] == 8 and data["stats"]["endings"] == 3
    assert data["stats"]["words"] > 50 and data["stats"]["cast"] == 3


def test_plain_mode_is_deterministic() -> None:
    first = hyosan("play", "--plain", "--seed", "3", "--story", MINI, stdin="1\n2\n1\n")
    second = hyosan("play", "--plain", "--seed", "3", "--story", MINI, stdin="1\n2\n1\n")
    # identical but for the last line, which names each run's own autosave slot
    first_lines, second_lines = first.stdout.splitlines(), second.stdout.splitlines()
    assert first.returncode == 0 and first_lines[:-1] == second_lines[:-1]
    assert "You chose: Shut the door" in first.stdout
    assert first_lines[-2] == "(end of input)" and first_lines[-1].startswith("Saved as slot autosave-")


def test_plain_mode_reaches_an_ending_and_reports_fates() -> None:
    out = hyosan("play", "--plain", "--seed", "1", "--name", "Ye-jin", "--story", MINI, stdin="3\n2\n")
    assert out.returncode == 0
    assert "== THE END: Out ==" in out.stdout
    assert "Survivors:" in out.stdout and "Ye-jin" in out.stdout


def test_plain_mode_rejects_bad_input_and_locked_choices() -> None:
    out = hyosan("play", "--plain", "--seed", "1", "--story", MINI, stdin="x\n99\n2\n")
    assert "Type a number from 1 to 7." in out.stdout
    assert "That choice is locked: Not enough arrows." in out.stdout


def test_play_with_a_broken_story_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text("title: [\n")
    out = hyosan("play", "--plain", "--story", str(tmp_path))
    assert out.returncode == 1
    assert "YAML syntax" in out.stderr and "Traceback" not in out.stderr
