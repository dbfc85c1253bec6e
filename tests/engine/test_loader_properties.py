"""Property: random edits of a valid story file only ever produce the checker's own
diagnostics, never an exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.diagnostics import Diagnostic
from game.engine.loader import load_story
from tests.conftest import FIXTURES

SOURCE = (FIXTURES / "mini" / "scenes" / "main.yaml").read_text()
MANIFEST = (FIXTURES / "mini" / "story.yaml").read_text()

# pieces that make YAML and the format interesting when spliced in
FRAGMENTS = [
    ":",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "&a ",
    "*a",
    "!!python/object ",
    "'",
    '"',
    "\n",
    "  ",
    "\t",
    "#",
    "goto: nowhere",
    "if: ",
    "flag(",
    "present(ana)",
    "{player}",
    "{",
    "}}",
    "- id: start",
    "choices:",
    "roll:",
    "chance: -1",
    "effects: [{bite: who}]",
    "\x00",
    "\u00e9",
    "yes",
    "~",
    "1e999",
    "<<: *a",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "replace", "swap-lines"]))
        pos = draw(st.integers(0, len(text)))
        if kind == "insert":
            text = text[:pos] + draw(st.sampled_from(FRAGMENTS) | st.text(max_size=6)) + text[pos:]
        elif kind == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)) :]
        elif kind == "replace":
            text = text[:pos] + draw(st.sampled_from(FRAGMENTS)) + text[pos + draw(st.integers(1, 8)) :]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


def check_text(manifest: str, scenes: str) -> list[Diagnostic]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "story"
        shutil.copytree(FIXTURES / "mini", root)
        (root / "story.yaml").write_text(manifest, encoding="utf-8", errors="surrogateescape")
        (root / "scenes" / "main.yaml").write_text(scenes, encoding="utf-8", errors="surrogateescape")
        result = load_story(root)
        return result.diagnostics


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(mutated(SOURCE))
def test_mutated_scene_file_gives_only_diagnostics(text: str) -> None:
    diagnostics = check_text(MANIFEST, text)
    for d in diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.severity in ("error", "warning")
        assert d.line >= 1 and d.col >= 1
        assert "Traceback" not in d.message


@SETTINGS
@given(mutated(MANIFEST))
def test_mutated_manifest_gives_only_diagnostics(text: str) -> None:
    for d in check_text(text, SOURCE):
        assert d.severity in ("error", "warning") and d.line >= 1


def test_unmutated_is_clean() -> None:
    assert check_text(MANIFEST, SOURCE) == []
