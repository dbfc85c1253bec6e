"""The engine, the checker and line mode never import Textual or Rich.

Each check runs in a fresh interpreter, so nothing imported by other tests can hide a
leak."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def engine_modules() -> list[str]:
    """Every module of the engine package, found on disk (a new module is covered
    without editing this list)."""
    import game.engine

    found = ["game.engine"]
    for info in pkgutil.walk_packages(game.engine.__path__, "game.engine."):
        found.append(info.name)
    return sorted(found)


# outside the engine: the other modules that must stay headless
HEADLESS_OUTSIDE = [
    "game.session",
    "game.plain",
    "game.cli",
    "game.commands.check",
    "game.commands.play",
    "game.tools.statekey",
]


def test_engine_modules_are_discovered() -> None:
    found = engine_modules()
    on_disk = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "game" / "engine").rglob("*.py")
    }
    assert set(found) == on_disk
    assert {"game.engine.rules", "game.engine.loader.load", "game.engine.saves.store"} <= set(found)


def _leaks(modules: list[str]) -> str:
    """Import the modules one by one in a fresh interpreter; the first that brings in
    Textual or Rich, with what it brought, or ''."""
    code = (
        "import sys, importlib\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "    if bad:\n"
        "        print(name, 'imports', ','.join(bad[:5]))\n"
        "        break\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stdout.strip()


def test_engine_does_not_import_textual_or_rich() -> None:
    assert _leaks(engine_modules()) == ""


@pytest.mark.parametrize("module", HEADLESS_OUTSIDE)
def test_module_does_not_import_textual_or_rich(module: str) -> None:
    assert _leaks([module]) == ""


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
