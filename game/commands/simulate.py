"""`hyosan simulate [DIR] --runs N --seed S [--strategy random|fresh|first] [--json]`:
seeded random playthroughs on every core, then tables of what they found."""

from __future__ import annotations

import argparse
from typing import Any


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", metavar="DIR", help="story folder (default: the bundled story)")
    parser.add_argument("--runs", type=int, default=1000, metavar="N", help="number of runs (default 1000)")
    parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="seed of the whole simulation (default 0)"
    )
    parser.add_argument(
        "--strategy",
        choices=("random", "fresh", "first"),
        default="random",
        help="random: any available choice; fresh: the choice taken least so far; "
        "first: always the first available choice (rolls still vary by seed)",
    )
    parser.add_argument("--jobs", type=int, metavar="N", help="processes (default: one per core)")
    parser.add_argument(
        "--cap",
        type=int,
        default=2000,
        metavar="STEPS",
        help="a run longer than this is a loop (default 2000)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--write-tests",
        metavar="DIR",
        help="write DIR/simulated-endings.yaml: one story test per ending reached (its shortest run)",
    )


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    import time

    from ..engine.model import Story
    from ..tools import simulate
    from .play import load_story_or_report

    if args.runs < 1:
        print("hyosan simulate: --runs must be at least 1", file=sys.stderr)
        return 2
    if args.cap < 1:
        print("hyosan simulate: --cap must be at least 1", file=sys.stderr)
        return 2
    story = load_story_or_report(args.story)
    if not isinstance(story, Story):
        return 1
    started = time.perf_counter()
    if sys.stderr.isatty() and not args.json:
        tally = _with_progress(story, args)
    else:
        tally = simulate.simulate(story, args.runs, args.seed, args.strategy, args.jobs, args.cap)
    elapsed = time.perf_counter() - started
    data = simulate.report(story, tally, args.seed, args.strategy)
    data["seconds"] = round(elapsed, 3)
    if args.write_tests:
        written = _write_tests(story, tally, args)
        if written is None:
            return 1
        data["tests_written"] = written
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        _print_tables(data, elapsed)
    return 1 if data["loops"]["count"] or data["softlocks"]["count"] else 0


def _with_progress(story: Any, args: argparse.Namespace) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ..tools import simulate
    from ._output import make_console

    with Progress(
        TextColumn("simulating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=make_console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("runs", total=args.runs)
        return simulate.simulate(
            story,
            args.runs,
            args.seed,
            args.strategy,
            args.jobs,
            args.cap,
            progress=lambda done: progress.update(task, completed=done),
        )


def _write_tests(story: Any, tally: Any, args: argparse.Namespace) -> str | None:
    import sys
    from pathlib import Path

    from ..engine.rules import choose, new_game
    from ..tools import testwrite

    entries = []
    for scene_id, record in sorted(tally.shortest.items()):
        state = new_game(story, seed=record.seed)
        for cid in record.choices:
            state, _ = choose(story, state, cid)
        ending = story.scenes[scene_id].ending
        entries.append(
            {
                "name": f"reaches {scene_id} ({ending.title if ending else scene_id})",
                "seed": record.seed,
                "choices": record.choices,
                "expect": testwrite.ending_expectations(story, state),
            }
        )
    header = (
        f"Written by `hyosan simulate --runs {args.runs} --seed {args.seed} --strategy {args.strategy} "
        f"--write-tests {args.write_tests}`:\none test per ending reached, the shortest run seen. "
        "Rewritten on each run: edit a copy under another name to keep changes."
    )
    folder = Path(args.write_tests)
    path = folder / "simulated-endings.yaml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(testwrite.dump_tests(story, entries, header), encoding="utf-8")
    except OSError as exc:
        print(f"hyosan simulate: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return None
    print(f"wrote {len(entries)} story test{'s' * (len(entries) != 1)} to {path}", file=sys.stderr)
    return str(path)


def _print_tables(data: dict[str, Any], elapsed: float) -> None:
    from rich.table import Table

    from ._output import make_console

    console = make_console()
    runs = data["runs"]
    console.print(
        f"[bold]{data['story']}[/]: {runs:,} runs, seed {data['seed']}, strategy {data['strategy']}: "
        f"{data['steps']:,} steps in {elapsed:.2f} s "
        f"({runs / (elapsed or 1):,.0f} runs/s, {data['steps'] / (elapsed or 1):,.0f} steps/s)"
    )

    endings = Table(title="Endings", title_justify="left")
    endings.add_column("ending")
    endings.add_column("kind")
    endings.add_column("runs", justify="right")
    endings.add_column("%", justify="right")
    endings.add_column("", min_width=20)
    top = max((e["count"] for e in data["endings"]), default=0) or 1
    for e in sorted(data["endings"], key=lambda e: -e["count"]):
        bar = "█" * round(30 * e["count"] / top)
        style = "red" if e["count"] == 0 else "green"
        endings.add_row(
            f"{e['scene']} ({e['title']})",
            e["kind"],
            f"{e['count']:,}",
            f"{e['percent']:.1f}",
            f"[{style}]{bar}[/]",
        )
    console.print(endings)

    fates = Table(title="Fates at the endings (% of runs that ended)", title_justify="left")
    fates.add_column("member")
    names = ("survived", "hambie", "dead", "zombie", "missing", "away")
    for name in names:
        fates.add_column(name, justify="right")
    for mid, row in data["fates"].items():
        fates.add_row(mid, *(f"{row[n]:.1f}" for n in names))
    console.print(fates)

    cov = data["coverage"]
    coverage = Table(title="Coverage", title_justify="left")
    coverage.add_column("")
    coverage.add_column("covered", justify="right")
    coverage.add_column("of", justify="right")
    coverage.add_column("%", justify="right")
    for label, key, part in (
        ("scenes", "scenes", "reached"),
        ("choices", "choices", "taken"),
        ("edges", "edges", "taken"),
        ("paragraphs shown", "paragraphs", "shown"),
    ):
        n, total = cov[key][part], cov[key]["total"]
        coverage.add_row(label, str(n), str(total), f"{100 * n / total if total else 100:.1f}")
    console.print(coverage)
    visits = cov["scene_visits"]
    reached = sorted((n, sid) for sid, n in visits.items() if n)
    if reached:
        least = Table(title="Scenes visited least (every scene: --json)", title_justify="left")
        least.add_column("scene")
        least.add_column("visits", justify="right")
        least.add_column("per run", justify="right")
        for n, sid in reached[:10]:
            least.add_row(sid, f"{n:,}", f"{n / (runs or 1):.3f}")
        console.print(least)
    never = cov["paragraphs"]["never_shown"]
    if never:
        console.print(f"[bold yellow]paragraphs of reached scenes no run showed[/] ({len(never)})")
        for p in never[:20]:
            cond = f" (if {p['if']})" if p["if"] else ""
            which = "else of " if p["branch"] == "else" else ""
            console.print(
                f"  {p['pos']}: {p['scene']} {which}paragraph {p['paragraph']}{cond}: {p['text']}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        if len(never) > 20:
            console.print(f"  ... and {len(never) - 20} more (see --json)")
    if cov["scenes_never_reached"]:
        console.print(
            "scenes never reached: "
            + ", ".join(cov["scenes_never_reached"][:30])
            + (" ..." if len(cov["scenes_never_reached"]) > 30 else "")
        )

    hambies = data["hambies"]
    who = ", ".join(f"{mid} {pct:.1f}" for mid, pct in hambies["members"].items() if pct)
    console.print(
        f"hambies: someone became a hambie in {hambies['any']:.1f}% of runs" + (f" ({who})" if who else "")
    )
    overlap = data["overlap"]
    if overlap["all"]["pairs"]:
        both, long = overlap["all"], overlap["long"]
        console.print(
            f"scene overlap of two runs that differ early: median {both['median']:.0f}%, "
            f"p90 {both['p90']:.0f}% ({both['pairs']:,} pairs); both runs long "
            f"(≥{long['min_scenes']} scenes): median {long['median']:.0f}%, p90 {long['p90']:.0f}% "
            f"({long['pairs']:,} pairs)"
        )
    length = data["length"]
    console.print(
        f"run length (choices): min {length['min']}, median {length['p50']}, p90 {length['p90']}, "
        f"p99 {length['p99']}, max {length['max']}, mean {length['mean']:.1f}; "
        f"{length['within_10_pct']:.1f}% end within 10 choices"
    )
    loops = data["loops"]
    if loops["count"]:
        console.print(f"[bold red]{loops['count']} run(s) hit the step cap: loops without end[/]")
        for ex in loops["examples"]:
            console.print(
                f"  run {ex['index']} (seed {ex['seed']}): at {ex['scene']}, {ex.get('detail', '')}"
            )
    soft = data["softlocks"]
    if soft["count"]:
        console.print(f"[bold red]{soft['count']} run(s) stuck with no available choice (softlocks)[/]")
        for scene, n in soft["scenes"].items():
            console.print(f"  {scene}: {n} run(s)")
        for ex in soft["examples"]:
            console.print(f"  run {ex['index']} (seed {ex['seed']}): choices {' '.join(ex['choices'])}")
