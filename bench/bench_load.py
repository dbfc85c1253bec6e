"""Load + check of a 10,000-scene story vs raw libyaml parsing of the same files.

    python bench/bench_load.py [--scenes 10000] [--repeats 3]

The baseline, `yaml.load(f, Loader=yaml.CSafeLoader)` per file, keeps no positions and
checks nothing. Target: load + check within 1.2x of it.
"""

from __future__ import annotations

import argparse
import gc
import glob

import yaml

from bench.common import interleaved, median, synthetic
from game.engine.loader import load_story


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    root = synthetic(args.scenes)
    files = sorted(glob.glob(str(root / "**" / "*.yaml"), recursive=True))
    size = sum(len(open(f, "rb").read()) for f in files)

    def baseline() -> None:
        for f in files:
            with open(f, "rb") as fh:
                yaml.load(fh, Loader=yaml.CSafeLoader)

    def ours() -> None:
        result = load_story(root)
        assert not result.errors

    gc.collect()
    a, b = interleaved(ours, baseline, args.repeats)
    print(f"story: {args.scenes:,} scenes, {len(files)} files, {size / 1e6:.1f} MB, {args.repeats} runs each")
    print("| benchmark | ours | baseline (CSafeLoader) | ratio | target |")
    print("|---|---|---|---|---|")
    # the minimum is the run least disturbed by the machine's other work
    for label, pick in (("median", median), ("best", min)):
        print(
            f"| load + check, {args.scenes:,} scenes ({label}) | {pick(a):.2f} s | "
            f"{pick(b):.2f} s | {pick(a) / pick(b):.2f}x | <= 1.2x |"
        )


if __name__ == "__main__":
    main()
