"""A scene whose every choice is shown but locked is a softlock, just like a scene whose
every choice is hidden: explore and simulate both say so."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.model import Story
from game.tools import explore, simulate
from tests.storybuild import load, write_story


@pytest.fixture()
def locked(tmp_path: Path) -> Story:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Start.
          choices:
            - {id: in, label: Into the vault, goto: vault}
            - {id: leave, label: Leave, goto: end}
        - id: vault
          location: room
          text: The door shut behind you.
          choices:
            - id: pick
              label: Pick the lock
              requires: {if: "item(arrows) >= 3", reason: You have nothing to pick it with.}
              goto: s
        """,
    )
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.story is not None
    return result.story


def test_explore_reports_a_scene_of_locked_choices(locked: Story) -> None:
    data = explore.explore(locked).to_dict()
    assert [s["scene"] for s in data["softlocks"]] == ["vault"]
    assert data["softlocks"][0]["path"] == ["s/in"]
    never = data["choices_never_available"]
    assert [(c["choice"], c["why"]) for c in never] == [("pick", "always locked: You have nothing to pick it with.")]


def test_simulate_reports_a_scene_of_locked_choices(locked: Story) -> None:
    tally = simulate.simulate(locked, 40, 1, "random", jobs=1, cap=50)
    data = simulate.report(locked, tally, 1, "random")
    assert data["softlocks"]["scenes"] == {"vault": data["softlocks"]["count"]}  # type: ignore[index]
    assert data["softlocks"]["count"] > 0  # type: ignore[index]
