from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.engine.loader import load_or_raise
from game.engine.model import Story
from game.tui.app import AppOptions, HyosanApp, create_app

WARD = Path(__file__).parent / "fixtures" / "ward"
# key presses that leave Nam-ra a hambie and Su-hyeok (visibly) bitten, seed 7
HAMBIE_AND_BITTEN = ["3", "1", "1", "1", "4"]


@pytest.fixture(scope="session")
def ward() -> Story:
    return load_or_raise(WARD)


@pytest.fixture
def make_app(ward: Story, tmp_path: Path) -> Callable[..., HyosanApp]:
    def build(story: Story | None = None, **options: Any) -> HyosanApp:
        options.setdefault("seed", 7)
        options.setdefault("saves_dir", tmp_path / "saves")
        return create_app(story or ward, AppOptions(**options))

    return build
