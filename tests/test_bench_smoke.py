"""A quick smoke of each benchmark script with small sizes, so none of them rots.

Nothing here is timed: the scripts' figures are only printed. `bench_tui` and
`bench_simulate` (Textual apps and process pools on large stories) are left to the
benchmark pass itself. The inkjs bench runs only where node and an installed inkjs
already are (it installs inkjs with npm otherwise, which a test must not do)."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import fair_engine
from bench.bench_inkjs import OUT, to_ink
from bench.common import synthetic
from game.engine import rules
from game.engine.loader import load_or_raise

REPO = Path(__file__).resolve().parent.parent

SCRIPTS = [
    ["bench.bench_engine", "--story", "story", "--steps", "200", "--repeats", "1"],
    ["bench.bench_engine", "--scenes", "60", "--steps", "200", "--repeats", "2"],
    ["bench.bench_engine_ab", "--story", "tests/fixtures/mini", "--steps", "50", "--rounds", "1"],
    [
        "bench.bench_longrun",
        "--scenes",
        "60",
        "--early",
        "3",
        "--steps",
        "40",
        "--window",
        "2",
        "--rounds",
        "1",
    ],
    ["bench.bench_load", "--scenes", "60", "--repeats", "1"],
    ["bench.bench_replay", "--steps", "20", "--repeat", "1"],
    ["bench.bench_explore", "--max-states", "40", "--story", "tests/fixtures/mini"],
    ["bench.bench_explore_ab", "--max-states", "40", "--story", "tests/fixtures/mini", "--rounds", "1"],
    ["bench.bench_startup", "--runs", "1"],
    ["bench.bench_quantifiers", "--number", "50", "--repeats", "1"],
]


def run_script(args: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize("args", SCRIPTS, ids=[" ".join(a[:2]) for a in SCRIPTS])
def test_bench_script_runs(args: list[str]) -> None:
    out = run_script(args)
    assert "| benchmark |" in out or "|" in out


def test_fair_engine_renders_what_the_engine_renders() -> None:
    # the baseline is only fair if it does the same content work: same text, same choices
    for root in (REPO / "story", synthetic(60)):
        story = load_or_raise(root)
        state = rules.new_game(story, seed=1)
        s = fair_engine.FairState(story, 1)
        fair_engine.enter(story, s, story.start)
        assert fair_engine.text(story, s, story.scenes[s.scene].text) == rules.scene_text(story, state)
        theirs = [(c.id, label, reason is None) for c, label, reason in fair_engine.choices(story, s)]
        ours = [(v.id, v.label, v.available) for v in rules.choices(story, state)]
        assert theirs == ours
        assert fair_engine.play(story, 300, seed=2) > 0


def test_engine_identity_runs() -> None:
    out = run_script(["bench.engine_identity", "--scale", "0.05", "--only", "fixture mini"])
    assert "fixture mini: 2 runs" in out and "all equal" in out


def test_the_synthetic_story_as_ink_has_every_scene_and_choice() -> None:
    root = synthetic(60)
    story = load_or_raise(root)
    ink = to_ink(root)
    knots = [line for line in ink.splitlines() if line.startswith("=== ")]
    assert len(knots) == sum(1 for sid in story.scenes if sid.startswith("s"))
    n_choices = sum(len(sc.choices) for sid, sc in story.scenes.items() if sid.startswith("s"))
    assert sum(1 for line in ink.splitlines() if line.startswith("+ ")) == n_choices


@pytest.mark.skipif(
    shutil.which("node") is None or not (OUT / "node_modules" / "inkjs").is_dir(),
    reason="needs node and inkjs already installed in bench/out/inkjs",
)
def test_bench_inkjs_runs() -> None:
    out = run_script(["bench.bench_inkjs", "--scenes", "40", "--steps", "200", "--repeats", "1"])
    assert "inkjs" in out


def test_synthetic_loop_story_never_ends() -> None:
    story = load_or_raise(synthetic(60, loop=True))
    rng = random.Random(0)
    state = rules.new_game(story, seed=0)
    for _ in range(300):
        views = [v for v in rules.choices(story, state) if v.available]
        assert views, state.scene
        state, _ = rules.choose(story, state, rng.choice(views).id)
