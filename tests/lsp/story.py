"""A small two-file story (manifest, two scene files) for the language server's tests."""

from __future__ import annotations

from pathlib import Path

MANIFEST = """\
format: 1
title: Two rooms
start: hall
cast:
  ana: {name: Ana, traits: [archer], with: true}
items:
  arrows: {name: Arrows, max: 5}
locations:
  room: {name: Room, area: school}
  yard: {name: Yard, area: school}
flags:
  door-shut: The door is shut.
counters:
  trust: {start: 0, about: How much Ana trusts you.}
"""

HALL = """\
scenes:
  - id: hall
    location: room
    text: |
      A long hall. {ana} waits by the door.
    choices:
      - id: shut
        label: Shut the door
        effects: [{set: door-shut}, {add: {trust: 1}}]
        goto: yard
      - id: wait
        label: Wait
        if: flag(door-shut)
        goto: yard-end
"""

YARD = """\
scenes:
  - id: yard
    location: yard
    text: The yard is empty. Trust {counter:trust}.
    choices:
      - id: back
        label: Go back
        goto: hall
      - id: out
        label: Leave
        if: counter(trust) >= 1
        goto: yard-end
  - id: yard-end
    location: yard
    text: You leave.
    ending: {title: Out, kind: escape}
"""


def write_story(tmp_path: Path) -> Path:
    root = tmp_path / "two"
    (root / "scenes").mkdir(parents=True)
    (root / "story.yaml").write_text(MANIFEST)
    (root / "scenes" / "hall.yaml").write_text(HALL)
    (root / "scenes" / "yard.yaml").write_text(YARD)
    return root
