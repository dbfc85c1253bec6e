"""The list of saves in a folder (`hyosan saves`, the load screen), each replayed to say
whether it still fits the story."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..model import Story
from ..rules import location
from .file_format import SaveError
from .replay import replay
from .store import SUFFIX, load_run

# -- listing --------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveInfo:
    slot: str
    path: Path
    player: str
    scene: str
    day: int
    time: str
    alive: int  # of `total`: alive anywhere when the run replayed exactly (see save_info)
    total: int  # members the player met, the player included
    outcome: str | None
    updated: str
    status: str  # "ok" | "damaged" | "changed story"
    error: str | None
    place: str = ""  # the place's name where the replay stands ("" when not replayed)


def save_info(path: Path, story: Story | None = None) -> SaveInfo:
    """One save's line in the list. With a story, the run is replayed to check it."""
    slot = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.name
    try:
        run = load_run(path)
    except SaveError as exc:
        try:
            mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except OSError:
            mtime = ""
        return SaveInfo(slot, path, "", "", 0, "", 0, 0, None, mtime, "damaged", str(exc))
    snap = run.snapshot or {}
    status, error = "ok", None
    # The snapshot's count is of those alive *with the party*: 0 once the player has died
    # or turned, however many went on. A run that replays exactly gives the truth instead:
    # everyone the player met who is alive anywhere (a hambie too), the player included.
    alive = int(snap.get("alive", 0))
    place = ""
    if story is not None:
        changed = run.story_digest != story.digest or run.story_title != story.title
        result = replay(story, run)
        if changed:
            status = "changed story"
            error = None if result.verified else result.divergence
            if run.story_title != story.title:
                error = f"made with the story {run.story_title!r}" + (f"; {error}" if error else "")
        elif not result.verified:
            status, error = "damaged", result.divergence
        if result.verified:
            alive = sum(1 for m in result.final.members.values() if m.met and m.alive)
            # an event or ending scene is `location: here`: where it happened is the run's
            where = location(story, result.final)
            if where in story.locations:
                place = story.locations[where].name
    return SaveInfo(
        slot=slot,
        path=path,
        player=run.player_name,
        scene=str(snap.get("scene", "")),
        day=int(snap.get("day", 0)),
        time=str(snap.get("time", "")),
        alive=alive,
        total=int(snap.get("total", 0)),
        outcome=run.outcome,
        updated=run.updated,
        status=status,
        error=error,
        place=place,
    )


def list_saves(saves_dir: Path, story: Story | None = None) -> list[SaveInfo]:
    """Every save in the folder, most recently updated first. A missing folder is empty."""
    folder = Path(saves_dir)
    try:
        paths = sorted(p for p in folder.iterdir() if p.name.endswith(SUFFIX) and not p.name.startswith("."))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise SaveError(f"cannot list the saves in {folder}: {exc.strerror or exc}") from None
    infos = [save_info(p, story) for p in paths if p.is_file()]
    infos.sort(key=lambda info: info.updated, reverse=True)
    return infos
