"""Where things live: the bundled story (checkout or installed wheel), the saves, the
player's data and the config file.

The per-user folders come from platformdirs (installed with Textual), so Linux gets the
XDG folders, macOS `~/Library/Application Support/hyosan` and Windows `%LOCALAPPDATA%`.
platformdirs is imported only when one of those folders is asked for.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "hyosan"
SAVES_ENV = "HYOSAN_SAVES"
CONFIG_ENV = "HYOSAN_CONFIG"
PROFILE_ENV = "HYOSAN_PROFILE"

_PACKAGE = Path(__file__).resolve().parent


def bundled_story_dir() -> Path:
    """The story shipped inside the wheel (`game/story`), else the checkout's `story/`."""
    inside = _PACKAGE / "story"
    if (inside / "story.yaml").is_file():
        return inside
    return _PACKAGE.parent / "story"


def data_dir() -> Path:
    """The per-user data folder (`~/.local/share/hyosan` on Linux)."""
    import platformdirs

    return platformdirs.user_data_path(APP, appauthor=False)


def profile_dir() -> Path:
    """The folder for the player's own files (a profile, not the saves): `$HYOSAN_PROFILE`
    if set (`hyosan serve` gives each browser session its own), else `data_dir()`.
    The profile itself sits beside the saves folder in use unless `$HYOSAN_PROFILE` is
    set: see `game.profile.profile_path`."""
    env = os.environ.get(PROFILE_ENV)
    return Path(env) if env else data_dir()


def config_path() -> Path:
    """The config file: `$HYOSAN_CONFIG` if set, else `config.toml` in the per-user config
    folder (`~/.config/hyosan/config.toml` on Linux)."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    import platformdirs

    return platformdirs.user_config_path(APP, appauthor=False) / "config.toml"


def checkout_saves_dir() -> Path | None:
    """`saves/` of a source checkout (the folder holding pyproject.toml), if it exists."""
    checkout = _PACKAGE.parent / "saves"
    if (_PACKAGE.parent / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return None


def default_saves_dir() -> Path:
    """The saves folder when no `--saves` is given. First that applies: `$HYOSAN_SAVES`,
    `saves` in the config file, `saves/` of a checkout, `saves` in `data_dir()`."""
    env = os.environ.get(SAVES_ENV)
    if env:
        return Path(env)
    from .config import load_config

    configured = load_config().saves
    if configured is not None:
        return configured
    return checkout_saves_dir() or data_dir() / "saves"


def saves_help() -> str:
    """The `--saves` help text, naming the folder that is used today."""
    where = _home_relative(default_saves_dir())
    return f"the saves folder (default here: {where}; ${SAVES_ENV} sets another)"


def _home_relative(path: Path) -> str:
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except (ValueError, RuntimeError):  # elsewhere, or no home folder known
        return str(path)
