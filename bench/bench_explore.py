"""`hyosan explore` speed and memory: distinct states per second, peak memory per state,
and what the search covered.

python -m bench.bench_explore [--max-states 50000] [--story DIR]

Each story is explored in a fresh process, so its peak resident memory (`ru_maxrss`),
less what the process held once the story was loaded, is the search's own: "KB/state"
divides it by the states expanded (the bound `--max-states` counts those), "KB/found"
by every distinct state found (expanded or waiting in the frontier).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _one(root: str, max_states: int) -> None:
    import gc

    from game.engine.loader import load_story
    from game.tools import explore

    result = load_story(root)
    if not result.ok or result.story is None:
        print(json.dumps({"error": f"the story does not load ({len(result.errors)} errors)"}))
        return
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found = explore.explore(result.story, seed=0, max_states=max_states)
    seconds = found.seconds  # the search itself, as before (not instrumenting the story)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    endings = sum(1 for s in result.story.scenes.values() if s.ending is not None)
    print(
        json.dumps(
            {
                "states": found.states,
                "found": found.states + found.frontier,
                "transitions": found.transitions,
                "seconds": seconds,
                "complete": found.complete,
                "depth": found.depth,
                "endings": f"{len(found.endings)} of {endings}",
                "kb": max(0, peak - before),  # ru_maxrss is in KB on Linux
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-states", type=int, default=50_000)
    parser.add_argument("--story", type=Path, default=REPO / "story")
    parser.add_argument("--one", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _one(args.one, args.max_states)
        return
    from bench.common import synthetic

    rows = [
        ("tests/fixtures/mini", REPO / "tests" / "fixtures" / "mini"),
        ("tests/fixtures/flawed", REPO / "tests" / "fixtures" / "flawed"),
        ("tests/fixtures/faults", REPO / "tests" / "fixtures" / "faults"),
        ("bundled story", args.story),
        ("synthetic 10,000 scenes", synthetic(10_000)),
    ]
    print("| story | states | found | states/s | KB/state | KB/found | complete | depth covered | endings |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, root in rows:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.bench_explore",
                "--one",
                str(root),
                "--max-states",
                str(args.max_states),
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        if done.returncode != 0:
            print(f"| {name} | failed: {done.stderr.strip().splitlines()[-1:]} | | | | | | | |")
            continue
        r = json.loads(done.stdout)
        if "error" in r:
            print(f"| {name} | {r['error']} | | | | | | | |")
            continue
        print(
            f"| {name} | {r['states']:,} | {r['found']:,} | {r['states'] / r['seconds']:,.0f} | "
            f"{r['kb'] / r['states']:.1f} | {r['kb'] / r['found']:.2f} | "
            f"{'yes' if r['complete'] else 'no (bound)'} | {r['depth']} | {r['endings']} |"
        )


if __name__ == "__main__":
    main()
