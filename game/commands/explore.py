"""`hyosan explore [DIR] [--max-states N] [--seed S] [--witness-dir DIR] [--only PART] [--json]`:
search every reachable state; report endings, softlocks, endless loops (also those whose
every lap spends clock time) and conditions never true, each with a witness save, and
choices never available and scenes never reached. When the search stops at its bound,
what it did not see is "not reached within N states", never "never"."""

from __future__ import annotations

import argparse
from typing import Any


def configure(parser: argparse.ArgumentParser) -> None:
    from ..paths import saves_help

    parser.add_argument("story", nargs="?", metavar="DIR", help="story folder (default: the bundled story)")
    parser.add_argument(
        "--max-states", type=int, default=200_000, metavar="N", help="stop after N states (default 200000)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="the world's seed: incubation and turn draws (default 0)",
    )
    parser.add_argument(
        "--witness-dir", metavar="DIR", help="write the shortest run to each ending as a save in DIR"
    )
    parser.add_argument(
        "--order",
        choices=("breadth", "novelty"),
        default="breadth",
        help="breadth: shortest witnesses, complete up to a length; novelty: least-seen scenes first",
    )
    parser.add_argument(
        "--from",
        dest="start",
        metavar="SAVE",
        help="start from a save (a slot or a file): explore the branch where that run stands",
    )
    parser.add_argument("--saves", metavar="DIR", help=saves_help() + "; used by --from")
    parser.add_argument(
        "--only",
        metavar="PART",
        help="report on one part: an area, a location, a story file or a scene id prefix "
        "(the search still walks the whole story)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from ..engine.model import Story
    from ..tools import explore
    from .play import load_story_or_report

    if args.max_states < 1:
        print("hyosan explore: --max-states must be at least 1", file=sys.stderr)
        return 2
    story = load_story_or_report(args.story)
    if not isinstance(story, Story):
        return 1
    only = None
    if args.only:
        from ..tools.graph import select

        try:
            only = select(story, args.only)
        except ValueError as exc:
            print(f"hyosan explore: {exc}", file=sys.stderr)
            return 1
    start = None
    if args.start:
        start = _start_from(story, args)
        if start is None:
            return 1
    args.start_state = start
    if sys.stderr.isatty() and not args.json:
        result = _with_progress(story, args)
    else:
        result = explore.explore(story, args.seed, args.max_states, order=args.order, start=start)
    data = result.to_dict(only)
    if args.witness_dir:
        from ..engine.saves import SaveError

        try:
            written = explore.write_witnesses(result, Path(args.witness_dir))
            problems = explore.write_problem_witnesses(result, Path(args.witness_dir), only)
        except SaveError as exc:
            print(f"hyosan explore: {exc}", file=sys.stderr)
            return 1
        data["witnesses"] = {sid: str(path) for sid, path in written.items() if sid in data["endings"]}
        data["problem_witnesses"] = {what: str(path) for what, path in problems.items()}
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        _print(data, args, story)
    return 1 if data["softlocks"] or data["traps"] else 0


def _start_from(story: Any, args: argparse.Namespace) -> Any:
    import sys
    from pathlib import Path

    from ..engine.saves import SaveError, find_save, load_run, replay
    from ..paths import default_saves_dir
    from ..tools.explore import Move

    saves_dir = Path(args.saves) if args.saves else default_saves_dir()
    try:
        run = load_run(find_save(saves_dir, args.start))
    except SaveError as exc:
        print(f"hyosan explore: {exc}", file=sys.stderr)
        return None
    replayed = replay(story, run)
    if len(replayed.states) != len(run.steps) + 1:
        print(f"hyosan explore: {args.start} does not fit this story: {replayed.divergence}", file=sys.stderr)
        return None
    moves = [
        Move(replayed.states[i].scene, choice, step.outcome)
        for i, (step, choice) in enumerate(zip(run.steps, replayed.choice_ids, strict=True))
    ]
    return replayed.states[-1], moves


def _with_progress(story: Any, args: argparse.Namespace) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ..tools import explore
    from ._output import make_console

    with Progress(
        TextColumn("exploring"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("states (bound)"),
        console=make_console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("states", total=args.max_states)
        return explore.explore(
            story,
            args.seed,
            args.max_states,
            progress=lambda n: progress.update(task, completed=n),
            order=args.order,
            start=args.start_state,
        )


def _print(data: dict[str, Any], args: argparse.Namespace, story: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ._output import make_console

    console = make_console()
    rate = f", {data['states_per_second']:,} states/s" if data["states_per_second"] else ""
    console.print(
        f"[bold]{escape(data['story'])}[/]: {data['states']:,} states, {data['transitions']:,} transitions, "
        f"seed {data['seed']}, {data['seconds']:.2f} s{rate}"
    )
    if data["complete"]:
        console.print(
            f"[green]complete[/]: every reachable state explored (longest shortest path {data['depth']})"
        )
    else:
        scenes = data["scenes_total"] - len(data["scenes_never_reached"])
        covered = (
            f"every run of up to {data['depth']} choices is covered"
            if data["depth"] >= 0
            else "no run length is covered in full (novelty order)"
        )
        console.print(
            f"[bold yellow]bound hit[/]: stopped at --max-states {data['max_states']:,} with "
            f"{data['frontier']:,} states unexplored; {covered}; {scenes} of {data['scenes_total']} scenes "
            "reached. What follows holds for the part explored; raise --max-states to see more"
            + (", or try --order novelty to reach deep scenes sooner." if data["order"] == "breadth" else ".")
        )

    table = Table(title="Endings", title_justify="left")
    table.add_column("ending")
    table.add_column("states", justify="right")
    table.add_column("shortest" if data["order"] == "breadth" else "steps", justify="right")
    table.add_column("witness path")
    witnesses = data.get("witnesses", {})
    never = "never reached" if data["complete"] else f"not reached within {data['states']:,} states"
    for sid, found in data["endings"].items():
        if found is None:
            table.add_row(f"[red]{escape(sid)}[/]", "0", "-", f"[red]{never}[/]")
            continue
        path = " ".join(found["path"])
        if len(path) > 80:
            path = path[:77] + "..."
        if sid in witnesses:
            path = f"{witnesses[sid]}: {path}"
        table.add_row(
            f"{escape(sid)} ({escape(found['title'])})",
            f"{found['states']:,}",
            str(found["steps"]),
            escape(path),
        )
    if data["endings"]:
        console.print(table)
    else:
        console.print("Endings: none in this part")
    if witnesses:
        first = next(iter(witnesses.values()))
        where = f" --story {args.story}" if args.story else ""
        console.print(f"witnesses written; check one with: hyosan replay {first} --verify{where}")

    def section(title: str, rows: list[str], bad: bool = True) -> None:
        if not rows:
            return
        colour = "red" if bad else "yellow"
        console.print(f"[bold {colour}]{title}[/] ({len(rows)})")
        for row in rows[:40]:
            console.print("  " + escape(row), soft_wrap=True)
        if len(rows) > 40:
            console.print(f"  ... and {len(rows) - 40} more (see --json)")

    proofs = data.get("problem_witnesses", {})

    def proof(key: str) -> str:
        return f"; witness: {proofs[key]}" if key in proofs else ""

    positions = {sid: str(scene.pos) for sid, scene in story.scenes.items()}
    section(
        "Softlocks: states with no available choice that are not endings",
        [
            f"{positions.get(f['scene'], '?')}: {f['scene']}: {f['states']} state(s); "
            f"shortest way in: {' '.join(f['path']) or '(the start)'}{proof('softlock:' + f['scene'])}"
            for f in data["softlocks"]
        ],
    )
    section(
        "Endless loops: states that can never reach an ending",
        [
            f"{positions.get(f['scene'], '?')}: entered at {f['scene']} ({f['states']} state(s) in "
            f"{', '.join(f['scenes'])}"
            + (f"; each lap spends {f['lap_minutes']} minutes of clock" if f.get("lap_minutes") else "")
            + f"); way in: {' '.join(f['path']) or '(the start)'}{proof('loop:' + f['scene'])}"
            for f in data["traps"]
        ],
    )
    within = "" if data["complete"] else f" within {data['states']:,} states"
    section(
        f"Choices never available{within}",
        [f"{c['pos']}: {c['scene']}/{c['choice']}: {c['why']}" for c in data["choices_never_available"]],
        bad=False,
    )
    section(
        f"Conditions never true{within}",
        [
            f"{c['pos']}: `{c['condition']}`"
            + (f" (evaluated in {c['scene']})" if "scene" in c else "")
            + proof("never-true:" + c["pos"])
            for c in data["conditions_never_true"]
        ],
        bad=False,
    )
    section(
        "Scenes never reached" if data["complete"] else f"Scenes not reached{within}",
        data["scenes_never_reached"],
        bad=False,
    )
