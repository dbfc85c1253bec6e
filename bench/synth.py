"""A seeded synthetic story of N scenes, for benchmarks and tools tests.

    python bench/synth.py OUT_DIR --scenes 10000 --seed 1

Scenes look like the bundled story's: ~150 words of text with a conditional paragraph
and substitutions, 2-4 choices with conditions, requirements, effects and rolls, spread
over files of 100 scenes in area folders. Every scene is reachable (scene i always leads
to i+1) and every flag is both set and read, so the checker reports nothing.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = (
    "the corridor smells of smoke and floor polish while somebody far below keeps "
    "hammering on a door you press your back to the wall and count the breaths between "
    "the thuds the light through the window is the ordinary light of a school morning "
    "which makes everything worse because nothing here is ordinary any more and your "
    "friends are looking at you to decide"
).split()
CAST = ["on-jo", "cheong-san", "su-hyeok", "nam-ra", "dae-su", "mi-jin"]
AREAS = ["school", "city", "quarantine"]
N_FLAGS = 50


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, words: int) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(_sentence(rng, rng.randint(8, 18)))
    return " ".join(out)


def manifest(n_locations: int) -> str:
    lines = [
        "format: 1",
        "title: Synthetic",
        "start: s0",
        "clock: {start: 1d08:00, step: 5}",
        "infection:",
        "  incubation: {min: 30, max: 120}",
        "  hambie_chance: 0.2",
        "cast:",
    ]
    for i, mid in enumerate(CAST):
        lines.append(f"  {mid}: {{name: {mid.title()}, traits: [t{i}], with: true}}")
    lines += [
        "items:",
        "  arrows: {name: Arrows, max: 30}",
        "  food: {name: Food, max: 20}",
        "inventory: {arrows: 5, food: 3}",
        "locations:",
    ]
    for i in range(n_locations):
        lines.append(f"  loc{i}: {{name: Place {i}, area: {AREAS[i % 3]}, map: [{i % 8}, {(i // 8) % 5}]}}")
    lines.append("flags:")
    for i in range(N_FLAGS):
        lines.append(f"  f{i}: Synthetic flag {i}.")
    lines += [
        "events:",
        "  - {id: you-turn, on: turned-zombie, who: [player], scene: ending-turned}",
        "  - {id: you-die, on: died, who: [player], scene: ending-turned}",
    ]
    return "\n".join(lines) + "\n"


def scene(rng: random.Random, i: int, n: int, n_locations: int, loop: bool = False) -> str:
    sid = f"s{i}"
    loc = f"loc{rng.randrange(n_locations)}"
    member = rng.choice(CAST)
    text = _paragraph(rng, rng.randint(100, 150))
    lines = [
        f"  - id: {sid}",
        f"    location: {loc}",
        "    text:",
        "      - |",
        f"        {{player}} hears {{{member}}}. {text}",
        f"      - if: present({member}) and flag(f{i % N_FLAGS})",
        f"        text: {_sentence(rng, 12)}",
        f"        else: {_sentence(rng, 10)}",
    ]
    if not loop and i >= n - max(1, n // 100):
        lines += ["    ending:", f"      title: Ending {i}", "      kind: synthetic"]
        return "\n".join(lines)
    lines.append("    choices:")
    targets = [i + 1] + [min(n - 1, i + rng.randint(2, 40)) for _ in range(rng.randint(1, 3))]
    if loop:  # no endings: the last scenes lead back to the first ones
        targets = [t % n if t != i else (i + 1) % n for t in targets]
    for j, target in enumerate(targets):
        lines += [
            f"      - id: c{j}",
            f"        label: {_sentence(rng, 6)}",
        ]
        if j == 0:
            lines.append(f"        effects: [{{set: f{(i + 7) % N_FLAGS}}}]")
            lines.append(f"        goto: s{target}")
            continue
        kind = rng.random()
        if kind < 0.3:
            lines.append(f"        if: present({rng.choice(CAST)}) or flag(f{rng.randrange(N_FLAGS)})")
        elif kind < 0.5:
            lines += [
                "        requires:",
                '          - {if: "item(arrows) >= 1", reason: You need an arrow.}',
                "        effects: [{take: {arrows: 1}}, {noise: 1}]",
            ]
        if kind > 0.8:
            lines += [
                "        roll:",
                "          - chance: 70",
                f"            modifiers: [{{if: present({member}), add: 10}}]",
                f"            goto: s{target}",
                f"            text: {_sentence(rng, 8)}",
                "          - chance: 30",
                f"            goto: s{target}",
                f"            effects: [{{injure: {member}}}, {{give: {{food: 1}}}}]",
                f"            text: {_sentence(rng, 8)}",
            ]
        else:
            lines.append(f"        goto: s{target}")
    return "\n".join(lines)


def generate(out: Path, n_scenes: int, seed: int = 1, per_file: int = 100, loop: bool = False) -> Path:
    """`loop`: no endings, every path goes on for ever (for long-run benchmarks)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    n_locations = max(3, min(120, n_scenes // 20))
    (out / "story.yaml").write_text(manifest(n_locations))
    scenes = [scene(rng, i, n_scenes, n_locations, loop) for i in range(n_scenes)]
    scenes.append(
        "  - id: ending-turned\n    location: loc0\n    text: You turned.\n"
        "    ending: {title: Turned, kind: turned}"
    )
    for start in range(0, len(scenes), per_file):
        folder = out / AREAS[(start // per_file) % 3]
        folder.mkdir(exist_ok=True)
        body = "\n".join(scenes[start : start + per_file])
        (folder / f"part{start // per_file:04d}.yaml").write_text("scenes:\n" + body + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.scenes, args.seed)
    print(f"wrote {args.scenes} scenes to {args.out}")


if __name__ == "__main__":
    main()
