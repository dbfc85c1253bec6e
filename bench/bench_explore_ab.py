"""`explore` at an earlier commit against `explore` in this tree, head to head: each
round searches the same story to the same bound on each (the order turned every round),
timed by CPU time; medians of the rounds. Both searches must find the same thing.

    python -m bench.bench_explore_ab --before cc1344c --story story --max-states 20000 --rounds 5

The earlier commit's `game/` is exported as a package named `oldgame` (as in
`bench_engine_ab`), and each side searches the story loaded by its own loader. The CPU
rounds run in this one process, so the load lands on both sides alike; memory per state
is taken once per side, each in a fresh process (its peak resident memory, less what it
held once the story was loaded, per state expanded: as `bench_explore`). "Same result"
compares everything the search reports but its timings: states, transitions, the
frontier, the endings, softlocks and loops with their witness paths, what every
condition evaluated to and in which state first, the choices seen available or locked.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_engine_ab import old_engine
from bench.common import median

REPO = Path(__file__).resolve().parent.parent


def fingerprint(result: Any) -> str:
    """A digest of everything the search found but its timings."""
    d = result.to_dict()
    for timing in ("seconds", "setup_seconds", "states_per_second"):
        d.pop(timing)
    d["reached"] = sorted(result.reached)
    d["available"] = sorted(result.available)
    d["locked"] = sorted((k, sorted(v)) for k, v in result.locked.items())
    p = result.probe
    d["probe"] = [p.evaluated, p.true, p.false, p.where]
    d["seen"] = sorted((k, [str(m) for m in v.moves], v.scene) for k, v in result.seen.items())
    for name in ("endings", "softlocks", "traps"):
        d[f"{name}_paths"] = {k: [str(m) for m in f.moves] for k, f in getattr(result, name).items()}
    return hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _child(side: str, before: str, root: str, max_states: int) -> None:
    """One search in this fresh process: its memory per state and its fingerprint."""
    with tempfile.TemporaryDirectory() as tmp:
        if side == "before":
            _, load = old_engine(before, Path(tmp))
            explore = importlib.import_module("oldgame.tools.explore").explore
        else:
            from game.engine.loader import load_or_raise as load
            from game.tools.explore import explore
        story = load(root)
        gc.collect()
        held = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = explore(story, 0, max_states)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            json.dumps(
                {
                    "kb": max(0, peak - held),  # ru_maxrss is in KB on Linux
                    "states": result.states,
                    "found": result.states + result.frontier,
                    "digest": fingerprint(result),
                }
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="HEAD", help="the earlier commit (default HEAD)")
    parser.add_argument("--story", type=Path, default=REPO / "story")
    parser.add_argument("--max-states", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", choices=("before", "after"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = str(args.story)
    if args.child:
        _child(args.child, args.before, root, args.max_states)
        return
    from game.engine.loader import load_or_raise
    from game.tools.explore import explore

    memory = {}
    for side in ("before", "after"):
        done = subprocess.run(
            [sys.executable, "-m", "bench.bench_explore_ab", "--child", side, "--before", args.before]
            + ["--story", root, "--max-states", str(args.max_states)],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=True,
        )
        memory[side] = json.loads(done.stdout)
    with tempfile.TemporaryDirectory() as tmp:
        _, old_load = old_engine(args.before, Path(tmp))
        old_explore = importlib.import_module("oldgame.tools.explore").explore
        sides = {"before": (old_explore, old_load(root)), "after": (explore, load_or_raise(root))}
        cpu: dict[str, list[float]] = {"before": [], "after": []}
        digests: dict[str, set[str]] = {"before": set(), "after": set()}
        states: dict[str, int] = {}
        for r in range(args.rounds):
            for side in ("before", "after") if r % 2 == 0 else ("after", "before"):
                search, story = sides[side]
                gc.collect()
                start = time.process_time()
                result = search(story, 0, args.max_states)
                cpu[side].append(time.process_time() - start)
                states[side] = result.states
                digests[side].add(fingerprint(result))
                del result
    digests["before"].add(memory["before"]["digest"])
    digests["after"].add(memory["after"]["digest"])
    same = len(digests["before"]) == 1 and digests["before"] == digests["after"]
    before, after = median(cpu["before"]), median(cpu["after"])
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"explore {args.story} to {args.max_states:,} states, before = {args.before}, load {load}")
    print(f"CPU s before: {', '.join(f'{s:.2f}' for s in cpu['before'])}")
    print(f"CPU s after:  {', '.join(f'{s:.2f}' for s in cpu['after'])}")
    print()
    print("| benchmark | before | after | after / before | target |")
    print("|---|---|---|---|---|")
    print(
        f"| states/s (CPU, median of {args.rounds}) | {states['before'] / before:,.0f} | "
        f"{states['after'] / after:,.0f} | {before / after:.2f}x | >= 1.5x |"
    )
    kb = {side: memory[side]["kb"] / max(1, memory[side]["states"]) for side in memory}
    ratio = kb["after"] / max(kb["before"], 0.01)
    print(f"| KB/state (peak RSS) | {kb['before']:.1f} | {kb['after']:.1f} | {ratio:.2f}x | <= 5 KB |")
    print(
        f"| same result | {memory['before']['found']:,} found | {memory['after']['found']:,} found | "
        f"{'yes' if same else 'NO'} ({', '.join(sorted(digests['after']))}) | the same |"
    )


if __name__ == "__main__":
    main()
