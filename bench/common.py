"""Shared helpers for the benchmarks: timing, a cached synthetic story, Markdown rows."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import generate  # noqa: E402


def synthetic(n_scenes: int, seed: int = 1, loop: bool = False) -> Path:
    """A synthetic story, generated once per machine into the temp folder."""
    out = Path(tempfile.gettempdir()) / f"hyosan-synth-{n_scenes}-{seed}{'-loop' * loop}"
    if not (out / "story.yaml").is_file():
        generate(out, n_scenes, seed, loop=loop)
    return out


def interleaved(
    ours: Callable[[], object], baseline: Callable[[], object], repeats: int
) -> tuple[list[float], list[float]]:
    """Time both alternately so machine noise hits them alike."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeats):
        t = time.perf_counter()
        baseline()
        b.append(time.perf_counter() - t)
        t = time.perf_counter()
        ours()
        a.append(time.perf_counter() - t)
    return a, b


def median(values: list[float]) -> float:
    return statistics.median(values)
