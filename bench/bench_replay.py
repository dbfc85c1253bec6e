"""Replaying a saved 1,000-step run vs the engine taking the same 1,000 steps.

    python bench/bench_replay.py [--steps 1000] [--repeat 7]

The story is generated into a temp folder (a ring of scenes with effects, conditions,
locked choices and rolls), so the figures do not depend on the bundled story. Prints
one Markdown table row (best of --repeat, milliseconds):

| benchmark | engine | replay | ratio | load + replay | ratio |
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.engine import rules, saves  # noqa: E402
from game.engine.loader import load_or_raise  # noqa: E402
from game.engine.model import Story  # noqa: E402

SCENES = 40


def write_story(root: Path, scenes: int = SCENES) -> None:
    (root / "scenes").mkdir(parents=True)
    (root / "story.yaml").write_text(
        "format: 1\n"
        "title: Ring\n"
        "start: r0\n"
        "clock: {start: 1d08:00, step: 5}\n"
        "cast:\n"
        "  ana: {name: Ana, traits: [archer], with: true}\n"
        "  bo: {name: Bo, traits: [fighter], with: true}\n"
        "items:\n"
        "  food: {name: Food, max: 9}\n"
        "inventory: {food: 3}\n"
        "locations:\n"
        "  ring: {name: The ring, area: school, map: [0, 0]}\n"
        "  end: {name: Outside, area: city, map: [0, 0]}\n"
        "flags:\n"
        "  lucky: A roll went well.\n"
        "  never: Never set.\n"
        "counters:\n"
        "  laps: {start: 0}\n"
        "events:\n"
        "  - {id: you-die, on: died, who: [player], scene: out}\n"
        "  - {id: loud, when: noise >= 9, scene: hush, once: false, return: true}\n"
    )
    lines = ["scenes:"]
    for i in range(scenes):
        nxt = f"r{(i + 1) % scenes}"
        lines += [
            f"  - id: r{i}",
            "    location: ring",
            "    text:",
            f"      - Room {i} of the ring. {{ana}} waits; it is {{time}} on day {{day}}.",
            "      - if: flag(lucky) and present(bo)",
            "        text: Bo grins at the luck so far.",
            "        else: Nobody is smiling.",
            "    on_enter: [{add: {laps: 1}}]",
            "    choices:",
            "      - id: on",
            "        label: Go on",
            "        effects: [{noise: 1}]",
            f"        goto: {nxt}",
            "      - id: eat",
            "        label: Eat ({item:food} left)",
            '        requires: {if: "item(food) >= 1", reason: No food.}',
            "        effects: [{take: {food: 1}}, {noise: -3}]",
            "        time: 20",
            f"        goto: r{i}",
            "      - id: gamble",
            "        label: Search the room",
            "        roll:",
            "          - chance: 50",
            "            modifiers: [{if: present(ana), add: 10}]",
            f"            goto: {nxt}",
            "            effects: [{give: {food: 1}}, {set: lucky}]",
            "            text: You find food.",
            "          - chance: 50",
            f"            goto: {nxt}",
            "            effects: [{clear: lucky}, {noise: 2}]",
            "            text: Nothing but noise.",
            "      - id: leave",
            "        label: Leave the ring",
            "        if: flag(never)",
            "        goto: out",
        ]
    lines += [
        "  - id: hush",
        "    location: ring",
        "    text: Too loud. You wait for the corridor to go quiet.",
        "    choices:",
        "      - {id: wait, label: Wait, effects: [{noise: -6}], time: 30, return: true}",
        "  - id: out",
        "    location: end",
        "    text: Out.",
        "    ending: {title: Out, kind: escape}",
    ]
    (root / "scenes" / "ring.yaml").write_text("\n".join(lines) + "\n")


def record_run(story: Story, steps: int, seed: int = 7) -> tuple[saves.Run, list[str]]:
    """A run of `steps` choices, picked by a fixed rotation over the available ones."""
    state = rules.new_game(story, seed=seed)
    run = saves.Run.start(story, state)
    ids: list[str] = []
    for i in range(steps):
        views = [v for v in rules.choices(story, state) if v.available]
        view = views[i % len(views)]
        before = state.scene
        state, _ = rules.choose(story, state, view.id)
        run = run.record(story, before, view.id, view.label, state)
        ids.append(view.id)
    return run, ids


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_story(root / "story")
        story = load_or_raise(root / "story")
        run, ids = record_run(story, args.steps)
        path = saves.save_run(root / "saves", "bench", run)
        assert saves.replay(story, saves.load_run(path)).verified

        def engine() -> None:
            state = rules.new_game(story, seed=run.seed, player_name=run.player_name)
            for cid in ids:
                state, _ = rules.choose(story, state, cid)

        def replay_only() -> None:
            saves.replay(story, run)

        def load_and_replay() -> None:
            saves.replay(story, saves.load_run(path))

        engine()  # warm up
        t_engine = best(engine, args.repeat)
        t_replay = best(replay_only, args.repeat)
        t_load = best(load_and_replay, args.repeat)
        size = path.stat().st_size
    print("| benchmark | engine | replay | ratio | load + replay | ratio |")
    print("|---|---|---|---|---|---|")
    print(
        f"| replay {args.steps:,} steps ({size / 1024:.0f} KB save) | {t_engine:.1f} ms | {t_replay:.1f} ms "
        f"| {t_replay / t_engine:.2f}x | {t_load:.1f} ms | {t_load / t_engine:.2f}x |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
