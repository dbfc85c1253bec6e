from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_tools_import_neither_textual_nor_rich() -> None:
    code = (
        "import sys\n"
        "import game.tools.graph, game.tools.simulate, game.tools.explore, game.tools.storytest, game.tools.schema\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_command_modules_import_light() -> None:
    code = (
        "import sys\n"
        "import game.commands.graph, game.commands.simulate, game.commands.explore, game.commands.test,"
        " game.commands.schema\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'yaml', 'game.engine')]\n"
        "bad += [m for m in sys.modules if m.startswith(('game.engine', 'game.tools'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
