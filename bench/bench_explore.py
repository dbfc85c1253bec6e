"""`hyosan explore` speed: distinct states per second, and what the search covered.

python bench/bench_explore.py [--max-states 50000] [--story DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.common import synthetic
from game.engine.loader import load_story
from game.tools import explore

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-states", type=int, default=50_000)
    parser.add_argument("--story", type=Path, default=REPO / "story")
    args = parser.parse_args()
    rows = [
        ("tests/fixtures/mini", REPO / "tests" / "fixtures" / "mini"),
        ("tests/fixtures/flawed", REPO / "tests" / "fixtures" / "flawed"),
        ("bundled story", args.story),
        ("synthetic 10,000 scenes", synthetic(10_000)),
    ]
    print("| story | states | transitions | states/s | complete | depth covered | endings reached |")
    print("|---|---|---|---|---|---|---|")
    for name, root in rows:
        result = load_story(root)
        if not result.ok or result.story is None:
            print(f"| {name} | the story does not load ({len(result.errors)} errors) | | | | | |")
            continue
        found = explore.explore(result.story, seed=0, max_states=args.max_states)
        endings = sum(1 for s in result.story.scenes.values() if s.ending is not None)
        print(
            f"| {name} | {found.states:,} | {found.transitions:,} | {found.states / found.seconds:,.0f} | "
            f"{'yes' if found.complete else 'no (bound)'} | {found.depth} | "
            f"{len(found.endings)} of {endings} |"
        )


if __name__ == "__main__":
    main()
