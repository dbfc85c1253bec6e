from __future__ import annotations

import os
from pathlib import Path

import pytest

from game.engine.loader import load_or_raise
from game.engine.model import Story

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _own_config(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads or writes the config file of the person running the tests: the tests,
    and every command they start, use one in a temporary folder (it starts missing)."""
    os.environ["HYOSAN_CONFIG"] = str(tmp_path_factory.mktemp("config") / "config.toml")


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
