from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main
from game.engine import saves
from game.engine.loader import load_or_raise
from game.engine.model import Story
from game.tools import explore
from tests.conftest import FIXTURES
from tests.storybuild import write_story


def test_finds_every_flaw(flawed: Story) -> None:
    data = explore.explore(flawed).to_dict()
    assert data["complete"]
    assert data["endings_never_reached"] == ["treasure-end"]
    assert [s["scene"] for s in data["softlocks"]] == ["cellar"]
    assert data["softlocks"][0]["path"] == ["gate/take-key", "gate/go-cellar"]
    (trap,) = data["traps"]
    assert trap["scene"] == "maze-a" and set(trap["scenes"]) == {"maze-a", "maze-b"}
    assert [c["choice"] for c in data["choices_never_available"]] == ["brave-door"]
    assert [c["condition"] for c in data["conditions_never_true"]] == ["counter(courage) >= 3"]
    assert data["conditions_never_true"][0]["pos"].endswith("main.yaml:20:13")
    assert data["scenes_never_reached"] == ["shed", "treasure-end"]
    assert data["endings"]["hurt-end"]["path"] == ["gate/leave#1"]


def test_mini_is_complete_and_every_ending_is_reached(mini: Story) -> None:
    data = explore.explore(mini).to_dict()
    assert data["complete"] and not data["endings_never_reached"]
    assert not data["softlocks"] and not data["traps"]
    assert [c["choice"] for c in data["choices_never_available"]] == ["shoot"]


def _stable(data: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in data.items() if k not in ("seconds", "setup_seconds", "states_per_second")}


def test_deterministic_by_seed(mini: Story) -> None:
    assert _stable(explore.explore(mini, seed=5).to_dict()) == _stable(
        explore.explore(mini, seed=5).to_dict()
    )


def test_witnesses_replay_and_verify(tmp_path: Path, mini: Story) -> None:
    result = explore.explore(mini, seed=3)
    written = explore.write_witnesses(result, tmp_path)
    assert set(written) == {"street-end", "turned-end", "dead-end"}
    for scene_id, path in written.items():
        run, replay = saves.verify(mini, path)
        assert replay.final.scene == scene_id if hasattr(replay, "final") else True
        assert run.outcome == mini.scenes[scene_id].ending.title  # type: ignore[union-attr]


def test_witness_with_a_forced_roll_verifies(tmp_path: Path, flawed: Story) -> None:
    written = explore.write_witnesses(explore.explore(flawed), tmp_path)
    for path in written.values():
        saves.verify(flawed, path)
    assert main(["replay", str(written["hurt-end"]), "--verify", "--story", str(FIXTURES / "flawed")]) == 0


def test_bound_hit_is_reported(mini: Story) -> None:
    data = explore.explore(mini, max_states=5).to_dict()
    assert not data["complete"] and data["frontier"] > 0
    assert data["states"] == 5
    assert not data["traps"]  # unexplored states get the benefit of the doubt


def test_clock_stays_exact_until_the_last_threshold(tmp_path: Path) -> None:
    # Waiting is an endless loop only until 10:00; then the event ends the run.
    root = write_story(
        tmp_path / "s",
        """
          - id: s
            location: room
            text: Waiting.
            choices:
              - {id: wait, label: Wait, time: 30, goto: s}
        """,
        events="- {id: late, when: 'clock >= 1d10:00', scene: end}\n",
    )
    story = load_or_raise(root)
    data = explore.explore(story).to_dict()
    assert data["complete"] and not data["traps"]
    assert data["endings"]["end"]["steps"] == 4


def test_a_loop_with_no_clock_condition_closes(tmp_path: Path) -> None:
    root = write_story(
        tmp_path / "s",
        """
          - id: s
            location: room
            text: Waiting.
            choices:
              - {id: wait, label: Wait, time: 30, goto: s}
        """,
    )
    data = explore.explore(load_or_raise(root)).to_dict()
    assert data["complete"] and data["states"] <= 3
    assert data["traps"][0]["scene"] == "s"


def test_cli_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", str(FIXTURES / "flawed")]) == 1
    out = capsys.readouterr().out
    for words in ("Softlocks", "Endless loops", "never reached", "Conditions never true", "shed"):
        assert words in out
    assert main(["explore", str(FIXTURES / "mini"), "--json", "--witness-dir", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert Path(data["witnesses"]["dead-end"]).is_file()
    assert main(["explore", str(FIXTURES / "mini"), "--max-states", "3"]) == 0
    assert "bound hit" in capsys.readouterr().out


def test_novelty_order_finds_the_same_things_on_a_small_story(flawed: Story, mini: Story) -> None:
    for story in (flawed, mini):
        a = explore.explore(story).to_dict()
        b = explore.explore(story, order="novelty").to_dict()
        for key in ("complete", "endings_never_reached", "scenes_never_reached", "conditions_never_true"):
            assert a[key] == b[key]
        assert [s["scene"] for s in a["softlocks"]] == [s["scene"] for s in b["softlocks"]]
        assert [t["scene"] for t in a["traps"]] == [t["scene"] for t in b["traps"]]
        assert a["states"] == b["states"]


def test_novelty_witnesses_verify_too(tmp_path: Path, mini: Story) -> None:
    result = explore.explore(mini, seed=2, order="novelty")
    paths = explore.write_witnesses(result, tmp_path)
    assert set(paths) == {"street-end", "turned-end", "dead-end"}  # every ending, not none
    for path in paths.values():
        run, _ = saves.verify(mini, path)  # raises unless the replay reproduces the save
        assert run.steps


def test_from_a_save_explores_the_branch_and_witnesses_include_the_way_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flawed: Story
) -> None:
    from game.engine.rules import choose, new_game

    state = new_game(flawed, seed=9)
    run = saves.Run.start(flawed, state)
    after, _ = choose(flawed, state, "take-key")
    run = run.record(flawed, "gate", "take-key", "Take the key", after)
    saves.save_run(tmp_path / "saves", "keyed", run)
    witnesses = tmp_path / "w"
    code = main(
        [
            "explore",
            str(FIXTURES / "flawed"),
            "--from",
            "keyed",
            "--saves",
            str(tmp_path / "saves"),
            "--json",
            "--witness-dir",
            str(witnesses),
        ]
    )
    assert code == 1  # the cellar softlock is still there
    data = json.loads(capsys.readouterr().out)
    assert data["started_after"] == 1 and data["seed"] == 9
    assert data["softlocks"][0]["path"] == ["gate/go-cellar"]
    for path in witnesses.glob("*.json"):
        saved, _ = saves.verify(flawed, path)
        assert saved.steps[0].choice == "take-key"
