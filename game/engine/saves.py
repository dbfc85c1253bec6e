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
"""

from __future__ import annotations

import errno
import gc
import json
import os
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import rules
from .model import Story
from .state import Event, GameState

SAVE_FORMAT = 1
MIN_LOADABLE = 1
AUTOSAVE = "autosave"
SUFFIX = ".json"
BACKUP_SUFFIX = ".json.bak"
MAX_SAVE_BYTES = 32 * 1024 * 1024
_STALE_TEMP_SECONDS = 120.0

_SLOT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}")


class SaveError(Exception):
    """A save that cannot be written or read. `str(e)` is one line: where and what."""


# -- slot names -----------------------------------------------------------------------


def check_slot_name(name: str) -> str:
    """The name, or SaveError: a slot is a plain name inside the saves folder, never a path."""
    if not isinstance(name, str) or not name:
        raise SaveError("a save slot needs a name")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise SaveError(f"slot name {name!r} contains a control character")
    if "/" in name or "\\" in name or os.sep in name:
        raise SaveError(f"slot name {name!r} is a path: give a plain name, like 'before-the-roof'")
    if ".." in name:
        raise SaveError(f"slot name {name!r} contains '..'")
    if len(name) > 64:
        raise SaveError(f"slot name {name[:20]!r}... is too long ({len(name)} characters, at most 64)")
    if not _SLOT.fullmatch(name):
        raise SaveError(
            f"slot name {name!r} is not allowed: start with a letter or digit, then use "
            "letters, digits, spaces, '_', '.' or '-'"
        )
    return name


def slot_path(saves_dir: Path, slot: str) -> Path:
    return Path(saves_dir) / (check_slot_name(slot) + SUFFIX)


# -- the run --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    scene: str  # scene id the choice was taken in
    choice: str  # choice id
    label: str  # the label as shown (for people reading the file)
    outcome: int | None = None  # a forced roll outcome (explore's witnesses); None = drawn

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"scene": self.scene, "choice": self.choice, "label": self.label}
        if self.outcome is not None:
            out["outcome"] = self.outcome
        return out


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def snapshot(story: Story, state: GameState) -> dict[str, Any]:
    """What a save remembers of the resulting state, to verify a replay against.

    The RNG is in it, so a replay that drew differently (a changed roll or incubation)
    does not verify even when it happens to land in the same scene."""
    met = [mid for mid, m in state.members.items() if m.met]
    return {
        "scene": state.scene,
        "day": state.day,
        "time": state.time_of_day,
        "clock": state.clock,
        "turn": state.turn,
        "player": state.player_name,
        "party": {mid: state.members[mid].status() for mid in sorted(state.members)},
        "alive": len(rules.survivors(story, state)),
        "total": len(met),
        "inventory": {k: state.inventory[k] for k in sorted(state.inventory) if state.inventory[k]},
        "flags": sorted(state.flags),
        "counters": {k: state.counters[k] for k in sorted(state.counters) if state.counters[k]},
        "noise": state.noise,
        "rng": f"{state.rng:016x}",
    }


# (key, type) of every snapshot field; all are required and all are compared.
_SNAPSHOT_FIELDS: tuple[tuple[str, type], ...] = (
    ("scene", str),
    ("day", int),
    ("time", str),
    ("clock", int),
    ("turn", int),
    ("player", str),
    ("party", dict),
    ("alive", int),
    ("total", int),
    ("inventory", dict),
    ("flags", list),
    ("counters", dict),
    ("noise", int),
    ("rng", str),
)


def _outcome(story: Story, state: GameState) -> str | None:
    end = rules.ending(story, state)
    return end.title if end is not None else None


@dataclass(frozen=True)
class Run:
    story_title: str
    story_digest: str
    seed: int
    player_name: str
    steps: tuple[Step, ...]
    created: str  # ISO 8601 UTC
    updated: str
    snapshot: dict[str, Any] | None  # summary of the resulting state (scene, clock, party, inventory)
    outcome: str | None  # the ending's title, when the run ended

    @classmethod
    def start(cls, story: Story, state: GameState) -> Run:
        now = utc_now()
        return cls(
            story_title=story.title,
            story_digest=story.digest,
            seed=state.seed,
            player_name=state.player_name,
            steps=(),
            created=now,
            updated=now,
            snapshot=snapshot(story, state),
            outcome=_outcome(story, state),
        )

    def record(
        self,
        story: Story,
        scene_id: str,
        choice_id: str,
        label: str,
        after: GameState,
        outcome: int | None = None,
    ) -> Run:
        """A new Run with the step appended. `outcome` only when the roll was forced."""
        return self._with(story, (*self.steps, Step(scene_id, choice_id, label, outcome)), after)

    def truncated(self, n_steps: int, story: Story, after: GameState) -> Run:
        """The run cut back to its first `n_steps` steps (undo); `after` is the state then."""
        if not 0 <= n_steps <= len(self.steps):
            raise ValueError(f"cannot cut a run of {len(self.steps)} steps to {n_steps}")
        return self._with(story, self.steps[:n_steps], after)

    def _with(self, story: Story, steps: tuple[Step, ...], after: GameState) -> Run:
        return Run(
            story_title=story.title,
            story_digest=story.digest,
            seed=self.seed,
            player_name=self.player_name,
            steps=steps,
            created=self.created,
            updated=utc_now(),
            snapshot=snapshot(story, after),
            outcome=_outcome(story, after),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": SAVE_FORMAT,
            "min_loadable": MIN_LOADABLE,
            "story": {"title": self.story_title, "digest": self.story_digest},
            "seed": self.seed,
            "player": self.player_name,
            "created": self.created,
            "updated": self.updated,
            "outcome": self.outcome,
            "snapshot": self.snapshot,
            "steps": [s.to_dict() for s in self.steps],
        }


# -- the file -------------------------------------------------------------------------


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def dumps_run(run: Run) -> str:
    """The save's text: a JSON object, one field per line, one step per line."""
    data = run.to_dict()
    steps = data.pop("steps")
    snap = data.pop("snapshot")
    lines = ["{"]
    for key, value in data.items():
        lines.append(f"  {_js(key)}: {_js(value)},")
    if snap is None:
        lines.append('  "snapshot": null,')
    else:
        inner = [f"    {_js(k)}: {_js(v)}" for k, v in snap.items()]
        lines.append('  "snapshot": {' if inner else '  "snapshot": {},')
        if inner:
            lines.append(",\n".join(inner))
            lines.append("  },")
    if steps:
        lines.append('  "steps": [')
        lines.append(",\n".join(f"    {_js(s)}" for s in steps))
        lines.append("  ]")
    else:
        lines.append('  "steps": []')
    lines.append("}")
    return "\n".join(lines) + "\n"


def loads_run(text: str | bytes, where: str = "save") -> Run:
    """Parse and validate a save's text. Every problem is a one-line SaveError."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SaveError(f"{where}: damaged: not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SaveError(
            f"{where}:{exc.lineno}:{exc.colno}: damaged or cut short (not valid JSON: {exc.msg})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise SaveError(f"{where}: damaged (not valid JSON: {str(exc).splitlines()[0][:80]})") from None
    return _run_from(data, where)


def _need(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in data:
        raise SaveError(f"{where}: damaged: no {key!r} field")
    value = data[key]
    if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
        raise SaveError(f"{where}: damaged: {key!r} is {_short(value)}")
    return value


def _short(value: Any) -> str:
    text = _js(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _time(data: Mapping[str, Any], key: str, where: str) -> str:
    value = _need(data, key, str, where)
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise SaveError(f"{where}: damaged: {key!r} is not a date: {_short(value)}") from None
    return str(value)


def _run_from(data: Any, where: str) -> Run:
    if not isinstance(data, dict):
        raise SaveError(f"{where}: damaged: not a save (expected a JSON object)")
    fmt = _need(data, "format", int, where)
    min_loadable = _need(data, "min_loadable", int, where)
    if min_loadable > SAVE_FORMAT or fmt < min_loadable:
        if min_loadable > SAVE_FORMAT:
            raise SaveError(
                f"{where}: made by a newer Hyosan (save format {fmt}, needs format {min_loadable}; "
                f"this version reads format {SAVE_FORMAT})"
            )
        raise SaveError(f"{where}: damaged: format {fmt} is below its own min_loadable {min_loadable}")
    if fmt < MIN_LOADABLE:
        raise SaveError(f"{where}: save format {fmt} is too old (this version reads {MIN_LOADABLE} and up)")
    story = _need(data, "story", dict, where)
    title = _need(story, "title", str, where)
    digest = _need(story, "digest", str, where)
    seed = _need(data, "seed", int, where)
    player = _need(data, "player", str, where)
    created = _time(data, "created", where)
    updated = _time(data, "updated", where)
    outcome = _need(data, "outcome", (str, type(None)), where)
    snap = _need(data, "snapshot", (dict, type(None)), where)
    if snap is not None:
        for key, kind in _SNAPSHOT_FIELDS:
            _need(snap, key, kind, f"{where}: snapshot")
    raw_steps = _need(data, "steps", list, where)
    steps: list[Step] = []
    for i, raw in enumerate(raw_steps, 1):
        if type(raw) is dict:  # the usual case, checked cheaply: a long run has many steps
            scene, choice, label = raw.get("scene"), raw.get("choice"), raw.get("label")
            forced = raw.get("outcome")
            if type(scene) is str and type(choice) is str and type(label) is str:
                if forced is None or type(forced) is int:
                    steps.append(Step(scene, choice, label, forced))
                    continue
        at = f"{where}: step {i}"
        if not isinstance(raw, dict):
            raise SaveError(f"{at}: damaged: expected {{scene, choice, label}}, found {_short(raw)}")
        forced = raw.get("outcome")
        if forced is not None and (isinstance(forced, bool) or not isinstance(forced, int)):
            raise SaveError(f"{at}: damaged: 'outcome' is {_short(forced)}")
        steps.append(
            Step(
                scene=_need(raw, "scene", str, at),
                choice=_need(raw, "choice", str, at),
                label=_need(raw, "label", str, at),
                outcome=forced,
            )
        )
    return Run(
        story_title=title,
        story_digest=digest,
        seed=seed,
        player_name=player,
        steps=tuple(steps),
        created=created,
        updated=updated,
        snapshot=snap,
        outcome=outcome,
    )


def load_run(path: Path) -> Run:
    """Read and validate a save file: a Run, or SaveError (one line) if it is damaged."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_SAVE_BYTES + 1)
    except FileNotFoundError:
        raise SaveError(f"{path}: no such save") from None
    except IsADirectoryError:
        raise SaveError(f"{path}: is a folder, not a save") from None
    except OSError as exc:
        raise SaveError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveError(f"{path}: too large for a save (over {MAX_SAVE_BYTES // (1024 * 1024)} MB)")
    try:
        return loads_run(raw, str(path))
    except SaveError as exc:
        backup = _backup_path(path)
        if backup.is_file():
            raise SaveError(f"{exc} (the previous version is in {backup.name})") from None
        raise


def _backup_path(path: Path) -> Path:
    name = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.name
    return path.with_name(name + BACKUP_SUFFIX)


# -- writing, atomically --------------------------------------------------------------


def _write_error(target: Path, exc: OSError) -> SaveError:
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "the saves folder is read-only"
    elif code in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full"
    else:
        why = exc.strerror or str(exc)
    return SaveError(f"cannot save {target.name} in {target.parent}: {why}")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some systems cannot open folders; the replace itself is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temp(folder: Path, stem: str, data: bytes) -> Path:
    """A new file next to the target with `data`, flushed and fsynced."""
    tmp = folder / f".{stem}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _unlink(tmp)
        raise
    os.close(fd)
    return tmp


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _keep_backup(target: Path, backup: Path) -> None:
    """Make `backup` the current `target`'s content without ever removing `target`:
    a hard link when the file system has them, a fsynced copy otherwise."""
    link = target.with_name(f".{backup.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        os.link(target, link)
    except FileNotFoundError:
        return
    except OSError:
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            return
        link = _write_temp(target.parent, backup.name, data)
    try:
        os.replace(link, backup)
    except BaseException:
        _unlink(link)
        raise


def _sweep_temps(folder: Path, stem: str) -> None:
    """Remove temp files that killed writers left behind (old enough not to be in use)."""
    now = time.time()
    try:
        leftovers = list(folder.glob(f".{glob_escape(stem)}*.tmp"))
    except OSError:
        return
    for tmp in leftovers:
        try:
            if now - tmp.stat().st_mtime > _STALE_TEMP_SECONDS:
                tmp.unlink()
        except OSError:
            pass


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def save_run(saves_dir: Path, slot: str, run: Run) -> Path:
    """Write `run` to the slot atomically and keep the previous version as `<slot>.json.bak`.

    A crash at any moment leaves the slot's file whole: the old save or the new one.
    A read-only or full folder raises SaveError; nothing already saved is touched."""
    target = slot_path(saves_dir, slot)
    folder = target.parent
    data = dumps_run(run).encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"cannot create the saves folder {folder}: {exc.strerror or exc}") from None
    tmp: Path | None = None
    try:
        tmp = _write_temp(folder, target.name, data)
        _keep_backup(target, _backup_path(target))
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise _write_error(target, exc) from None
    finally:
        if tmp is not None:
            _unlink(tmp)
    _fsync_dir(folder)
    _sweep_temps(folder, target.name)
    return target


# -- replaying ------------------------------------------------------------------------


@dataclass
class Replay:
    states: list[GameState]  # states[0] = new game; states[i] after step i
    events: list[list[Event]]  # events[i] = events of step i (events[0] = start)
    divergence: str | None  # e.g. "step 14: scene 'hallway-2f' no longer has choice 'hide-in-music-room'"
    verified: bool  # replay reproduced the saved snapshot exactly
    choice_ids: list[str] = field(default_factory=list)  # the current story's id of each step's choice

    @property
    def final(self) -> GameState:
        return self.states[-1]


def renamed_scene(story: Story, scene_id: str) -> str:
    """The current id of a scene a save names (following `renames.scenes`, chains too)."""
    seen = 0
    while scene_id in story.scene_renames and seen < 64:
        scene_id = story.scene_renames[scene_id]
        seen += 1
    return scene_id


def renamed_choice(story: Story, saved_scene: str, scene_id: str, choice_id: str) -> str:
    """The current id of a choice. `renames.choices` keys are `scene/old-choice`, the
    scene by its new id or the one the save used."""
    renames = story.choice_renames
    if not renames:
        return choice_id
    for _ in range(64):
        new = renames.get(f"{scene_id}/{choice_id}") or renames.get(f"{saved_scene}/{choice_id}")
        if new is None or new == choice_id:
            break
        choice_id = new
    return choice_id


def replay(story: Story, run: Run) -> Replay:
    """Play the run's steps from its seed on `story` (applying its renames), as far as
    they fit, then compare the result with the run's snapshot."""
    # Every state is kept (the TUI steps back through them): thousands of acyclic objects
    # that the cyclic GC would rescan again and again while they pile up. Pause it.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _replay(story, run)
    finally:
        if paused:
            gc.enable()


def _replay(story: Story, run: Run) -> Replay:
    state = rules.new_game(story, seed=run.seed, player_name=run.player_name)
    states = [state]
    events: list[list[Event]] = [list(state.log)]
    taken: list[str] = []
    result = Replay(states, events, None, False, taken)
    scene_renames = story.scene_renames
    choice_renames = story.choice_renames
    scenes = story.scenes
    choose = rules.choose
    for n, step in enumerate(run.steps, 1):
        saved_scene = step.scene
        scene_id = renamed_scene(story, saved_scene) if scene_renames else saved_scene
        if scene_id != state.scene:
            result.divergence = _scene_mismatch(story, n, state, saved_scene, scene_id)
            return result
        choice_id = step.choice
        if choice_renames:
            choice_id = renamed_choice(story, saved_scene, scene_id, choice_id)
        try:
            state, step_events = choose(story, state, choice_id, step.outcome)
        except rules.ChoiceError as exc:
            result.divergence = _choice_failure(story, n, state, scenes, step, choice_id, exc)
            return result
        states.append(state)
        events.append(step_events)
        taken.append(choice_id)
    result.divergence = _compare(story, run, state)
    result.verified = result.divergence is None
    return result


def _scene_mismatch(story: Story, n: int, state: GameState, saved: str, renamed: str) -> str:
    if rules.is_ended(story, state):
        end = rules.ending(story, state)
        title = f" ({end.title!r})" if end else ""
        return f"step {n}: the run already ended in scene {state.scene!r}{title} but the save goes on"
    message = f"step {n}: replay reached scene {state.scene!r} but the save says {saved!r}"
    if renamed != saved:
        message += f" (renamed {renamed!r})"
    elif renamed not in story.scenes:
        message += f" (the story has no scene {saved!r}: renamed without a `renames:` entry?)"
    return message


def _choice_failure(
    story: Story,
    n: int,
    state: GameState,
    scenes: Mapping[str, Any],
    step: Step,
    choice_id: str,
    exc: rules.ChoiceError,
) -> str:
    scene = scenes.get(state.scene)
    shown = repr(step.choice) if choice_id == step.choice else f"{step.choice!r} (renamed {choice_id!r})"
    if scene is None:
        return f"step {n}: scene {state.scene!r} is not in this story"
    if scene.ending is not None:
        return f"step {n}: the run already ended in scene {scene.id!r} ({scene.ending.title!r})"
    choice = scene.choice(choice_id)
    if choice is None:
        return f"step {n}: scene {scene.id!r} no longer has choice {shown}"
    views = {v.id: v for v in rules.choices(story, state)}
    view = views.get(choice_id)
    if view is None:
        if choice.once and f"{scene.id}/{choice.id}" in state.taken:
            return f"step {n}: choice {shown} in scene {scene.id!r} was already taken (it is once only)"
        condition = f" (its condition `{choice.shown_if.source}` is false)" if choice.shown_if else ""
        return f"step {n}: choice {shown} is not offered in scene {scene.id!r} here{condition}"
    if not view.available:
        return f"step {n}: choice {shown} is locked: {view.reason}"
    return f"step {n}: {exc}"


def _compare(story: Story, run: Run, state: GameState) -> str | None:
    n = len(run.steps)
    where = f"step {n}" if n else "the start"
    saved = run.snapshot
    if saved is None:
        return f"{where}: the save has no snapshot to verify the replay against"
    now = snapshot(story, state)
    saved_scene = saved.get("scene")
    if isinstance(saved_scene, str) and renamed_scene(story, saved_scene) != now["scene"]:
        return f"{where}: replay reached scene {now['scene']!r} but the save says {saved_scene!r}"
    for key, _ in _SNAPSHOT_FIELDS:
        if key == "scene":
            continue
        if saved.get(key) != now[key]:
            return (
                f"{where}: the replay does not match the save: {key} is {_short(now[key])}, "
                f"the save says {_short(saved.get(key))}"
            )
    title = _outcome(story, state)
    if title != run.outcome:
        return f"{where}: the replay ends {_short(title)}, the save says {_short(run.outcome)}"
    return None


def verify(story: Story, path: Path) -> tuple[Run, Replay]:
    """Load and replay; SaveError unless the replay reproduces the save exactly."""
    run = load_run(path)
    result = replay(story, run)
    if not result.verified:
        raise SaveError(f"{path}: {result.divergence}")
    return run, result


# -- listing --------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveInfo:
    slot: str
    path: Path
    player: str
    scene: str
    day: int
    time: str
    alive: int
    total: int
    outcome: str | None
    updated: str
    status: str  # "ok" | "damaged" | "changed story"
    error: str | None


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
    return SaveInfo(
        slot=slot,
        path=path,
        player=run.player_name,
        scene=str(snap.get("scene", "")),
        day=int(snap.get("day", 0)),
        time=str(snap.get("time", "")),
        alive=int(snap.get("alive", 0)),
        total=int(snap.get("total", 0)),
        outcome=run.outcome,
        updated=run.updated,
        status=status,
        error=error,
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


def find_save(saves_dir: Path, name: str) -> Path:
    """`hyosan replay SAVE`: SAVE is a path to a file, or a slot name in the saves folder."""
    as_path = Path(name)
    if "/" in name or os.sep in name or name.endswith(SUFFIX):
        return as_path
    try:
        slot = slot_path(saves_dir, name)
    except SaveError:
        if as_path.is_file():
            return as_path
        raise
    if not slot.is_file() and as_path.is_file():
        return as_path  # a save file in the current folder, named without .json
    return slot
