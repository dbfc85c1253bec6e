"""A minimal dict-walking engine: the baseline for engine speed.

It reads the story's YAML into plain dicts and walks them: render the scene text (plain
paragraphs, `{player}` replaced), pick a random choice, follow `goto` or a roll's
weighted outcome. No conditions, no effects, no infection, no state to copy: the floor
any real engine sits above.
"""

from __future__ import annotations

import glob
import random
from pathlib import Path
from typing import Any

import yaml


def load(root: Path) -> tuple[str, dict[str, Any]]:
    with open(root / "story.yaml", "rb") as fh:
        manifest = yaml.load(fh, Loader=yaml.CSafeLoader)
    scenes: dict[str, Any] = {}
    for f in sorted(glob.glob(str(root / "**" / "*.yaml"), recursive=True)):
        if f.endswith("story.yaml") or "/tests/" in f:
            continue
        with open(f, "rb") as fh:
            for scene in yaml.load(fh, Loader=yaml.CSafeLoader).get("scenes", []):
                scenes[scene["id"]] = scene
    return manifest["start"], scenes


def render(scene: dict[str, Any], player: str) -> str:
    text = scene["text"]
    if isinstance(text, list):
        text = "\n\n".join(b if isinstance(b, str) else b.get("text", "") for b in text)
    return str(text).replace("{player}", player)


def play(start: str, scenes: dict[str, Any], steps: int, seed: int) -> int:
    rng = random.Random(seed)
    sid = start
    chars = 0
    for _ in range(steps):
        scene = scenes[sid]
        chars += len(render(scene, "Ye-jin"))
        choices = scene.get("choices")
        if not choices:
            sid = start
            continue
        choice = rng.choice(choices)
        roll = choice.get("roll")
        if roll:
            outcome = rng.choices(roll, weights=[o["chance"] for o in roll])[0]
            sid = outcome.get("goto") or sid
        else:
            sid = choice.get("goto") or sid
    return chars
