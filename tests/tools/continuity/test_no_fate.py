"""An ending whose fate lines all miss a member the player met: the checker says so at
the member's fate, and the ending itself falls back to the story's line (reader AK read
ten blank bullets after the patrol's scatter)."""

from __future__ import annotations

from pathlib import Path

from game.engine.loader import load_or_raise
from game.tools.continuity import collect, report
from game.tools.continuity.sources import build
from tests.engine.test_history import NO_LINE
from tests.storybuild import write_story


def test_a_member_no_fate_line_fits_is_a_finding_at_that_fate(tmp_path: Path) -> None:
    root = write_story(tmp_path, NO_LINE, extra='fates: {alive: "{name} is out there somewhere."}')
    story = load_or_raise(root)
    sources = build(story)
    found = report.findings(collect.collect(story, runs=3, seed=0, jobs=1, sources=sources), sources)
    hits = [f for f in found if f.kind == "no-fate"]
    assert len(hits) == 1, [f.line() for f in found]
    assert "no fate line of 'end-here' fits Bo (healthy)" in hits[0].message
    assert hits[0].pos.path.endswith("scenes.yaml") and hits[0].pos.line > 10
    assert not any("Ana" in f.message for f in hits)  # Ana has no ending line at all: the story's line is hers
