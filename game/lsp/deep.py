"""The continuity checker in the editor: `hyosan continuity --json` in a child process,
its findings turned into warnings beside the checker's diagnostics.

It plays the story many times, so it takes seconds on a small story and minutes on the
bundled one: the editor asks for it with the `hyosan.continuity` command, and on save it
runs again by itself only when its last run on that story took under `ON_SAVE_UNDER`
seconds. It reads the files on disk (the runs are real plays of the saved story).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any

COMMAND = "hyosan.continuity"
ON_SAVE_UNDER = 10.0  # seconds: a faster last run makes the next one run on every save
SOURCE = "hyosan continuity"


@dataclass(frozen=True, slots=True)
class Finding:
    path: str  # absolute
    line: int  # 0-based
    col: int  # 0-based, in characters
    message: str


@dataclass
class Report:
    """The last run on one story: its findings by file, how long it took, and what it
    looked at (runs, states)."""

    by_path: dict[str, list[Finding]] = field(default_factory=dict)
    seconds: float = 0.0
    runs: int = 0
    states: int = 0

    @property
    def count(self) -> int:
        return sum(len(found) for found in self.by_path.values())


class ContinuityError(RuntimeError):
    """The checker could not run (the story does not load, or the process failed)."""


def message(finding: dict[str, Any]) -> str:
    """One finding as the editor shows it: the rule, the message, and the witness run."""
    text = f"{finding['rule']}: {finding['message']}"
    witness = finding.get("witness") or {}
    if witness:
        choices = ",".join(witness.get("choices", []))
        text += f" (witness: hyosan save --seed {witness.get('seed')} --choices {choices})"
    return text


def parse(data: dict[str, Any], cwd: str) -> Report:
    report = Report(
        seconds=float(data.get("seconds", 0.0)),
        runs=int(data.get("runs", 0)),
        states=int(data.get("states", 0)),
    )
    for finding in data.get("findings", []):
        path = os.path.abspath(os.path.join(cwd, finding["path"]))
        report.by_path.setdefault(path, []).append(
            Finding(path, max(int(finding["line"]) - 1, 0), max(int(finding["col"]) - 1, 0), message(finding))
        )
    return report


async def run(root: str, runs: int | None = None) -> Report:
    """Run the continuity checker on the story in `root` (as saved on disk)."""
    args = [sys.executable, "-m", "game", "continuity", root, "--json"]
    if runs:
        args += ["--runs", str(runs)]
    cwd = os.path.dirname(root) or "."
    proc = await asyncio.create_subprocess_exec(
        *args,
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    try:
        data = json.loads(out)
    except ValueError:
        last = err.decode("utf-8", "replace").strip().splitlines()
        raise ContinuityError(last[-1] if last else f"exit {proc.returncode}") from None
    if not isinstance(data, dict):
        raise ContinuityError("unexpected output")
    return parse(data, cwd)
