"""The faults fixture (tests/fixtures/faults): one fault of every kind the author tools
must find, each reported with a position, and each explore finding with a witness save
that `hyosan replay --verify` replays and that stops where the finding is."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from game.cli import main
from game.engine import saves
from game.engine.loader import load_or_raise
from game.engine.model import Story
from tests.conftest import FIXTURES

FAULTS = FIXTURES / "faults"
MAIN = str(FAULTS / "scenes" / "main.yaml")


def _at(needle: str) -> tuple[int, int]:
    """Line and column (1-based) of `needle` in the fixture's scene file."""
    for n, line in enumerate(Path(MAIN).read_text().splitlines(), start=1):
        if needle in line:
            return n, line.index(needle) + 1
    raise AssertionError(needle)


def _scene(sid: str) -> tuple[int, int]:
    line, col = _at(f"- id: {sid}")
    return line, col + 2


MODIFIER = "{}:{}:{}".format(MAIN, *_at("counter(courage) >= 5"))
BO_MET = "{}:{}:{}".format(MAIN, *_at("flag(bo-met)"))


@pytest.fixture(scope="module")
def faults() -> Story:
    return load_or_raise(FAULTS)


def _check_json(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, object]]:
    code = main(["check", str(FAULTS), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_check_finds_the_static_faults_with_positions_and_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _check_json(capsys)
    assert code == 1  # the broken story test is an error
    assert data["version"] == 1
    found = {(d["code"], d["path"], d["line"], d["col"]) for d in data["diagnostics"]}  # type: ignore[union-attr]
    assert ("W-ENDLESS-CYCLE", MAIN, *_scene("roof-watch")) in found  # roof-watch <-> roof-round
    assert ("W-NO-ENDING-PATH", MAIN, *_scene("store-shelves")) in found  # only leads into it
    assert ("W-UNREACHABLE", MAIN, *_scene("brave-end")) in found
    broken = str(FAULTS / "tests" / "broken.yaml")
    assert ("E-UNKNOWN-CHOICE", broken, 5, 15) in found
    assert ("E-UNKNOWN-SCENE", broken, 7, 14) in found
    assert ("E-UNKNOWN-MEMBER", broken, 8, 17) in found
    assert ("E-TEST-CHECKPOINT", broken, 10, 11) in found
    # the good checkpoint test in paths.yaml is not reported
    assert not any(d["path"].endswith("paths.yaml") for d in data["diagnostics"])  # type: ignore[union-attr]


def test_check_json_fields(capsys: pytest.CaptureFixture[str]) -> None:
    _, data = _check_json(capsys)
    typo = next(d for d in data["diagnostics"] if d["code"] == "E-UNKNOWN-CHOICE")  # type: ignore[union-attr]
    assert typo["suggestion"] == "take-key"
    assert typo["summary"] == "unknown choice 'tak-key' in test 'a typo in a choice'"
    assert typo["message"].endswith("(did you mean 'take-key'?)")
    # the end is the end of the id the message is about: `tak-key` at col 15..22
    assert (typo["end_line"], typo["end_col"]) == (5, 22)
    cycle = next(d for d in data["diagnostics"] if d["code"] == "W-ENDLESS-CYCLE")  # type: ignore[union-attr]
    assert cycle["suggestion"] is None and cycle["end_col"] > cycle["col"]
    for d in data["diagnostics"]:  # type: ignore[union-attr]
        assert not d["code"].endswith("-OTHER"), d
        assert d["code"][0] == ("E" if d["severity"] == "error" else "W")


def test_check_text_output_keeps_its_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FAULTS)]) == 1
    lines = capsys.readouterr().out.splitlines()
    shape = re.compile(r"^[^:]+:\d+:\d+: (error|warning): .+$")
    assert all(shape.match(line) for line in lines[:-1]), lines
    assert lines[-1].endswith("4 errors, 4 warnings")


def test_strict_fails_on_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    flawed = str(FIXTURES / "flawed")  # warnings only
    assert main(["check", flawed]) == 0
    assert main(["check", flawed, "--strict"]) == 1
    assert "(--strict: warnings fail)" in capsys.readouterr().out
    assert main(["check", str(FIXTURES / "mini"), "--strict"]) == 0
    capsys.readouterr()
    code, data = _check_json(capsys, "--strict")
    assert code == 1 and data["strict"] is True and data["ok"] is False


def test_explore_finds_a_loop_whose_laps_spend_clock_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], faults: Story
) -> None:
    witnesses = tmp_path / "w"
    code = main(["explore", str(FAULTS), "--max-states", "1000", "--json", "--witness-dir", str(witnesses)])
    assert code == 1
    data = json.loads(capsys.readouterr().out)
    assert not data["complete"]  # the clock is exact until 3d20:00: the bound comes first
    loop = next(t for t in data["traps"] if t["scene"] == "roof-watch")
    assert set(loop["scenes"]) == {"roof-watch", "roof-round"} and loop["lap_minutes"] == 30
    assert [s["scene"] for s in data["softlocks"]] == ["store"]
    never = {c["condition"]: c for c in data["conditions_never_true"]}
    assert never["counter(courage) >= 5"]["pos"] == MODIFIER
    assert never["flag(bo-met)"]["scene"] == "roof-watch"
    assert data["endings_never_reached"] == ["brave-end"] and data["within_states"] == 1000
    # every finding has a witness that verifies and stops where the finding is
    proofs = data["problem_witnesses"]
    where = {
        "softlock:store": "store",
        "loop:roof-watch": "roof-watch",
        f"never-true:{MODIFIER}": "gate",
        f"never-true:{BO_MET}": "roof-watch",
    }
    for key, scene in where.items():
        run, replay = saves.verify(faults, Path(proofs[key]))
        assert replay.final.scene == scene, key
        assert main(["replay", proofs[key], "--headless", "--verify", "--story", str(FAULTS)]) == 0


def test_explore_says_not_reached_within_the_bound(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", str(FAULTS), "--max-states", "50"]) == 1
    out = capsys.readouterr().out
    assert "not reached within 50 states" in out
    assert "Scenes not reached within 50 states" in out
    assert "never reached" not in out
    assert main(["explore", str(FIXTURES / "flawed")]) == 1  # complete: "never" is the truth
    assert "never reached" in capsys.readouterr().out


def test_explore_only_limits_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", str(FAULTS), "--max-states", "1000", "--only", "store", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [s["scene"] for s in data["softlocks"]] == ["store"]
    assert [t["scene"] for t in data["traps"]] == ["store-shelves"]  # a trap in the part
    assert data["endings"] == {} and data["conditions_never_true"] == []
    assert main(["explore", str(FAULTS), "--max-states", "1000", "--only", "roof", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [c["condition"] for c in data["conditions_never_true"]] == ["flag(bo-met)"]
    assert main(["explore", str(FAULTS), "--only", "nowhere"]) == 1
    assert "matches no area" in capsys.readouterr().err


def test_simulate_shows_which_paragraphs_no_run_showed(capsys: pytest.CaptureFixture[str]) -> None:
    main(["simulate", str(FAULTS), "--runs", "200", "--seed", "1", "--cap", "50", "--json", "--jobs", "1"])
    data = json.loads(capsys.readouterr().out)
    paragraphs = data["coverage"]["paragraphs"]
    never = {(p["scene"], p["paragraph"], p["branch"]) for p in paragraphs["never_shown"]}
    assert ("roof-watch", 2, "text") in never
    row = next(p for p in paragraphs["never_shown"] if p["scene"] == "roof-watch")
    assert row["pos"] == BO_MET and row["if"] == "flag(bo-met)"
    assert ("gate", 1, "text") not in never
    assert paragraphs["shown"] < paragraphs["total"]
    visits = data["coverage"]["scene_visits"]
    assert visits["gate"] >= 200 and visits["brave-end"] == 0
    main(["simulate", str(FAULTS), "--runs", "200", "--seed", "1", "--cap", "50", "--jobs", "1"])
    out = capsys.readouterr().out
    assert "paragraphs shown" in out and f"{BO_MET}: roof-watch paragraph 2" in out
