"""Writing story tests (for `simulate --write-tests`): the YAML text of a test file, and
what a witness test checks at its ending."""

from __future__ import annotations

from typing import Any

import yaml

from ..engine.model import PLAYER, Story
from ..engine.state import GameState


def dump_tests(story: Story, entries: list[dict[str, Any]], header: str = "") -> str:
    """A test file's text: `entries` are dicts with name, seed, choices and expect."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines.append("tests:")
    for entry in entries:
        lines.extend(entry_lines(entry))
    return "\n".join(lines) + "\n"


def entry_lines(entry: dict[str, Any]) -> list[str]:
    """One test of a file's `tests:` list, as lines indented for it."""
    lines = [f"  - name: {_yaml_scalar(entry['name'])}", f"    seed: {int(entry['seed'])}"]
    if entry.get("player"):
        lines.append(f"    player: {_yaml_scalar(entry['player'])}")
    steps = entry.get("choices", [])
    if steps:
        lines.append("    choices:")
        lines.extend(f"      - {_yaml_scalar(cid)}" for cid in steps)  # `on` would read as true
    else:
        lines.append("    choices: []")
    lines.append("    expect:")
    for key, value in entry["expect"].items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in value.items())
            lines.append(f"      {key}: {{{inner}}}")
        elif isinstance(value, list):
            lines.append(f"      {key}: [{', '.join(_yaml_scalar(v) for v in value)}]")
        else:
            lines.append(f"      {key}: {_yaml_scalar(value)}")
    return lines


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = yaml.safe_dump(str(value), default_style=None, width=10_000).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def ending_expectations(story: Story, state: GameState) -> dict[str, Any]:
    """What a witness test checks at its ending: the scene and every met member's status."""
    members = {
        mid: state.members[mid].status()
        for mid in [PLAYER, *story.cast]
        if mid in state.members and state.members[mid].met
    }
    return {"ending": state.scene, "members": members}
