"""SIGKILL a process in the middle of saving, many times: the slot is always whole."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.engine import saves
from game.engine.loader import load_or_raise

from .helpers import MINI, wander

# Saves the two runs in turn, forever. It says "saving" only once both the slot and its
# .bak exist (two saves done), so whenever the kill lands, both files must be whole: the
# test does not depend on how fast the writer gets going on a loaded machine.
WRITER = """
import sys
from pathlib import Path
from game.engine import saves
folder, a, b = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
runs = [saves.loads_run(a.read_bytes()), saves.loads_run(b.read_bytes())]
saves.save_run(folder, "slot", runs[0])
saves.save_run(folder, "slot", runs[1])
print("saving", flush=True)
i = 0
while True:
    saves.save_run(folder, "slot", runs[i % 2])
    i += 1
"""

KILLS = 60


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_during_saves_leaves_the_old_or_the_new_save(tmp_path: Path) -> None:
    story = load_or_raise(MINI)
    # two runs of different sizes (tens of KB), so a kill can land mid-write
    short, _ = wander(story, 1, 40, prefer=("wait", "back", "feed"))
    long, _ = wander(story, 2, 400, prefer=("wait", "back", "feed", "shut"))
    assert len(long.steps) > len(short.steps)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(saves.dumps_run(short))
    b.write_text(saves.dumps_run(long))
    folder = tmp_path / "saves"
    slot = folder / "slot.json"
    pick = random.Random(4)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    leftovers = 0
    for _ in range(KILLS):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder), str(a), str(b)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == b"saving\n"
        time.sleep(pick.uniform(0, 0.04))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        for path in (slot, folder / "slot.json.bak"):
            run = saves.load_run(path)
            assert run in (short, long), path
            assert saves.replay(story, run).verified
        leftovers += sum(1 for p in folder.iterdir() if p.name.endswith(".tmp"))
        for p in folder.iterdir():
            if p.name.endswith(".tmp"):
                p.unlink()  # so the next count only sees this kill's
    # not an assertion on timing, but worth seeing: how many kills hit mid-write
    print(f"{KILLS} kills, {leftovers} left a temp file behind")
