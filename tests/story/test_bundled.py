"""The bundled story: compiles clean, its own story tests pass, and it keeps the shape
the issues ask of it (acts, endings, the infection exercised)."""

from __future__ import annotations

import subprocess
import sys

from game.engine.effects import Bite, walk
from game.engine.loader import load_story
from game.engine.model import Story
from tests.conftest import REPO


def test_check_reports_nothing() -> None:
    result = load_story(REPO / "story")
    assert [str(d) for d in result.diagnostics] == []
    assert result.stats.scenes >= 120 and result.stats.endings >= 12
    assert result.stats.words >= 40_000


def test_story_tests_pass() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "game", "test", str(REPO / "story")], capture_output=True, text=True, cwd=REPO
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_act_and_the_infection_are_there(bundled: Story) -> None:
    areas = {bundled.locations[s.location].area for s in bundled.scenes.values() if s.location in bundled.locations}
    assert {"school", "city", "quarantine"} <= areas
    ops = set()
    for scene in bundled.scenes.values():
        effects = list(scene.on_enter)
        for choice in scene.choices:
            effects += choice.effects
            for outcome in choice.roll:
                effects += outcome.effects
        for effect in walk(tuple(effects)):
            ops.add((effect.op, effect.concealed if isinstance(effect, Bite) else None))
    assert ("bite", False) in ops and ("bite", True) in ops  # open and concealed bites
    happenings = {e.on for e in bundled.events}
    assert {"turned-zombie", "turned-hambie", "hunger-crisis", "bite-discovered"} <= happenings
