from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from game.cli import main
from game.engine.model import Story
from game.tools import storytest, testwrite
from tests.conftest import FIXTURES


def _run(story: Story, tmp_path: Path, text: str) -> storytest.Outcome:
    (tmp_path / "tests").mkdir(exist_ok=True)
    (tmp_path / "tests" / "t.yaml").write_text(textwrap.dedent(text))
    return storytest.run_all(story, tmp_path, "S")


def test_fixture_tests_pass(flawed: Story) -> None:
    outcome = storytest.run_all(flawed, FIXTURES / "flawed")
    assert outcome.ok and len(outcome.passed) == 2 and outcome.files == 1


def test_a_failed_expectation_names_file_line_step_and_difference(flawed: Story, tmp_path: Path) -> None:
    outcome = _run(
        flawed,
        tmp_path,
        """\
        tests:
          - name: wrong
            seed: 1
            choices: [take-key, go-cellar]
            expect:
              scene: gate
              flags: {key-found: false}
              counters: {courage: 2}
              members: {ana: hambie}
        """,
    )
    (failure,) = outcome.failures
    text = str(failure)
    assert text.startswith(
        "S/tests/t.yaml:6: test 'wrong': step 2: after the last choice, 4 expectations failed"
    )
    assert "scene: expected 'gate', got 'cellar'" in text
    assert "flags: key-found: expected not set, got set" in text
    assert "counters: courage: expected 2, got 1" in text
    assert "members: ana: expected hambie, got healthy" in text


def test_a_choice_that_is_not_there_names_its_line(flawed: Story, tmp_path: Path) -> None:
    outcome = _run(
        flawed,
        tmp_path,
        """\
        tests:
          - name: brave
            seed: 1
            choices:
              - take-key
              - brave-door
            expect: {ending: treasure-end}
        """,
    )
    text = str(outcome.failures[0])
    assert text.startswith("S/tests/t.yaml:6: test 'brave': step 2: cannot take 'brave-door'")
    assert "available: enter-maze, go-cellar, leave" in text


def test_ending_expectation_and_a_run_that_ended_early(flawed: Story, tmp_path: Path) -> None:
    outcome = _run(
        flawed,
        tmp_path,
        """\
        tests:
          - {name: trips, seed: 3, choices: [leave], expect: {ending: hurt-end, members: {player: injured}}}
          - {name: still going, seed: 3, choices: [take-key], expect: {ending: hurt-end}}
          - {name: too long, seed: 3, choices: [leave, leave], expect: {}}
        """,
    )
    assert [t.name for t in outcome.passed] == ["trips"]
    messages = [str(f) for f in outcome.failures]
    assert "but the run is still going in 'gate'" in messages[0]
    assert "step 2: the run already ended in 'hurt-end'" in messages[1]


def test_malformed_files_are_reported_with_lines(flawed: Story, tmp_path: Path) -> None:
    outcome = _run(
        flawed,
        tmp_path,
        """\
        tests:
          - name: bad
            seed: x
            choise: [leave]
            expect: {sceen: gate}
        """,
    )
    lines = sorted(f.line for f in outcome.failures)
    assert lines == [3, 4, 5]
    assert any("unknown field 'choise'" in str(f) for f in outcome.failures)
    bad_yaml = _run(flawed, tmp_path, "tests: [\n")
    assert "not valid YAML" in str(bad_yaml.failures[0])


def test_dump_and_read_round_trip(flawed: Story, tmp_path: Path) -> None:
    text = testwrite.dump_tests(
        flawed,
        [
            {
                "name": "a: b",
                "seed": 3,
                "choices": ["leave"],
                "expect": {"ending": "hurt-end", "members": {"player": "injured"}},
            }
        ],
        "header",
    )
    path = tmp_path / "x.yaml"
    path.write_text(text)
    (test,), problems = storytest.read_tests(path, "x.yaml")
    assert not problems and test.name == "a: b" and storytest.run_test(flawed, test) is None


def test_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["test", str(FIXTURES / "flawed"), "-v"]) == 0
    assert "2 of 2 tests passed" in capsys.readouterr().out
    assert main(["test", str(FIXTURES / "mini")]) == 0
    assert "no story tests" in capsys.readouterr().out


def test_dump_quotes_choice_ids_yaml_would_read_as_booleans(flawed: Story, tmp_path: Path) -> None:
    # the bundled story has a choice `on`; unquoted, YAML 1.1 reads it back as True
    text = testwrite.dump_tests(
        flawed,
        [{"name": "n", "seed": 1, "choices": ["on", "yes", "leave"], "expect": {"ending": "hurt-end"}}],
    )
    path = tmp_path / "x.yaml"
    path.write_text(text)
    (test,), problems = storytest.read_tests(path, "x.yaml")
    assert not problems and [cid for cid, _ in test.choices] == ["on", "yes", "leave"]
