"""A quick smoke of bench/bench_tui.py (issue 15: every bench script runs in CI with small
sizes so none rots). Nothing is timed: only that each measurement runs and gives one
figure per keypress or start."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench import bench_tui
from game.engine.model import Story

REPO = Path(__file__).resolve().parents[2]


async def test_each_measurement_runs(ward: Story, tmp_path: Path) -> None:
    wall, cpu = await bench_tui.game_latencies(ward, 3, 1, tmp_path)
    assert len(wall) == len(cpu) == 3
    pages = bench_tui.sample_pages(ward, 10)
    wall, cpu = await bench_tui.bare_latencies(pages, 3, 1)
    assert len(wall) == len(cpu) == 3
    first, first_cpu = await bench_tui.first_screen(lambda: bench_tui.BareApp(pages))
    assert first > 0 and first_cpu >= 0


def test_the_script_runs_end_to_end() -> None:
    ward = REPO / "tests" / "tui" / "fixtures" / "ward"
    args = ["--story", str(ward), "--choices", "4", "--rounds", "2", "--starts", "1"]
    done = subprocess.run(
        [sys.executable, "bench/bench_tui.py", *args], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert "ratio of medians" in done.stdout
    assert "first interactive screen" in done.stdout


def test_the_head_to_head_script_runs(tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(REPO / "game", old / "game", ignore=shutil.ignore_patterns("__pycache__"))
    ward = REPO / "tests" / "tui" / "fixtures" / "ward"
    args = ["--old", str(old), "--story", str(ward), "--rounds", "1", "--keys", "2"]
    done = subprocess.run(
        [sys.executable, "bench/bench_tui_ab.py", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "before" in done.stdout and "after" in done.stdout
