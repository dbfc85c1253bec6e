"""`hyosan serve` without a browser: its errors, and one folder per session."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from game.commands import serve
from tests.conftest import REPO


def hyosan(*args: str, code: str = "pass") -> subprocess.CompletedProcess[str]:
    run = f"{code}; from game.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", f"import sys; {run}", *args], capture_output=True, text=True, cwd=REPO, timeout=60
    )


def test_without_the_web_extra_it_says_what_to_install() -> None:
    out = hyosan("serve", code="sys.modules['textual_serve'] = None")
    assert out.returncode == 2
    assert out.stderr == (
        "hyosan serve: textual-serve is not installed; install the web extra: "
        "pip install 'hyosan[web]' (with pipx: pipx inject hyosan textual-serve)\n"
    )


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        out = hyosan("serve", "--port", str(port), "--saves-root", str(tmp_path))
    assert out.returncode == 1
    assert f"hyosan serve: cannot listen on 127.0.0.1:{port}: " in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def test_bad_port_and_broken_story_fail_before_serving(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve")
    assert hyosan("serve", "--port", "70000").returncode == 2
    (tmp_path / "story.yaml").write_text("title: [\n")
    out = hyosan("serve", "--story", str(tmp_path), "--saves-root", str(tmp_path / "web"))
    assert out.returncode == 1 and "has errors" in out.stderr


def test_each_session_gets_a_new_folder(tmp_path: Path) -> None:
    folders = {serve.new_session_folder(tmp_path) for _ in range(5)}
    assert len(folders) == 5 and all(f.parent == tmp_path and f.is_dir() for f in folders)


def test_session_command_survives_spaces(tmp_path: Path) -> None:
    root = tmp_path / "web saves"
    argv = shlex.split(serve.session_command(root, "/a story"))
    assert argv == [sys.executable, "-m", "game.commands.serve", "--session", str(root), "--story", "/a story"]


def test_a_session_plays_in_its_folder_and_leaves_none_if_unused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[list[str], str, str, str]] = []

    def fake_main(argv: list[str]) -> int:
        env = os.environ
        seen.append((argv, env["HYOSAN_SAVES"], env["HYOSAN_CONFIG"], env["HYOSAN_PROFILE"]))
        return 0

    monkeypatch.setattr("game.cli.main", fake_main)
    for var in ("HYOSAN_SAVES", "HYOSAN_CONFIG", "HYOSAN_PROFILE"):
        monkeypatch.setenv(var, "unchanged")  # restored after the test
    assert serve.run_session(["--session", str(tmp_path), "--story", "s"]) == 0
    (argv, saves, conf, profile) = seen[0]
    folder = Path(saves)
    assert argv == ["play", "--saves", saves, "--story", "s"]
    assert folder.parent == tmp_path and conf == str(folder / "config.toml") and profile == saves
    assert list(tmp_path.iterdir()) == []  # nothing was saved, so the folder went
