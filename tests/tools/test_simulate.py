from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main
from game.engine.model import Story
from game.tools import simulate, storytest
from tests.conftest import FIXTURES
from tests.storybuild import TWO_ROADS as BRANCHES


def _report(story: Story, runs: int, seed: int, jobs: int, strategy: str = "random") -> dict[str, object]:
    tally = simulate.simulate(story, runs, seed, strategy, jobs=jobs, cap=100)
    return simulate.report(story, tally, seed, strategy)


def test_finds_loops_softlocks_and_the_ending_nobody_reaches(flawed: Story) -> None:
    data = _report(flawed, 200, 1, jobs=1)
    counts = {e["scene"]: e["count"] for e in data["endings"]}  # type: ignore[attr-defined]
    assert counts["treasure-end"] == 0 and counts["out-end"] > 0 and counts["hurt-end"] > 0
    assert data["loops"]["count"] > 0  # type: ignore[index]
    example = data["loops"]["examples"][0]  # type: ignore[index]
    assert example["steps"] == 100 and "maze-a" in example["detail"]
    assert data["softlocks"]["scenes"] == {"cellar": data["softlocks"]["count"]}  # type: ignore[index]
    assert "treasure-end" in data["coverage"]["scenes_never_reached"]  # type: ignore[index]
    assert "gate/brave-door" in data["coverage"]["choices_never_taken"]  # type: ignore[index]
    assert data["runs"] == 200


def test_same_seed_same_numbers_whatever_the_core_count(flawed: Story) -> None:
    one = _report(flawed, 160, 7, jobs=1)
    two = _report(flawed, 160, 7, jobs=2)
    assert one == two
    assert _report(flawed, 160, 8, jobs=1) != one


def test_fresh_strategy_is_deterministic_and_covers(mini: Story) -> None:
    a = _report(mini, 120, 3, jobs=1, strategy="fresh")
    b = _report(mini, 120, 3, jobs=2, strategy="fresh")
    assert a == b
    assert a["coverage"]["scenes"]["reached"] == len(mini.scenes)  # type: ignore[index]


def test_fates_are_percentages_of_ended_runs(mini: Story) -> None:
    data = _report(mini, 200, 2, jobs=1)
    for row in data["fates"].values():  # type: ignore[attr-defined]
        assert sum(row.values()) == pytest.approx(100.0)


def test_run_seeds_are_stable() -> None:
    assert simulate.run_seed(0, 0) == simulate.run_seed(0, 0)
    assert len({simulate.run_seed(5, i) for i in range(1000)}) == 1000
    assert all(0 <= simulate.run_seed(s, i) < 2**31 for s in (0, 1, 2**40) for i in (0, 9))


def test_cli_json_and_written_tests_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mini: Story
) -> None:
    out = tmp_path / "tests"
    code = main(
        [
            "simulate",
            str(FIXTURES / "mini"),
            "--runs",
            "150",
            "--seed",
            "4",
            "--json",
            "--write-tests",
            str(out),
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runs"] == 150 and data["tests_written"].endswith("simulated-endings.yaml")
    tests, problems = storytest.read_tests(out / "simulated-endings.yaml", "t.yaml")
    assert not problems
    reached = {e["scene"] for e in data["endings"] if e["count"]}
    assert {t.expect["ending"][0] for t in tests} == reached
    for test in tests:
        assert storytest.run_test(mini, test) is None


def test_cli_exit_code_flags_loops(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", str(FIXTURES / "flawed"), "--runs", "50", "--cap", "50"]) == 1
    out = capsys.readouterr().out
    assert "hit the step cap" in out and "cellar" in out and "Endings" in out


def test_first_strategy_always_takes_the_first_choice(tmp_path: Path) -> None:
    from tests.storybuild import load, write_story

    story = load(write_story(tmp_path, BRANCHES)).story
    assert story is not None
    first = _report(story, 40, 1, jobs=1, strategy="first")
    assert first["coverage"]["choices"]["taken"] == 3  # type: ignore[index]
    assert "s/right" in first["coverage"]["choices_never_taken"]  # type: ignore[index]
    randomly = _report(story, 40, 1, jobs=1)
    assert randomly["coverage"]["choices"]["taken"] == 5  # type: ignore[index]


def test_hambies_and_scene_overlap(tmp_path: Path) -> None:
    from tests.storybuild import load, write_story

    story = load(write_story(tmp_path, BRANCHES, hambie=1.0)).story
    assert story is not None
    data = _report(story, 400, 2, jobs=2)
    hambies = data["hambies"]  # type: ignore[index]
    # every run that went right saw Bo turn, and hambie_chance 1.0 makes it a hambie
    right_runs = 100.0 * data["coverage"]["scene_visits"]["r1"] / 400  # type: ignore[index]
    assert hambies["any"] == pytest.approx(right_runs) and 30 < right_runs < 70
    assert hambies["members"]["bo"] == hambies["any"] and hambies["members"]["ana"] == 0.0
    overlap = data["overlap"]  # type: ignore[index]
    # a pair whose first choices differ shares s and end of {s, l1, l2, r1, end}: 2 of 5
    assert overlap["all"]["median"] == pytest.approx(40.0) and overlap["all"]["max"] == pytest.approx(40.0)
    assert 50 < overlap["all"]["pairs"] < 150  # about half of the 200 pairs differ
