"""Findings from what the runs saw: one line each, a witness save each, JSON, figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...engine import rules as engine
from ...engine.diagnostics import Diagnostic
from ...engine.model import Pos, Story
from .collect import Seen, Tally
from .sources import Sources


@dataclass(frozen=True)
class Finding:
    rule: str
    kind: str
    pos: Pos
    message: str
    seed: int
    choices: tuple[str, ...]
    scene: str
    runs: int
    times: int
    silenced: str | None  # the `quiet:` reason, when silenced

    def line(self, witness: str = "") -> str:
        return str(self.diagnostic(witness))

    def diagnostic(self, witness: str = "") -> Diagnostic:
        """The finding as a `check` diagnostic (a warning at its position)."""
        message = f"{self.rule}: {self.message}"
        message += f" [{self.runs} run{'s' * (self.runs != 1)}; witness: {witness or self.short_witness()}]"
        if self.silenced:
            message += f" (silenced: {self.silenced})"
        return Diagnostic.at(self.pos, "warning", message)

    def short_witness(self) -> str:
        return f"seed {self.seed} after {len(self.choices)} choice{'s' * (len(self.choices) != 1)}"

    def to_dict(self, witness: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "kind": self.kind,
            "path": self.pos.path,
            "line": self.pos.line,
            "col": self.pos.col,
            "message": self.message,
            "runs": self.runs,
            "times": self.times,
            "witness": {"seed": self.seed, "choices": list(self.choices), "scene": self.scene},
        }
        if witness:
            out["witness"]["save"] = witness
        if self.silenced:
            out["silenced"] = self.silenced
        return out


def findings(tally: Tally, sources: Sources) -> list[Finding]:
    out: list[Finding] = []
    for seen in tally.found.values():
        hit = seen.hit
        out.append(
            Finding(
                rule=hit.rule,
                kind=hit.kind,
                pos=sources.where(hit.key),
                message=_message(seen),
                seed=seen.seed,
                choices=seen.choices,
                scene=seen.scene,
                runs=seen.runs,
                times=seen.times,
                silenced=sources.silenced(hit.key, hit.rule),
            )
        )
    out.sort(key=lambda f: (f.pos.path, f.pos.line, f.pos.col, f.rule, f.message))
    return out


def _message(seen: Seen) -> str:
    hit = seen.hit
    message = hit.message
    if hit.rule == "repeat" and hit.kind == "paragraph" and seen.most > 2:
        message += f"; up to {seen.most} times in a run"
    if hit.rule == "place" and len(seen.extras) > 1:
        others = sorted(seen.extras - {hit.extra})
        message += f" (also at: {', '.join(others[:4])}{', ...' if len(others) > 4 else ''})"
    return message


def counts(found: list[Finding]) -> dict[str, int]:
    """Findings (not silenced) per rule/kind."""
    c = Counter(f"{f.rule}/{f.kind}" for f in found if not f.silenced)
    return dict(sorted(c.items()))


def witness_run(story: Story, finding: Finding) -> Any:
    """The witness as a saves.Run that `hyosan replay --verify` accepts: the run's seed and
    its choice ids, up to the state that showed the text."""
    from ...engine.saves import Run

    state = engine.new_game(story, seed=finding.seed)
    run = Run.start(story, state)
    for cid in finding.choices:
        labels = {v.id: v.label for v in engine.choices(story, state)}
        after, _ = engine.choose(story, state, cid)
        run = run.record(story, state.scene, cid, labels.get(cid, cid), after)
        state = after
    return run


def write_witnesses(story: Story, found: list[Finding], folder: Path) -> dict[int, Path]:
    """One save per finding, slot `cont-NNN-RULE`; SaveError if the folder fails."""
    from ...engine.saves import save_run

    written: dict[int, Path] = {}
    for n, finding in enumerate(found, 1):
        written[n - 1] = save_run(folder, f"cont-{n:03d}-{finding.rule}", witness_run(story, finding))
    return written
