from __future__ import annotations

import pytest

from game.engine.loader import load_or_raise
from game.engine.model import Story
from tests.conftest import FIXTURES


@pytest.fixture(scope="session")
def flawed() -> Story:
    return load_or_raise(FIXTURES / "flawed")
