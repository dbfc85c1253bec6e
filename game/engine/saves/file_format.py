"""The save format: a `Run` (seed, player, steps by id, a snapshot of where it ended) and
its JSON text, one step per line. Reading validates every field: a damaged or foreign
file is a one-line `SaveError`, never a half-load (see docs/saves.md)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .. import rules
from ..model import Story
from ..state import GameState

SAVE_FORMAT = 1
MIN_LOADABLE = 1


class SaveError(Exception):
    """A save that cannot be written or read. `str(e)` is one line: where and what."""


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


_LINES_LOCK = threading.Lock()
_CHUNK = 512  # steps per shared piece of encoded save text
_SEP = ",\n    "
_BSEP = _SEP.encode()


class Steps(Sequence[Step]):
    """A run's steps: an immutable sequence that appends in O(1) and keeps each step's
    line of save text, so saving a long run does not serialize it again each choice.

    Runs made one from another share one list: `appended` adds to it in place when this
    is its longest user (the common case: one choice after another) and copies only when
    a run branches from an earlier point (after an undo). Items before `len(self)` are
    never changed, so every `Steps` sharing the list sees the same steps it always had.
    The same holds for the save text: every `_CHUNK` steps' lines are encoded once into
    one shared `bytes` piece, so a save hands the file its steps as those pieces plus
    the lines since the last whole piece (see `pieces`), never one string of the run.
    Compares equal to a tuple (or any sequence) of the same steps."""

    __slots__ = ("_chunks", "_items", "_lines", "_n")

    def __init__(self, steps: Sequence[Step] = ()) -> None:
        self._items: list[Step] = list(steps)
        self._lines: list[str] = []  # the JSON text of _items[:len(_lines)], made on demand
        self._chunks: list[bytes] = []  # chunk j: lines [j*_CHUNK, (j+1)*_CHUNK) joined, encoded
        self._n = len(self._items)

    def appended(self, step: Step) -> Steps:
        items, lines, chunks = self._items, self._lines, self._chunks
        if len(items) != self._n:  # a branch: copy what is ours
            with _LINES_LOCK:
                n = self._n
                items, lines, chunks = items[:n], lines[:n], chunks[: n // _CHUNK]
        items.append(step)
        out = object.__new__(Steps)
        out._items, out._lines, out._chunks, out._n = items, lines, chunks, self._n + 1
        return out

    def _fill(self) -> list[str]:
        lines, items = self._lines, self._items
        for i in range(len(lines), self._n):
            lines.append(_js(items[i].to_dict()))
        return lines

    def lines(self) -> list[str]:
        """Each step as its line of save text (`json.dumps` of its dict), cached."""
        with _LINES_LOCK:  # the autosave thread and a save from the app may both be here
            return self._fill()[: self._n]

    def pieces(self) -> list[bytes]:
        """The steps as the save file has them (each line indented, joined by commas),
        UTF-8, in pieces to write one after another: the shared encoded chunks and the
        lines after the last whole one. A save of a long run costs a list of ~n/512
        references here, not a copy of its text."""
        with _LINES_LOCK:  # the autosave thread and a save from the app may both be here
            n = self._n
            if n == 0:
                return []
            lines, chunks = self._fill(), self._chunks
            whole = n // _CHUNK
            for j in range(len(chunks), whole):
                chunks.append(_SEP.join(lines[j * _CHUNK : (j + 1) * _CHUNK]).encode("utf-8"))
            out = [b"    "]
            for j in range(whole):
                if j:
                    out.append(_BSEP)
                out.append(chunks[j])
            if whole * _CHUNK < n:
                if whole:
                    out.append(_BSEP)
                out.append(_SEP.join(lines[whole * _CHUNK : n]).encode("utf-8"))
            return out

    def block(self) -> str:
        """The steps as the save file has them: each line indented, joined by commas."""
        return b"".join(self.pieces()).decode("utf-8")

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self._items[: self._n][index])
        if index < 0:
            index += self._n
        if not 0 <= index < self._n:
            raise IndexError("step index out of range")
        return self._items[index]

    def __iter__(self) -> Iterator[Step]:
        items = self._items
        for i in range(self._n):
            yield items[i]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == self._n and all(a == b for a, b in zip(self, other, strict=False))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Steps({tuple(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Steps, (tuple(self),))


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
SNAPSHOT_FIELDS: tuple[tuple[str, type], ...] = (
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


def outcome_title(story: Story, state: GameState) -> str | None:
    end = rules.ending(story, state)
    return end.title if end is not None else None


@dataclass(frozen=True)
class Run:
    story_title: str
    story_digest: str
    seed: int
    player_name: str
    steps: Sequence[Step]  # a `Steps` (tuples are accepted and converted)
    created: str  # ISO 8601 UTC
    updated: str
    snapshot: dict[str, Any] | None  # summary of the resulting state (scene, clock, party, inventory)
    outcome: str | None  # the ending's title, when the run ended

    def __post_init__(self) -> None:
        if type(self.steps) is not Steps:
            object.__setattr__(self, "steps", Steps(self.steps))

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
            outcome=outcome_title(story, state),
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
        return self._with(story, _steps(self).appended(Step(scene_id, choice_id, label, outcome)), after)

    def truncated(self, n_steps: int, story: Story, after: GameState) -> Run:
        """The run cut back to its first `n_steps` steps (undo); `after` is the state then."""
        if not 0 <= n_steps <= len(self.steps):
            raise ValueError(f"cannot cut a run of {len(self.steps)} steps to {n_steps}")
        return self._with(story, Steps(self.steps[:n_steps]), after)

    def _with(self, story: Story, steps: Steps, after: GameState) -> Run:
        return Run(
            story_title=story.title,
            story_digest=story.digest,
            seed=self.seed,
            player_name=self.player_name,
            steps=steps,
            created=self.created,
            updated=utc_now(),
            snapshot=snapshot(story, after),
            outcome=outcome_title(story, after),
        )

    def to_dict(self, steps: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": SAVE_FORMAT,
            "min_loadable": MIN_LOADABLE,
            "story": {"title": self.story_title, "digest": self.story_digest},
            "seed": self.seed,
            "player": self.player_name,
            "created": self.created,
            "updated": self.updated,
            "outcome": self.outcome,
            "snapshot": self.snapshot,
        }
        if steps:
            out["steps"] = [s.to_dict() for s in self.steps]
        return out


# -- the file -------------------------------------------------------------------------


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _steps(run: Run) -> Steps:
    steps = run.steps
    assert type(steps) is Steps  # made so by Run.__post_init__
    return steps


def encode_run(run: Run) -> list[bytes]:
    """The save's text as UTF-8 pieces to write one after another: a JSON object, one
    field per line, one step per line. The steps' pieces are cached per run (see
    `Steps.pieces`), so a long run's save costs its header and its newest lines, not a
    fresh serialization or a copy of every step: the file write takes the pieces as
    they are."""
    data = run.to_dict(steps=False)
    steps = _steps(run)
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
    if not steps:
        lines.append('  "steps": []')
        lines.append("}")
        return ["\n".join(lines).encode("utf-8") + b"\n"]
    lines.append('  "steps": [')
    return ["\n".join(lines).encode("utf-8") + b"\n", *steps.pieces(), b"\n  ]\n}\n"]


def dumps_run(run: Run) -> str:
    """The save's text (`encode_run` joined): a JSON object, one field per line, one
    step per line."""
    return b"".join(encode_run(run)).decode("utf-8")


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
        raise SaveError(f"{where}: damaged: {key!r} is {short(value)}")
    return value


def short(value: Any) -> str:
    text = _js(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _time(data: Mapping[str, Any], key: str, where: str) -> str:
    value = _need(data, key, str, where)
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise SaveError(f"{where}: damaged: {key!r} is not a date: {short(value)}") from None
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
        for key, kind in SNAPSHOT_FIELDS:
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
            raise SaveError(f"{at}: damaged: expected {{scene, choice, label}}, found {short(raw)}")
        forced = raw.get("outcome")
        if forced is not None and (isinstance(forced, bool) or not isinstance(forced, int)):
            raise SaveError(f"{at}: damaged: 'outcome' is {short(forced)}")
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
