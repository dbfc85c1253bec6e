"""TUI latency, head to head in one process: an older commit's TUI, this tree's, and the
bare Textual app, in alternating rounds (issue 15's before/after rows).

    git archive COMMIT game | tar -x -C /tmp/old      # the older code's `game` package
    python bench/bench_tui_ab.py --old /tmp/old [--rounds 8] [--keys 15]

Separate processes a few minutes apart cannot resolve a 10-20% change on a shared,
loaded machine; here the three apps take turns (the order reversed every round), so a
change of load lands on all of them. The older package is imported as `oldgame` (its
imports are relative), each side plays the story loaded by its own loader. Figures:
medians and 95th percentiles of key -> next frame and of app built -> first frame, by
the wall clock and by the app thread's CPU time (see bench_tui.py)."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_tui as B  # noqa: E402

Latencies = tuple[list[float], list[float]]


keys = B.play_keys  # the same key loop as bench_tui's game rows


def report(title: str, results: dict[str, Latencies]) -> None:
    print(title)
    for label, i in (("wall clock", 0), ("CPU time", 1)):
        med = {k: statistics.median(v[i]) * 1000 for k, v in results.items()}
        tail = {k: B.p95(v[i]) * 1000 for k, v in results.items()}
        print(f" {label} (n={len(results['bare'][i])} each)")
        for k in results:
            print(
                f"  {k:<7} median {med[k]:8.2f} ms   p95 {tail[k]:8.2f} ms   {med[k] / med['bare']:.2f}x bare"
            )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--old", required=True, help="a directory holding an older `game` package")
    parser.add_argument("--story", default=str(ROOT / "story"))
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--keys", type=int, default=15, help="keypresses per app per round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(Path(args.old) / "game", Path(tmp) / "oldgame")
        sys.path.insert(0, tmp)
        from oldgame.engine.loader import load_story as old_load_story  # type: ignore[import-not-found]
        from oldgame.tui.app import AppOptions as OldOptions  # type: ignore[import-not-found]
        from oldgame.tui.app import create_app as old_create_app

        from game.engine.loader import load_story
        from game.tui.app import AppOptions, create_app

        story = load_story(args.story).story
        old_story = old_load_story(args.story).story
        assert story is not None and old_story is not None
        pages = B.sample_pages(story, 200)
        saves = Path(tmp) / "saves"
        makers: dict[str, Callable[[int], Any]] = {
            "before": lambda seed: old_create_app(
                old_story, OldOptions(seed=seed, new=True, saves_dir=saves)
            ),
            "after": lambda seed: create_app(story, AppOptions(seed=seed, new=True, saves_dir=saves)),
        }
        latencies: dict[str, Latencies] = {k: ([], []) for k in ("before", "after", "bare")}
        starts: dict[str, Latencies] = {k: ([], []) for k in ("before", "after", "bare")}
        for r in range(args.rounds):
            jobs: list[tuple[str, Callable[..., Coroutine[Any, Any, Latencies]]]] = [
                ("before", lambda r=r: keys(makers["before"](1 + r), args.keys, 1 + r)),
                ("after", lambda r=r: keys(makers["after"](1 + r), args.keys, 1 + r)),
                ("bare", lambda r=r: B.bare_latencies(pages, args.keys, r * args.keys)),
            ]
            for name, job in jobs if r % 2 == 0 else reversed(jobs):
                wall, cpu = asyncio.run(job())
                latencies[name][0].extend(wall)
                latencies[name][1].extend(cpu)
            firsts: list[tuple[str, Callable[[], Any]]] = [
                ("before", lambda: makers["before"](1)),
                ("after", lambda: makers["after"](1)),
                ("bare", lambda: B.BareApp(pages)),
            ]
            for name, make in (firsts if r % 2 == 0 else firsts[::-1]) * 2:
                wall_first, cpu_first = asyncio.run(B.first_screen(make))
                starts[name][0].append(wall_first)
                starts[name][1].append(cpu_first)
    report(f"key -> new scene on screen ({args.rounds} rounds of {args.keys} keys)", latencies)
    report(f"first interactive screen ({2 * args.rounds} starts each)", starts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
