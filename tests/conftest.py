from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.loader import load_or_raise
from game.engine.model import Story

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def mini() -> Story:
    return load_or_raise(FIXTURES / "mini")


@pytest.fixture(scope="session")
def bundled() -> Story:
    return load_or_raise(REPO / "story")


@pytest.fixture(autouse=True)
def _saves_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """`play --plain` saves even without --slot: never into the checkout's saves/."""
    monkeypatch.setenv("HYOSAN_SAVES", str(tmp_path_factory.mktemp("default-saves")))
