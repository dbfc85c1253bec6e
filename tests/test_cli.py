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


def test_version_flags_print_the_package_version() -> None:
    from importlib.metadata import version

    import game

    for flag in ("-V", "--version"):
        out = hyosan(flag)
        assert out.returncode == 0 and out.stdout == f"hyosan {game.__version__}\n"
    assert game.__version__ == version("hyosan")


def test_unknown_command_suggests_the_nearest() -> None:
    out = hyosan("chekc")
    assert out.returncode == 2
    assert out.stderr.startswith("hyosan: unknown command 'chekc'; did you mean 'check'?")
    assert out.stderr.count("\n") == 1
    out = hyosan("qqqq")
    assert out.returncode == 2 and "did you mean" not in out.stderr and "commands: check," in out.stderr


def test_piped_reports_are_never_wrapped(tmp_path: Path) -> None:
    # a witness folder far longer than 80 columns: every path must stay on its line
    deep = tmp_path / ("a-long-folder-name-" * 6) / "witnesses"
    out = hyosan("explore", MINI, "--witness-dir", str(deep))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert f"hyosan replay {deep}/ending-dead-end.json --verify --story {MINI}" in out.stdout
    assert any(f"{deep}/ending-street-end.json: start/bite-bo hall/out" in line for line in lines)
    assert f"  {MINI}/scenes/main.yaml:15:9: start/shoot: always locked: Not enough arrows." in lines
    assert "\x1b[" not in out.stdout  # no colour codes in a pipe either
    sim = hyosan("simulate", MINI, "--runs", "20", "--jobs", "1")
    header = sim.stdout.splitlines()[0]
    assert header.startswith("Mini: 20 runs, seed 0, strategy random:") and header.endswith("steps/s)")


def test_tables_fit_the_terminal_they_are_shown_on(tmp_path: Path) -> None:
    """On a real terminal (a pty 60 columns wide) Rich keeps to its width: tables stay
    tables, folded to fit, rather than lines running past the edge."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 60, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    deep = tmp_path / ("a-long-folder-name-" * 6)
    proc = subprocess.Popen(
        [sys.executable, "-m", "game", "explore", MINI, "--witness-dir", str(deep)],
        stdin=slave, stdout=slave, stderr=slave, cwd=REPO, env={**env, "TERM": "xterm"},
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the pty
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait() == 0
    import re

    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace"))
    table = [line for line in text.splitlines() if line[:1] in "┏┃┡│└"]
    assert table and max(len(line.rstrip("\r")) for line in table) <= 60


def test_saves_help_names_the_folder_in_use(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "HYOSAN_SAVES": str(tmp_path / "mine")}
    out = subprocess.run(
        [sys.executable, "-m", "game", "saves", "--help"], capture_output=True, text=True, cwd=REPO, env=env
    )
    # argparse wraps help text (it may break a long path at a hyphen): compare without spaces
    assert f"defaulthere:{tmp_path / 'mine'};" in "".join(out.stdout.split())


def test_play_in_a_terminal_below_the_minimum_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """On a 40x12 pty, `play` and the TUI `replay` refuse in one line before drawing
    anything, and write no save."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    saves = tmp_path / "saves"
    saved = tmp_path / "run.json"
    made = subprocess.run(
        [sys.executable, "-m", "game", "save", "--story", MINI, "--seed", "3", "--choices", "", "-o", str(saved)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert made.returncode == 0, made.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TEXTUAL_DRIVER")}
    for argv, hint in (
        (["play", "--story", MINI, "--new", "--saves", str(saves)], "`hyosan play --plain`"),
        (["replay", str(saved), "--story", MINI], "`hyosan replay SAVE --headless`"),
    ):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 12, 40, 0, 0))
        proc = subprocess.Popen(
            [sys.executable, "-m", "game", *argv],
            stdin=slave, stdout=slave, stderr=subprocess.PIPE, cwd=REPO, env={**env, "TERM": "xterm"},
        )
        os.close(slave)
        _, err = proc.communicate(timeout=120)
        os.close(master)
        lines = err.decode().strip().splitlines()
        assert proc.returncode == 2, err
        assert lines == [
            f"hyosan: this terminal is 40x12; the game needs at least 60x16 (make it larger, or use {hint})"
        ]
    assert not saves.exists() or not any(saves.iterdir())
