"""Build small stories in a temp folder for tests: a manifest plus scene files."""

from __future__ import annotations

import textwrap
from pathlib import Path

from game.engine.loader import LoadResult, load_story

BASE_MANIFEST = """\
format: 1
title: Test
start: {start}
clock: {{start: 1d08:00, step: 5}}
infection:
  incubation: {{min: 30, max: 30}}
  hambie_chance: {hambie}
  hunger: {{per_hour: 60, rising: 50, crisis: 100, after_feed: 10}}
cast:
  ana: {{name: Ana, traits: [archer], with: true}}
  bo: {{name: Bo, traits: [fighter], with: true}}
  cy: {{name: Cy, traits: [runner]}}
items:
  arrows: {{name: Arrows, max: 5}}
  food: {{name: Food}}
inventory: {{arrows: 2}}
locations:
  room: {{name: Room, area: school, map: [0, 0]}}
  street: {{name: Street, area: city, map: [1, 0]}}
flags:
  door: The door.
counters:
  trust: {{start: 3}}
events:
  - {{id: you-turn, on: turned-zombie, who: [player], scene: end}}
  - {{id: you-die, on: died, who: [player], scene: end}}
{events}
{extra}
"""


# two roads from `s`: left through l1 and l2, right through r1, where Bo is bitten and turns
TWO_ROADS = """\
- id: s
  location: room
  text: Two roads.
  choices:
    - {id: left, label: Left, goto: l1}
    - {id: right, label: Right, goto: r1}
- id: l1
  location: room
  text: Left one.
  choices: [{id: on, label: On, goto: l2}]
- id: l2
  location: room
  text: Left two.
  choices: [{id: on, label: On, goto: end}]
- id: r1
  location: street
  text: Right one.
  choices:
    - {id: bite, label: Bo is bitten and turns, effects: [{bite: bo}, {turn: bo}], goto: end}
"""


def write_story(
    root: Path,
    scenes: str,
    *,
    start: str = "s",
    hambie: float = 0.0,
    extra: str = "",
    events: str = "",
    end_scene: bool = True,
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(
        BASE_MANIFEST.format(
            start=start,
            hambie=hambie,
            extra=textwrap.dedent(extra),
            events=textwrap.indent(textwrap.dedent(events), "  "),
        )
    )
    body = textwrap.dedent(scenes)
    if end_scene:
        body += textwrap.dedent(
            """
              - id: end
                location: street
                text: The end.
                ending: {title: End, kind: end}
            """
        )
    (root / "scenes.yaml").write_text("scenes:\n" + textwrap.indent(body, ""))
    return root


def load(root: Path) -> LoadResult:
    return load_story(root)
