"""A damaged save gives a clear one-line error or a verified load, never a traceback."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import saves
from game.engine.loader import load_or_raise
from game.engine.saves import SaveError

from .helpers import MINI, play

STORY = load_or_raise(MINI)
RUN, _ = play(STORY, 5, ["shut", "bite-bo", "wait", "back", "wait", "feed", "out"], name="김하늘")
DATA = saves.dumps_run(RUN).encode("utf-8")
FINAL = saves.replay(STORY, RUN).states[-1]


def outcome(raw: bytes) -> str:
    """'error', 'verified' or 'diverged'; anything else (an exception) fails the test."""
    try:
        run = saves.loads_run(raw, "slot.json")
    except SaveError as exc:
        message = str(exc)
        assert message.startswith("slot.json") and "\n" not in message and len(message) < 300
        return "error"
    result = saves.replay(STORY, run)
    if result.verified:
        assert result.divergence is None
        return "verified"
    assert result.divergence and "\n" not in result.divergence
    assert result.divergence.startswith(("step ", "the start"))
    return "diverged"


def test_the_intact_save_verifies() -> None:
    assert outcome(DATA) == "verified"


def test_truncation_at_every_byte() -> None:
    seen = {outcome(DATA[:n]) for n in range(len(DATA))}
    assert seen <= {"error", "verified"}  # a cut save never loads as something else
    assert outcome(DATA[: len(DATA) - 1]) == "verified"  # only the final newline is optional


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(DATA)), st.binary(max_size=8))
def test_truncated_then_garbage(cut: int, tail: bytes) -> None:
    outcome(DATA[:cut] + tail)


@settings(max_examples=600, deadline=None)
@given(st.integers(0, len(DATA) - 1), st.integers(1, 255))
def test_flipping_any_byte(index: int, xor: int) -> None:
    damaged = bytearray(DATA)
    damaged[index] ^= xor
    result = outcome(bytes(damaged))
    if result == "verified":
        # what changed can only be what the replay does not depend on: a label, a
        # timestamp, the story's recorded title or digest, the JSON layout
        run = saves.loads_run(bytes(damaged))
        assert [(s.scene, s.choice) for s in run.steps] == [(s.scene, s.choice) for s in RUN.steps]
        assert saves.replay(STORY, run).states[-1] == FINAL


def test_every_single_byte_flip_exhaustively() -> None:
    """Every position, three kinds of flip: a low bit, a high bit (breaks UTF-8), a letter."""
    counts = {"error": 0, "verified": 0, "diverged": 0}
    for index in range(len(DATA)):
        for xor in (0x01, 0x80, 0x20):
            damaged = bytearray(DATA)
            damaged[index] ^= xor
            counts[outcome(bytes(damaged))] += 1
    assert counts["error"] > counts["verified"] > 0


def test_json_layout_changes_still_load() -> None:
    data = json.loads(DATA)
    assert outcome(json.dumps(data).encode()) == "verified"
    assert outcome(json.dumps(data, indent=4).encode()) == "verified"
