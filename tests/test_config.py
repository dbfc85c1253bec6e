"""The config file and the folders: what wins over what, broken files, remembered themes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from game import config, paths
from tests.conftest import FIXTURES, REPO


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("HYOSAN_CONFIG", str(path))
    monkeypatch.delenv("HYOSAN_SAVES", raising=False)
    config._cache.clear()
    return path


def test_missing_config_is_the_defaults(cfg: Path) -> None:
    assert config.read_config(cfg) == (config.Config(cfg), [])


def test_config_settings_are_read(cfg: Path) -> None:
    cfg.parent.mkdir()
    cfg.write_text('# mine\ntheme = "nord"\nsaves = "runs"\n')
    loaded, problems = config.read_config(cfg)
    assert problems == []
    assert loaded.theme == "nord" and loaded.saves == cfg.parent / "runs"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('theme = "nord\n', ":1:"),
        ("theme = 3\n", "theme must be a non-empty string"),
        ('colour = "red"\n', "unknown setting 'colour' ignored"),
    ],
)
def test_broken_config_is_one_line_and_the_defaults(cfg: Path, text: str, problem: str) -> None:
    cfg.parent.mkdir()
    cfg.write_text(text)
    loaded, problems = config.read_config(cfg)
    assert loaded.theme is None and loaded.saves is None
    assert len(problems) == 1 and problem in problems[0] and "\n" not in problems[0]
    assert problems[0].startswith(str(cfg))


def test_a_broken_config_never_stops_a_command(cfg: Path, tmp_path: Path) -> None:
    cfg.parent.mkdir()
    cfg.write_text("theme = = =\n")
    env = {**os.environ, "HYOSAN_CONFIG": str(cfg)}
    env.pop("HYOSAN_SAVES", None)
    out = subprocess.run(
        [sys.executable, "-m", "game", "saves"], capture_output=True, text=True, cwd=REPO, env=env
    )
    assert out.returncode == 0
    assert out.stderr.count("\n") == 1 and out.stderr.startswith(f"hyosan: {cfg}:1:")
    assert "using the defaults" in out.stderr and "Traceback" not in out.stderr


def test_saves_folder_precedence(cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a checkout with saves/: that is the default, as it always was
    assert paths.default_saves_dir() == REPO / "saves"
    # the config file's folder wins over the checkout's
    cfg.parent.mkdir()
    cfg.write_text(f'saves = "{tmp_path / "from-config"}"\n')
    config._cache.clear()
    assert paths.default_saves_dir() == tmp_path / "from-config"
    # and $HYOSAN_SAVES over both
    monkeypatch.setenv("HYOSAN_SAVES", str(tmp_path / "from-env"))
    assert paths.default_saves_dir() == tmp_path / "from-env"


def test_outside_a_checkout_saves_go_to_the_platform_data_folder(
    cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "checkout_saves_dir", lambda: None)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    if sys.platform.startswith("linux"):
        assert paths.default_saves_dir() == tmp_path / "data" / "hyosan" / "saves"
    assert paths.default_saves_dir() == paths.data_dir() / "saves"
    monkeypatch.setenv("HYOSAN_PROFILE", str(tmp_path / "me"))
    assert paths.profile_dir() == tmp_path / "me"


def test_remember_keeps_comments_and_other_settings(cfg: Path) -> None:
    assert config.remember("theme", "textual-light", cfg) is None
    assert cfg.read_text() == 'theme = "textual-light"\n'
    cfg.write_text('# my settings\ntheme = "textual-light"  # bright\nsaves = "x"\n\n[later]\ntheme = 1\n')
    assert config.remember("theme", "nord", cfg) is None
    text = cfg.read_text()
    assert text.startswith('# my settings\ntheme = "nord"\nsaves = "x"\n')
    assert text.endswith("[later]\ntheme = 1\n")
    assert config.read_config(cfg)[0].theme == "nord"
    assert [p.name for p in cfg.parent.iterdir()] == ["config.toml"]  # no temporary file left


def test_remember_never_overwrites_a_broken_file(cfg: Path) -> None:
    cfg.parent.mkdir()
    cfg.write_text("theme = [\n")
    error = config.remember("theme", "nord", cfg)
    assert error is not None and error.startswith(f"not saved: {cfg}:")
    assert cfg.read_text() == "theme = [\n"


async def test_ctrl_t_is_remembered_and_used_next_time(cfg: Path, tmp_path: Path) -> None:
    from game.engine.loader import load_or_raise
    from game.tui.app import AppOptions, create_app

    story = load_or_raise(FIXTURES / "mini")
    app = create_app(story, AppOptions(seed=1, saves_dir=tmp_path / "s", config=cfg))
    async with app.run_test() as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "textual-light"
    assert config.read_config(cfg)[0].theme == "textual-light"
    again = create_app(story, AppOptions(seed=1, theme=config.read_config(cfg)[0].theme, config=cfg))
    async with again.run_test():
        assert again.theme == "textual-light"


async def test_no_config_file_means_nothing_is_written(tmp_path: Path, cfg: Path) -> None:
    from game.engine.loader import load_or_raise
    from game.tui.app import AppOptions, create_app

    app = create_app(load_or_raise(FIXTURES / "mini"), AppOptions(seed=1))
    async with app.run_test() as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
    assert not cfg.exists()
