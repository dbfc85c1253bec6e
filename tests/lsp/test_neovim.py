"""Neovim, headless, as a real client (tests/lsp/nvim_smoke.lua): skipped without nvim
or without pygls. Its diagnostics must be `hyosan check`'s lines."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
NVIM = shutil.which("nvim")
SCRIPT = Path(__file__).with_name("nvim_smoke.lua")


@pytest.mark.skipif(NVIM is None, reason="nvim is not installed")
def test_neovim_shows_the_checkers_diagnostics(tmp_path: Path) -> None:
    from game.engine.loader import load_story

    from .story import HALL, write_story

    root = write_story(tmp_path)
    (root / "scenes" / "hall.yaml").write_text(HALL.replace("goto: yard-end", "goto: yard-ned"))
    env = {**os.environ, "STORY_FILE": "two/scenes/hall.yaml", "HYOSAN_LSP": f"{sys.executable} -m game lsp"}
    assert NVIM is not None
    done = subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-c", f"luafile {SCRIPT}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = done.stdout.splitlines()
    expected = [
        f"  two/scenes/hall.yaml:{d.line}:{d.col}: {d.severity}: {d.message}"
        for d in load_story(root).diagnostics
    ]
    assert expected and "diagnostics (received):" in lines, done.stdout + done.stderr
    start = lines.index("diagnostics (received):") + 1
    assert lines[start : start + len(expected)] == expected
    assert any(line.startswith("completion after 'goto: '") and "hall" in line for line in lines), lines
    assert "definition: two/scenes/yard.yaml:2" in lines
