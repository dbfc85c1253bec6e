"""The player's profile, kept across runs: endings found, each member's fates seen, the
hambie arcs found, the best survivor count and the runs played, one record per story.

A JSON file written atomically like a save (temp file, fsync, `os.replace`), so a crash
never leaves half a profile; a damaged profile is set aside as `profile.json.damaged`
and a fresh one started, never a traceback. Pure Python: no Textual, no Rich.

    profile = load_profile(path)
    news = profile.record(story, state, run_id)   # once per run that reached an ending
    save_profile(path, profile)
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .engine import rules
from .engine.model import Story
from .engine.state import GameState
from .paths import PROFILE_ENV

PROFILE_FORMAT = 1
_RECENT = 200  # run ids remembered, so an undo and a new ending count the run once


def profile_path(saves_dir: Path) -> Path:
    """Where the profile lives: in `$HYOSAN_PROFILE` when it is set (`hyosan serve` gives
    each browser session its own), else beside the saves it counts, so `--saves DIR` and
    `$HYOSAN_SAVES` keep a separate record (the tests, a second player) and the default
    saves folder (platformdirs' data folder when installed) keeps the player's own."""
    env = os.environ.get(PROFILE_ENV)
    return (Path(env) if env else Path(saves_dir)) / "profile.json"


@dataclass
class StoryRecord:
    runs: int = 0
    endings: dict[str, int] = field(default_factory=dict)  # ending title -> times reached
    fates: dict[str, list[str]] = field(default_factory=dict)  # member id -> statuses seen
    hambies: list[str] = field(default_factory=list)  # members seen through a hambie arc
    best: int = -1  # most survivors in one run
    counted: list[str] = field(default_factory=list)  # run ids already recorded

    def to_dict(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "endings": dict(sorted(self.endings.items())),
            "fates": {k: sorted(v) for k, v in sorted(self.fates.items())},
            "hambies": sorted(self.hambies),
            "best": self.best,
            "counted": self.counted[-_RECENT:],
        }

    @classmethod
    def from_dict(cls, data: Any) -> StoryRecord:
        if not isinstance(data, dict):
            raise ValueError("a story's record is not an object")
        return cls(
            runs=int(data.get("runs", 0)),
            endings={str(k): int(v) for k, v in dict(data.get("endings", {})).items()},
            fates={str(k): [str(s) for s in v] for k, v in dict(data.get("fates", {})).items()},
            hambies=[str(m) for m in data.get("hambies", [])],
            best=int(data.get("best", -1)),
            counted=[str(r) for r in data.get("counted", [])],
        )


@dataclass(frozen=True)
class RunResult:
    """What a finished run added, for the ending screen."""

    survivors: int
    best_before: int  # -1: the first ending this player reached
    new_ending: bool
    new_fates: tuple[str, ...]  # "Name: status" seen for the first time
    runs: int


@dataclass
class Profile:
    stories: dict[str, StoryRecord] = field(default_factory=dict)

    def of(self, story: Story) -> StoryRecord:
        return self.stories.setdefault(story.title, StoryRecord())

    def record(self, story: Story, state: GameState, run_id: str) -> RunResult:
        """Count a run that reached an ending (once per run id)."""
        rec = self.of(story)
        survivors = len(rules.survivors(story, state))
        best_before = rec.best
        end = rules.ending(story, state)
        if run_id in rec.counted or end is None:
            return RunResult(survivors, best_before, False, (), rec.runs)
        rec.counted.append(run_id)
        rec.runs += 1
        new_ending = end.title not in rec.endings
        rec.endings[end.title] = rec.endings.get(end.title, 0) + 1
        new_fates: list[str] = []
        for fate in rules.fates(story, state):
            seen = rec.fates.setdefault(fate.member, [])
            if fate.status not in seen:
                seen.append(fate.status)
                new_fates.append(f"{fate.name}: {fate.status}")
        for event in state.log:
            if event.kind == "turned-hambie" and event.who and event.who not in rec.hambies:
                rec.hambies.append(event.who)
        for mid, member in state.members.items():
            if member.status() == "hambie" and mid not in rec.hambies:
                rec.hambies.append(mid)
        rec.best = max(rec.best, survivors)
        return RunResult(survivors, best_before, new_ending, tuple(new_fates), rec.runs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": PROFILE_FORMAT,
            "stories": {title: rec.to_dict() for title, rec in sorted(self.stories.items())},
        }


def load_profile(path: Path) -> Profile:
    """The profile, or a fresh one (a damaged file is moved aside, not lost)."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return Profile()
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != PROFILE_FORMAT:
            raise ValueError("not a profile")
        stories = data.get("stories", {})
        if not isinstance(stories, dict):
            raise ValueError("stories is not an object")
        return Profile({str(t): StoryRecord.from_dict(r) for t, r in stories.items()})
    except (ValueError, TypeError, UnicodeDecodeError):
        try:
            os.replace(path, Path(str(path) + ".damaged"))
        except OSError:
            pass
        return Profile()


def save_profile(path: Path, profile: Profile) -> None:
    """Atomic: the old profile or the new one, never half of either. OSError propagates."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    data = (json.dumps(profile.to_dict(), indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def endings_catalogue(story: Story) -> list[tuple[str, str, str]]:
    """Every ending the story has: (title, kind, place name), in the story's order."""
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for scene in story.scenes.values():
        if scene.ending is None or scene.ending.title in seen:
            continue
        seen.add(scene.ending.title)
        location = story.locations.get(scene.location)
        out.append((scene.ending.title, scene.ending.kind, location.name if location else ""))
    return out
