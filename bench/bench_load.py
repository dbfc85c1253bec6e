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
    ratio = median(a) / median(b)
    print(f"story: {args.scenes:,} scenes, {len(files)} files, {size / 1e6:.1f} MB")
    print("| benchmark | ours (median) | baseline (median) | ratio | target |")
    print("|---|---|---|---|---|")
    print(
        f"| load + check, {args.scenes:,} scenes | {median(a):.2f} s | "
        f"{median(b):.2f} s (CSafeLoader) | {ratio:.2f}x | <= 1.2x |"
    )


if __name__ == "__main__":
    main()
