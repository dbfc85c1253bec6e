"""Saves: a run written as a portable log (seed + choice ids) that replays and verifies itself.

A save never stores the game state to be loaded back. It stores how to get there (the
seed, the player's name and the choices taken, by id) plus a snapshot of where the run
ended up. Loading replays the steps on the *current* story, applying the story's
`renames:`, and compares the result with the snapshot, so a run is never silently loaded
into a different state: either it verifies, or `Replay.divergence` says at which step
and why it no longer fits.

    run = Run.start(story, state)
    run = run.record(story, state.scene, "barricade-door", "Barricade the door", after)
    save_run(saves_dir, AUTOSAVE, run)           # atomic; the previous version -> .bak
    result = replay(story, load_run(slot_path(saves_dir, AUTOSAVE)))

The file is JSON, one step per line so that two saves diff well (see docs/saves.md).
Pure Python: no Textual, no Rich.

The package: `file_format` (the Run and its JSON), `store` (slots, atomic writes, backups,
reading), `replay` (replay and verification), `listing` (the saves in a folder).
"""

from __future__ import annotations

from .autosaves import AUTOSAVE_PREFIX, KEEP_AUTOSAVES, is_autosave, latest_autosave, new_autosave_slot
from .file_format import (
    MIN_LOADABLE,
    SAVE_FORMAT,
    Run,
    SaveError,
    dumps_run,
    encode_run,
    loads_run,
    snapshot,
    utc_now,
)
from .listing import SaveInfo, list_saves, save_info
from .replay import Replay, renamed_choice, renamed_scene, replay, verify
from .steps import Step
from .store import (
    AUTOSAVE,
    BACKUP_SUFFIX,
    MAX_SAVE_BYTES,
    SUFFIX,
    check_slot_name,
    find_save,
    glob_escape,
    load_run,
    save_run,
    slot_path,
)

__all__ = [
    "AUTOSAVE",
    "AUTOSAVE_PREFIX",
    "KEEP_AUTOSAVES",
    "is_autosave",
    "latest_autosave",
    "new_autosave_slot",
    "BACKUP_SUFFIX",
    "MAX_SAVE_BYTES",
    "MIN_LOADABLE",
    "SAVE_FORMAT",
    "SUFFIX",
    "Replay",
    "Run",
    "SaveError",
    "SaveInfo",
    "Step",
    "check_slot_name",
    "dumps_run",
    "encode_run",
    "find_save",
    "glob_escape",
    "list_saves",
    "load_run",
    "loads_run",
    "renamed_choice",
    "renamed_scene",
    "replay",
    "save_info",
    "save_run",
    "slot_path",
    "snapshot",
    "utc_now",
    "verify",
]
