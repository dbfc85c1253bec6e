"""A save written by the engine before the run's history existed (main at the merge of
engine v2, on tests/fixtures/mini) still loads and verifies: saves are replays, so the
history is recomputed from the seed and the choices."""

from __future__ import annotations

from pathlib import Path

from game.engine.model import Story
from game.engine.saves import verify

OLD = Path(__file__).parent / "fixtures" / "made-before-history.json"


def test_a_save_from_before_the_history_verifies(mini: Story) -> None:
    run, result = verify(mini, OLD)
    assert result.verified, result.divergence
    final = result.states[-1]
    kinds = [(r.kind, r.member) for r in final.history]
    assert ("turned-hambie", "bo") in kinds  # recomputed, not read from the file
    assert "history" not in OLD.read_text()
