"""`anyone(...)` against the `or` chain of `is()` calls it replaced, on the bundled
story's cast: nanoseconds per evaluation, CPU time, best of `--repeats`.

    python -m bench.bench_quantifiers [--story DIR] [--number 20000] [--repeats 7]

Three figures per condition: the chain; `anyone` worked out afresh (two equal members
mappings in turn, so the answer it keeps for a mapping never applies); and `anyone` asked
again of the same mapping (a frozen state shares its mapping from step to step, so this
is the common case in play). Two party states, the whole cast with the party: nobody
matches (every chain runs to its end), and only the last member matches.
"""

from __future__ import annotations

import argparse
import itertools
import time
import timeit
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from game.engine.expr import Context, compile_condition
from game.engine.loader import load_or_raise
from game.engine.rules import new_game

REPO = Path(__file__).resolve().parent.parent


BITE = {"bitten": True, "turns_at": 10_000}


def cases(cast: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(the chain, the quantifier, what makes the last member match)."""
    return [
        (
            " or ".join(f"is({m}, dead) or is({m}, zombie)" for m in cast),
            "anyone(dead or zombie)",
            {"fate": "dead"},
        ),
        (
            " or ".join(f"(present({m}) and is({m}, injured))" for m in cast),
            "anyone(present and injured)",
            {"injured": True},
        ),
        (" or ".join(f"(known({m}) and present({m}))" for m in cast), "anyone(known and present)", BITE),
        (" or ".join(f"is({m}, bitten)" for m in ["player", *cast]), "anyone(bitten, player)", BITE),
    ]


def per_call(fn: Callable[[], Any], number: int, repeats: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeats, timer=time.process_time)) / number * 1e9


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--story", type=Path, default=REPO / "story")
    parser.add_argument("--number", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    story = load_or_raise(args.story)
    cast = list(story.cast)
    start = new_game(story, seed=1)
    everyone = {mid: replace(m, where="party") for mid, m in start.members.items()}
    ctx = Context()
    print(
        "| condition | who matches | chain (ns) | anyone, worked out (ns) | anyone, same party again (ns) |"
    )
    print("|---|---|---|---|---|")
    for chain_src, anyone_src, match in cases(cast):
        chain, _ = compile_condition(chain_src, ctx)
        anyone, _ = compile_condition(anyone_src, ctx)
        last = dict(everyone)
        last[cast[-1]] = replace(last[cast[-1]], **match)
        for label, members in (("nobody", everyone), ("only the last", last)):
            state = replace(start, members=members)
            assert bool(chain(state)) == bool(anyone(state)) == (label != "nobody"), (anyone_src, label)
            other = replace(state, members=dict(state.members))  # equal, not the same mapping
            turn = itertools.cycle([state, other]).__next__
            a = per_call(lambda: chain(turn()), args.number, args.repeats)  # noqa: B023
            b = per_call(lambda: anyone(turn()), args.number, args.repeats)  # noqa: B023
            c = per_call(lambda: anyone(state), args.number, args.repeats)  # noqa: B023
            print(
                f"| `{anyone_src}` | {label} | {a:,.0f} | {b:,.0f} ({a / b:.1f}x) | {c:,.0f} ({a / c:.0f}x) |"
            )


if __name__ == "__main__":
    main()
