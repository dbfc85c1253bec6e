"""Our engine against inkjs (ink's JavaScript runtime) on the same synthetic graph.

    python -m bench.bench_inkjs [--scenes 10000] [--steps 30000] [--repeats 5]

Needs `node` and `npm`; without them it says so and exits 0. inkjs is installed with npm
into bench/out/inkjs/ (git-ignored) the first time. The synthetic story (bench/synth.py)
is written out again as ink: one knot per scene, its paragraph and conditional
paragraph, sticky choices with their conditions, requirements as conditions, effects as
variable changes, rolls as weighted `RANDOM` branches with their modifiers; inkjs's own
compiler compiles it. A step on either side: all the scene's text, then a random choice.
Rounds alternate between the two (node runs in a subprocess and times its own loop, so
its start-up and loading are not counted), medians are compared. Target: ours >= 12x.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import minimal_engine
from bench.bench_engine import play
from bench.common import synthetic
from game.engine.loader import load_or_raise

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "inkjs"
INKJS = "inkjs@2.4.0"


def _var(name: str) -> str:
    return name.replace("-", "_")


def _cond(source: str) -> str:
    source = re.sub(r"present\(([a-z-]+)\)", lambda m: "p_" + _var(m.group(1)), source)
    source = re.sub(r"flag\((\w+)\)", r"\1", source)
    return re.sub(r"item\((\w+)\)", r"\1", source)


def _text(text: str, names: dict[str, str]) -> str:
    text = text.replace("{player}", "{player_name}")
    return re.sub(r"\{([a-z-]+)\}", lambda m: "{n_" + _var(m.group(1)) + "}", text)


def _effects(effects: list[dict[str, Any]], indent: str) -> list[str]:
    out: list[str] = []
    for e in effects or []:
        if "set" in e:
            out.append(f"~ {e['set']} = true")
        elif "take" in e or "give" in e:
            sign = "-" if "take" in e else "+"
            for item, n in (e.get("take") or e.get("give")).items():
                out.append(f"~ {item} = {item} {sign} {n}")
        elif "noise" in e:
            out.append(f"~ noise = noise + {e['noise']}")
        elif "injure" in e:
            out.append(f"~ hurt_{_var(e['injure'])} = true")
    return [indent + line for line in out]


def to_ink(root: Path) -> str:
    """The synthetic story at `root` as ink source."""
    start, scenes = minimal_engine.load(root)
    import yaml

    manifest = yaml.safe_load((root / "story.yaml").read_text())
    cast = manifest["cast"]
    names = {mid: c["name"] for mid, c in cast.items()}
    lines = ['VAR player_name = "Player"', "VAR noise = 0"]
    lines += [f"VAR {item} = {n}" for item, n in manifest["inventory"].items()]
    lines += [f"VAR {flag} = false" for flag in manifest["flags"]]
    for mid, name in names.items():
        lines += [
            f'VAR n_{_var(mid)} = "{name}"',
            f"VAR p_{_var(mid)} = true",
            f"VAR hurt_{_var(mid)} = false",
        ]
    lines.append(f"-> {start}")
    for sid, scene in scenes.items():
        if not re.fullmatch(r"s\d+", sid):
            continue  # the turned ending only events reach: ink has no events
        lines.append(f"=== {sid} ===")
        for block in scene["text"]:
            if isinstance(block, str):
                lines.append(_text(block.strip(), names))
            else:
                a, b = _text(block["text"], names), _text(block.get("else", ""), names)
                lines.append(f"{{{_cond(block['if'])}: {a}|{b}}}")
        if scene.get("ending"):
            lines.append("-> END")
            continue
        for j, choice in enumerate(scene["choices"]):
            conds = [_cond(choice["if"])] if "if" in choice else []
            conds += [_cond(r["if"]) for r in choice.get("requires", [])]
            guard = "".join(f"{{{c}}} " for c in conds)
            lines.append(f"+ {guard}[{choice['label']}]")
            lines += _effects(choice.get("effects"), "  ")
            roll = choice.get("roll")
            if not roll:
                lines.append(f"  -> {choice['goto']}")
                continue
            w, r = f"w{j}", f"r{j}"  # temps are per knot
            lines.append(f"  ~ temp {w} = {roll[0]['chance']}")
            for mod in roll[0].get("modifiers", []):
                lines += [f"  {{{_cond(mod['if'])}:", f"    ~ {w} = {w} + {mod['add']}", "  }"]
            lines.append(f"  ~ temp {r} = RANDOM(1, {w} + {roll[1]['chance']})")
            lines.append(f"  {{ {r} <= {w}:")
            for i, outcome in enumerate(roll):
                if i == 1:
                    lines.append("  - else:")
                lines.append(f"    {outcome['text']}")
                lines += _effects(outcome.get("effects"), "    ")
                lines.append(f"    -> {outcome['goto']}")
            lines.append("  }")
    return "\n".join(lines) + "\n"


def ensure_inkjs() -> bool:
    if shutil.which("node") is None or shutil.which("npm") is None:
        return False
    if not (OUT / "node_modules" / "inkjs" / "dist" / "ink-full.js").is_file():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(OUT), INKJS],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return True


def node(*args: str) -> str:
    done = subprocess.run(
        ["node", str(HERE / "inkjs_play.js"), *args], check=True, capture_output=True, text=True
    )
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=30_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if not ensure_inkjs():
        print("bench_inkjs: skipped (no node or npm on this machine)")
        return
    root = synthetic(args.scenes)
    ink_file = OUT / f"synth-{args.scenes}.ink"
    json_file = OUT / f"synth-{args.scenes}.json"
    source = to_ink(root)
    compile_s = 0.0
    if not (json_file.is_file() and ink_file.is_file() and ink_file.read_text() == source):
        ink_file.write_text(source)
        t = time.perf_counter()
        node("compile", str(OUT), str(ink_file), str(json_file))
        compile_s = time.perf_counter() - t
    story = load_or_raise(root)
    ours: list[float] = []
    theirs: list[float] = []
    ours_cpu: list[float] = []
    theirs_cpu: list[float] = []
    for r in range(args.repeats):
        for side in ("ink", "ours") if r % 2 == 0 else ("ours", "ink"):
            if side == "ink":
                result = json.loads(node("play", str(OUT), str(json_file), str(args.steps), str(r)))
                theirs.append(result["steps"] / result["seconds"])
                theirs_cpu.append(result["steps"] / max(1e-9, result["cpuSeconds"]))
            else:
                t, c = time.perf_counter(), time.process_time()
                play(story, args.steps, seed=r)
                ours.append(args.steps / (time.perf_counter() - t))
                ours_cpu.append(args.steps / max(1e-9, time.process_time() - c))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    version = json.loads((OUT / "node_modules" / "inkjs" / "package.json").read_text())["version"]
    print(f"{args.repeats} alternating rounds of {args.steps:,} steps, load average {load:.1f}")
    node_version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"inkjs {version} on node {node_version}")
    if compile_s:
        print(f"(inkjs compiled the {args.scenes:,}-scene ink in {compile_s:.1f} s; kept for the next run)")
    # CPU time as well as the wall clock: on a loaded machine, waiting for a core lands
    # on whichever side is running (node's own process.cpuUsage() on its side)
    for clock, mine, ink in (("wall clock", ours, theirs), ("CPU time", ours_cpu, theirs_cpu)):
        a, b = statistics.median(mine), statistics.median(ink)
        print(f"\nby {clock}:")
        print("| benchmark | ours (median) | baseline (median) | ratio | target |")
        print("|---|---|---|---|---|")
        print(
            f"| steps/s, synthetic {args.scenes:,} scenes | {a:,.0f} | {b:,.0f} (inkjs {version}) "
            f"| {a / b:.2f}x | >= 12x |"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
