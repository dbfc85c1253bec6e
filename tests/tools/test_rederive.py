"""`hyosan test --rederive`: new paths for story tests that stopped playing."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from game.cli import main
from game.tools import storytest
from tests.storybuild import TWO_ROADS as SCENES
from tests.storybuild import write_story

TESTS = """\
# a comment before the tests stays
tests:
  # the left road (its first choice was renamed since)
  - name: the left road
    seed: 1
    choices: [go-left, "on", "on"]
    expect:
      scene: end
      visited: [l2]
  - name: the right road ends with Bo turned
    seed: 1
    choices: [right]
    expect:
      ending: end
      members: {bo: healthy}
  - name: still fine
    seed: 1
    choices: [left]
    expect: {scene: l1}
"""


def test_failing_tests_get_new_paths_and_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_story(tmp_path / "story", SCENES)
    (root / "tests").mkdir()
    (root / "tests" / "t.yaml").write_text(TESTS)
    assert main(["test", str(root)]) == 1
    assert main(["test", str(root), "--rederive", "--runs", "50"]) == 0
    out = capsys.readouterr()
    assert "3 of 3 tests passed" in out.out
    assert out.err.count(": new path,") == 2
    text = (root / "tests" / "t.yaml").read_text()
    assert text.startswith("# a comment before the tests stays\ntests:\n")
    tests, problems = storytest.read_tests(root / "tests" / "t.yaml", "t.yaml")
    assert not problems
    left, right, fine = tests
    # what the left test expects is kept, and its new path meets it
    assert [c for c, _ in left.choices] == ["left", "on", "on"]
    assert left.expect["visited"][0] == ["l2"] and left.expect["scene"][0] == "end"
    # an ending's witness keeps its ending and pins who lived again from the new run
    assert [c for c, _ in right.choices][-1] == "bite" and right.expect["ending"][0] == "end"
    assert right.expect["members"][0]["bo"] in ("zombie", "hambie")
    assert [c for c, _ in fine.choices] == ["left"]  # a passing test is left as it was


def test_visited_is_checked_and_a_test_nothing_can_meet_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_story(tmp_path / "story", SCENES)
    (root / "tests").mkdir()
    (root / "tests" / "t.yaml").write_text(
        textwrap.dedent(
            """\
            tests:
              - name: left never passes the right
                seed: 1
                choices: [left, "on", "on"]
                expect: {visited: [l1, r1]}
            """
        )
    )
    assert main(["test", str(root), "--rederive", "--runs", "30"]) == 1
    out = capsys.readouterr()
    assert "visited: expected the run to have entered 'r1'; it never did" in out.out
    assert "no new path (no run of 30 showed it)" in out.err
