"""Where things live: the bundled story (checkout or installed wheel) and the saves."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_story_dir() -> Path:
    """The story shipped inside the wheel (`game/story`), else the checkout's `story/`."""
    inside = _PACKAGE / "story"
    if (inside / "story.yaml").is_file():
        return inside
    return _PACKAGE.parent / "story"


def default_saves_dir() -> Path:
    env = os.environ.get("HYOSAN_SAVES")
    if env:
        return Path(env)
    checkout = _PACKAGE.parent / "saves"
    if (_PACKAGE.parent / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "hyosan" / "saves"
