"""`hyosan continuity` and `hyosan check --deep` as a writer types them, and `quiet:` in
the loader."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from game.engine.loader import load_story
from tests.conftest import FIXTURES
from tests.test_cli import hyosan

STORY = str(FIXTURES / "continuity")
LINE = re.compile(
    r"^\S+:\d+:\d+: warning: (people|pronoun|repeat|time|place|fact): .+ \[\d+ runs?; witness: .+\]"
)


def test_continuity_prints_one_line_per_finding_and_a_summary() -> None:
    out = hyosan("continuity", STORY, "--runs", "4", "--jobs", "1")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert all(LINE.match(line) for line in lines[:-1]), lines
    assert re.search(r"continuity: 16 findings \(.*\), 1 silenced; 4 runs, [\d,]+ states in", lines[-1])
    assert out.stderr == ""  # no progress bar when not on a terminal
    assert hyosan("continuity", STORY, "--runs", "4", "--jobs", "1", "--strict").returncode == 1


def test_check_deep_writes_witnesses_that_replay_verify(tmp_path: Path) -> None:
    out = hyosan("check", STORY, "--deep", "--deep-runs", "3", "--jobs", "1", "--witness-dir", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "0 errors, 16 warnings" in out.stdout  # the findings are check's warnings
    dead = next(line for line in out.stdout.splitlines() if "On-jo speaks" in line)
    save = dead.rsplit("witness: ", 1)[1].rstrip("]")
    assert Path(save).parent == tmp_path
    replayed = hyosan("replay", save, "--headless", "--verify", "--story", STORY)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert 'On-jo says, "We should go' in replayed.stdout


def test_show_silenced_and_json() -> None:
    plain = hyosan("check", STORY, "--deep", "--deep-runs", "3", "--jobs", "1")
    assert "silenced:" not in plain.stdout
    shown = hyosan("check", STORY, "--deep", "--deep-runs", "3", "--jobs", "1", "--show-silenced")
    assert "(silenced: the fixture's own sky, on purpose)" in shown.stdout
    out = hyosan("check", STORY, "--deep", "--deep-runs", "3", "--jobs", "1", "--json")
    whole = json.loads(out.stdout)
    assert whole["warnings"] == 16 and all(d["severity"] == "warning" for d in whole["diagnostics"])
    data = whole["continuity"]
    assert data["findings_open"] == 16 and data["findings_silenced"] == 1 and data["runs"] == 3
    first = data["findings"][0]
    assert {"rule", "kind", "path", "line", "col", "message", "witness"} <= set(first)
    assert first["witness"]["choices"] and first["witness"]["scene"]


def test_bad_arguments_are_one_line_errors() -> None:
    out = hyosan("continuity", STORY, "--runs", "0")
    assert out.returncode == 1 and out.stderr.strip() == "hyosan: --runs must be at least 1"
    out = hyosan("continuity", STORY, "--rule", "spelling")
    assert out.returncode == 1 and "unknown rule 'spelling'" in out.stderr and "Traceback" not in out.stderr


def test_quiet_needs_a_known_rule_and_a_reason(tmp_path: Path) -> None:
    shutil.copytree(STORY, tmp_path / "s")
    faults = tmp_path / "s" / "scenes" / "faults.yaml"
    text = faults.read_text()
    text = text.replace(
        'quiet: {time: "the fixture\'s own sky, on purpose"}', 'quiet: {tiem: "x", people: ""}'
    )
    faults.write_text(text)
    result = load_story(tmp_path / "s")
    messages = [str(d) for d in result.errors]
    assert any(
        ":108:" in m and "unknown continuity rule 'tiem'" in m and "did you mean 'time'" in m
        for m in messages
    )
    assert any(":108:" in m and "quiet: people needs a reason" in m for m in messages)
