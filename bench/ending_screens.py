"""What a reader sees at the end of many seeded runs, recorded and compared: a check for
story refactors that must change nothing on screen (moving fate lines into fate sets).

    python -m bench.ending_screens record story before.jsonl --runs 3000
    (refactor)
    python -m bench.ending_screens record story after.jsonl --runs 3000
    python -m bench.ending_screens compare before.jsonl after.jsonl

Each run takes random available choices (its own `random.Random(seed)`, or the first
available choice with `--first`) until an ending, and records the ending's scene id and
the plain ending screen: the title, every fate line in order, the survivors line. Not a
benchmark: nothing is timed. Exit status 1 when the recordings differ.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import sys

from game.engine.loader import load_or_raise
from game.engine.rules import choices, choose, new_game
from game.plain import render_ending

CAP = 3000  # choices per run before it counts as a loop


def record(story_dir: str, out: str, runs: int, first: bool) -> None:
    story = load_or_raise(story_dir)
    with open(out, "w", encoding="utf-8") as fh:
        for seed in range(runs):
            state = new_game(story, seed)
            pick = random.Random(seed)
            for _ in range(CAP):
                scene = story.scenes.get(state.scene)
                available = [v.id for v in choices(story, state) if v.available]
                if scene is None or scene.ending is not None or not available:
                    break
                state, _ = choose(story, state, available[0] if first else pick.choice(available))
            scene = story.scenes.get(state.scene)
            ended = scene is not None and scene.ending is not None
            screen = render_ending(story, state) if ended else None
            fh.write(json.dumps({"seed": seed, "scene": state.scene, "screen": screen}) + "\n")


def compare(before: str, after: str) -> int:
    with open(before, encoding="utf-8") as a, open(after, encoding="utf-8") as b:
        old = [json.loads(line) for line in a]
        new = [json.loads(line) for line in b]
    ended = [r for r in old if r["screen"]]
    lines = sum(r["screen"].count("\n- ") for r in ended)
    endings = len({r["scene"] for r in ended})
    differ = [(x, y) for x, y in zip(old, new, strict=False) if x != y]
    print(f"{len(old)} runs, {len(ended)} ended in {endings} endings, {lines} fate lines:", end=" ")
    print(f"{len(differ)} differ")
    if len(old) != len(new):
        print(f"the recordings have {len(old)} and {len(new)} runs")
        return 1
    for x, y in differ[:3]:
        print(f"seed {x['seed']}: {x['scene']} -> {y['scene']}")
        a, b = (x["screen"] or "").split("\n"), (y["screen"] or "").split("\n")
        print("\n".join(difflib.unified_diff(a, b, lineterm="")))
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("story")
    rec.add_argument("out")
    rec.add_argument("--runs", type=int, default=3000)
    rec.add_argument("--first", action="store_true", help="always take the first available choice")
    cmp = sub.add_parser("compare")
    cmp.add_argument("before")
    cmp.add_argument("after")
    args = parser.parse_args()
    if args.command == "record":
        record(args.story, args.out, args.runs, args.first)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
