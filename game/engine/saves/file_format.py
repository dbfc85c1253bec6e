"""The save format: a `Run` (seed, player, steps by id, a snapshot of where it ended) and
its JSON text, one step per line. Reading validates every field: a damaged or foreign
file is a one-line `SaveError`, never a half-load (see docs/saves.md). The steps and
their cached text are `steps.Steps`."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .. import rules
from ..model import Story
from ..state import GameState
from .steps import Step, Steps, _js

SAVE_FORMAT = 1
MIN_LOADABLE = 1


class SaveError(Exception):
    """A save that cannot be written or read. `str(e)` is one line: where and what."""


# -- the run --------------------------------------------------------------------------


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
