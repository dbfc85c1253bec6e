"""Proof that an engine change changes no behaviour: the engine at an earlier commit and
the engine in this tree play the same seeded runs, and everything a player, a save or a
tool could see is hashed on each side and compared.

    python -m bench.engine_identity --before f2ea4bb
    python -m bench.engine_identity --before f2ea4bb --scale 0.1    # a quick look
    python -m bench.engine_identity --only fixture                  # the fixtures alone

Per state along each run: `to_dict()`, the scene text, `render_blocks`, every choice
view, the refusal `choose` gives for each locked choice, every roll choice's weights,
and at an ending the fates and the survivors line; per step the events. Each step's
choice is taken through `choose` right after `choices` (its fast path) on most steps
and, every third step, after the listing is forgotten (its checking path); every
fourth roll is forced to each outcome in turn (`explore`'s way) and the last one kept.

Stories: the bundled one, the 10,000-scene synthetic one, a 2,000-scene looping one and
every test fixture. Each side loads the story with its own loader; the earlier commit's
`game/` is imported as `oldgame` (see `bench_engine_ab`). Exits 1 when any differs.
Pair it with `hyosan simulate story --runs 3000 --seed 1 --json --jobs 1` before and
after (equal but for `seconds`).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.bench_engine_ab import old_engine
from bench.common import synthetic
from game.engine import rules as new_rules
from game.engine.loader import load_or_raise

REPO = Path(__file__).resolve().parent.parent


def trace(rules: Any, story: Any, seed: int, steps: int, h: Any) -> int:
    """Play one seeded run, feeding everything visible into `h`. Returns steps taken."""
    rng = random.Random(seed)
    state = rules.new_game(story, seed=seed, player_name="Tester" if seed % 5 == 4 else None)

    def feed(*values: object) -> None:
        h.update(repr(values).encode())

    feed("start", state.to_dict())
    taken = 0
    for step in range(steps):
        scene = story.scenes.get(state.scene)
        feed("text", rules.scene_text(story, state))
        if scene is not None:
            feed("blocks", rules.render_blocks(story, state, scene.text))
        if rules.is_ended(story, state):
            feed("fates", [(f.member, f.name, f.status, f.line) for f in rules.fates(story, state)])
            feed("survivors", rules.survivors_line(story, state))
            break
        views = rules.choices(story, state)
        feed("views", [tuple(v) for v in views])
        for v in views:
            if v.roll and v.available:
                feed("weights", v.id, rules.roll_weights(story, state, v.id))
        views = rules.choices(story, state)  # roll_weights forgets nothing, but be sure
        available = [v for v in views if v.available]
        pick = rng.choice(available) if available else None
        if step % 3 == 2 and hasattr(rules, "_listed"):
            rules._listed = (None, None, {})  # `choose` must find and check the choice itself
        for v in views:
            if not v.available:
                try:
                    rules.choose(story, state, v.id)
                    feed("locked-but-taken", v.id)
                except rules.ChoiceError as exc:
                    feed("refused", v.id, str(exc))
        if step % 7 == 6:
            try:
                rules.choose(story, state, "no-such-choice")
            except rules.ChoiceError as exc:
                feed("refused", str(exc))
        if pick is None:
            feed("stuck")
            break
        if pick.roll and step % 4 == 3:
            for i in range(len(rules.roll_weights(story, state, pick.id))):
                forced, events = rules.choose(story, state, pick.id, outcome=i)
                feed("forced", i, [e.to_dict() for e in events], forced.to_dict())
            state = forced
        else:
            if step % 3 != 2:
                rules.choices(story, state)  # the fast path: listed for this very state
            state, events = rules.choose(story, state, pick.id)
            feed("events", [e.to_dict() for e in events])
        feed("state", state.to_dict())
        taken += 1
    return taken


def stories(scale: float) -> list[tuple[str, Callable[[], Path], int, int]]:
    """(name, its folder when asked (a synthetic one is made the first time), runs, steps
    per run)."""

    def n(runs: int) -> int:
        return max(1, round(runs * scale))

    out: list[tuple[str, Callable[[], Path], int, int]] = [
        ("bundled", partial(Path, REPO / "story"), n(150), 150),
        ("synthetic 10,000", partial(synthetic, 10_000), n(20), 150),
        ("synthetic 2,000 looping", partial(synthetic, 2_000, loop=True), n(5), 400),
    ]
    for fixture in sorted((REPO / "tests" / "fixtures").iterdir()):
        if (fixture / "story.yaml").is_file():
            out.append((f"fixture {fixture.name}", partial(Path, fixture), n(40), 150))
    return out


def digest(rules: Any, load: Any, root: Path, runs: int, steps: int) -> tuple[str, int]:
    story = load(root)
    h = hashlib.sha256()
    total = 0
    for seed in range(runs):
        total += trace(rules, story, seed, steps, h)
    return h.hexdigest(), total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="HEAD", help="the earlier commit (default HEAD)")
    parser.add_argument("--scale", type=float, default=1.0, help="runs per story times this")
    parser.add_argument("--only", default="", help="only the stories whose name has this")
    args = parser.parse_args()
    differ = 0
    with tempfile.TemporaryDirectory() as tmp:
        old_rules, old_load = old_engine(args.before, Path(tmp))
        for name, folder, runs, steps in stories(args.scale):
            if args.only not in name:
                continue
            before, n_before = digest(old_rules, old_load, folder(), runs, steps)
            after, n_after = digest(new_rules, load_or_raise, folder(), runs, steps)
            same = before == after and n_before == n_after
            differ += not same
            print(f"{name}: {runs} runs, {n_after:,} steps, {'equal' if same else 'DIFFERENT'} {after[:16]}")
            sys.stdout.flush()
    print("all equal" if not differ else f"{differ} stories differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
