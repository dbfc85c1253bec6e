"""Load + check of a 10,000-scene story vs raw libyaml parsing of the same files, and the
memory the loaded story holds vs the same data as JSON dicts.

    python -m bench.bench_load [--scenes 10000] [--repeats 3] [--no-memory]

Time: the baseline, `yaml.load(f, Loader=yaml.CSafeLoader)` per file, keeps no positions
and checks nothing; the two alternate, and medians and bests are printed. Target: load +
check within 1.1x of it. Wall clock and CPU time are both printed.

Memory: each side in a fresh interpreter (so neither inherits the other's freed
memory). Ours: `load_story` of the folder, its result kept. Baseline: every file's data
(`yaml.load`, written out once as JSON) read back with `json.loads` and kept. Printed:
the resident memory each process grew by, once loaded and at its peak. Target: the
loaded story at most 2x the JSON dicts.
"""

from __future__ import annotations

import argparse
import gc
import glob
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

from bench.common import median, synthetic
from game.engine.loader import load_story

# Run in a fresh interpreter: prints "<grown once loaded> <grown at peak>" in bytes.
_MEASURE = """
import gc, os, resource, sys
def rss():
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: the peak is all there is
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
def peak():
    try:  # this process's high-water mark (ru_maxrss would include the parent's, from fork)
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM:"))
    except OSError:
        scale = 1 if sys.platform == "darwin" else 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
kind, where = sys.argv[1], sys.argv[2]
if kind == "ours":
    from game.engine.loader import load_story
    load_story("tests/fixtures/mini")  # every module the load imports, imported first
    gc.collect()
    start = rss()
    kept = load_story(where)
    assert not kept.errors
else:
    import glob, json
    files = sorted(glob.glob(os.path.join(where, "*.json")))
    gc.collect()
    start = rss()
    kept = [json.loads(open(f, "rb").read()) for f in files]
gc.collect()
print(rss() - start, peak() - start)
"""


def _measure(kind: str, where: Path) -> tuple[int, int]:
    repo = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, kind, str(where)],
        capture_output=True,
        text=True,
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(repo)},
        check=True,
    )
    held, peak = done.stdout.split()
    return int(held), int(peak)


def as_json(files: list[str], root: Path) -> Path:
    """The story's data as one JSON file per YAML file (made once per story)."""
    out = root.with_name(root.name + "-json")
    if not (out / "done").is_file():
        out.mkdir(exist_ok=True)
        for i, f in enumerate(files):
            with open(f, "rb") as fh:
                data = yaml.load(fh, Loader=yaml.CSafeLoader)
            (out / f"{i:05d}.json").write_text(json.dumps(data, ensure_ascii=False, default=str))
        (out / "done").write_text("")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true", help="time only")
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
    # wall clock and this process's CPU time, the two alternating (CPU time is what a
    # loaded shared machine disturbs least: the wall clock there also counts waiting)
    a, b, a_cpu, b_cpu = [], [], [], []
    for _ in range(args.repeats):
        for fn, wall, cpu in ((baseline, b, b_cpu), (ours, a, a_cpu)):
            t, c = time.perf_counter(), time.process_time()
            fn()
            cpu.append(time.process_time() - c)
            wall.append(time.perf_counter() - t)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"story: {args.scenes:,} scenes, {len(files)} files, {size / 1e6:.1f} MB, "
        f"{args.repeats} runs each, load average {load:.1f}"
    )
    print("| benchmark | ours | baseline | ratio | target |")
    print("|---|---|---|---|---|")
    # the minimum is the run least disturbed by the machine's other work
    for label, pick, x, y in (
        ("median, wall clock", median, a, b),
        ("best, wall clock", min, a, b),
        ("median, CPU time", median, a_cpu, b_cpu),
    ):
        print(
            f"| load + check, {args.scenes:,} scenes ({label}) | {pick(x):.2f} s | "
            f"{pick(y):.2f} s (CSafeLoader) | {pick(x) / pick(y):.2f}x | <= 1.1x |"
        )
    if args.no_memory:
        return
    held, peak = _measure("ours", root)
    json_held, json_peak = _measure("json", as_json(files, root))
    mib = 1024 * 1024
    print(
        f"| memory held once loaded, {args.scenes:,} scenes | {held / mib:.1f} MiB | "
        f"{json_held / mib:.1f} MiB (JSON dicts) | {held / max(1, json_held):.2f}x | <= 2x |"
    )
    print(
        f"| peak memory while loading | {peak / mib:.1f} MiB | {json_peak / mib:.1f} MiB (JSON dicts) "
        f"| {peak / max(1, json_peak):.2f}x | |"
    )


if __name__ == "__main__":
    main()
