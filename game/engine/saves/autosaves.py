"""Rolling autosaves: one slot per run, so starting, loading or continuing a run never
writes over another run.

Each run autosaves to its own slot, `autosave-<UTC date>-<time>-<4 hex>`; the newest
`KEEP_AUTOSAVES` runs are kept (a new run's first save removes the oldest beyond that,
never a slot another process is writing). The legacy single slot `autosave` is still
read (Continue, Load) and counted as an autosave.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from .store import AUTOSAVE, BACKUP_SUFFIX, SUFFIX, slot_in_use

AUTOSAVE_PREFIX = "autosave-"
KEEP_AUTOSAVES = 20


def is_autosave(slot: str) -> bool:
    return slot == AUTOSAVE or slot.startswith(AUTOSAVE_PREFIX)


def slot_of(path: Path) -> str:
    return path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.name


def new_autosave_slot(saves_dir: Path | None = None) -> str:
    """A fresh autosave slot for a new run (never one that exists)."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    while True:
        slot = f"{AUTOSAVE_PREFIX}{stamp}-{secrets.token_hex(2)}"
        if saves_dir is None or not (Path(saves_dir) / (slot + SUFFIX)).exists():
            return slot


def autosave_paths(saves_dir: Path) -> list[Path]:
    """Every autosave in the folder, the most recently written first."""
    try:
        entries = [
            p
            for p in Path(saves_dir).iterdir()
            if p.name.endswith(SUFFIX) and not p.name.startswith(".") and is_autosave(slot_of(p))
        ]
    except OSError:
        return []
    stamped: list[tuple[float, str, Path]] = []
    for path in entries:
        try:
            stamped.append((path.stat().st_mtime, path.name, path))
        except OSError:
            continue
    return [p for _, _, p in sorted(stamped, reverse=True)]


def latest_autosave(saves_dir: Path | None) -> Path | None:
    """What Continue resumes: the autosave written last, if any."""
    if saves_dir is None:
        return None
    paths = autosave_paths(saves_dir)
    return paths[0] if paths else None


def prune_autosaves(saves_dir: Path, keep: int = KEEP_AUTOSAVES, spare: tuple[str, ...] = ()) -> list[str]:
    """Remove the oldest autosaves beyond the newest `keep` (and their backups); never
    one in `spare` or one another process is writing. Returns the slots removed."""
    removed: list[str] = []
    for path in autosave_paths(saves_dir)[keep:]:
        slot = slot_of(path)
        if slot in spare or slot_in_use(saves_dir, slot):
            continue
        for victim in (path, path.with_name(slot + BACKUP_SUFFIX)):
            try:
                os.unlink(victim)
            except OSError:
                pass
        removed.append(slot)
    return removed
