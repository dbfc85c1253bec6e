"""The engine, the checker and line mode never import Textual or Rich.

Each check runs in a fresh interpreter, so nothing imported by other tests can hide a
leak."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS = [
    "game.engine",
    "game.engine.loader",
    "game.engine.check",
    "game.engine.rules",
    "game.engine.infection",
    "game.engine.state",
    "game.plain",
    "game.cli",
    "game.commands.check",
    "game.commands.play",
]


@pytest.mark.parametrize("module", HEADLESS)
def test_module_does_not_import_textual_or_rich(module: str) -> None:
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')); "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imports {out.stdout.strip()}"


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "tests/fixtures/mini"],
        ["play", "--plain", "--seed", "1", "--story", "tests/fixtures/mini"],
    ],
)
def test_commands_run_without_textual(argv: list[str]) -> None:
    code = (
        "import sys; from game.cli import main; rc = main(sys.argv[1:]); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')); "
        "print('LEAK', ','.join(bad), file=sys.stderr) if bad else None; sys.exit(rc)"
    )
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, input="")
    assert "LEAK" not in out.stderr, out.stderr
    assert out.returncode == 0, out.stderr
