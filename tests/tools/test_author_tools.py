"""Author tools v2 (issue 10): the static ending check, saves from choice ids, story
tests from a checkpoint, graph --only and --svg fallbacks, Ctrl+C in simulate, and
the pieces behind `check --json` and explore's memory."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from game.cli import main
from game.engine import saves
from game.engine.diagnostics import Diagnostic, rule_code
from game.engine.loader import load_or_raise
from game.engine.model import Story
from game.engine.rules import choose, new_game
from game.engine.state import Event
from game.tools import explore, graph, storytest
from tests.conftest import FIXTURES, REPO
from tests.storybuild import load, write_story

FAULTS = FIXTURES / "faults"


# -- static: every scene can reach an ending ---------------------------------------------


def _warnings(root: Path) -> list[str]:
    return [d.message for d in load(root).diagnostics if d.rule in ("W-ENDLESS-CYCLE", "W-NO-ENDING-PATH")]


def test_a_loop_that_spends_time_is_a_cycle_with_no_ending(tmp_path: Path) -> None:
    root = write_story(
        tmp_path / "s",
        """
          - id: s
            location: room
            text: Start.
            choices:
              - {id: go, label: Go, goto: a}
              - {id: out, label: Out, goto: end}
          - id: a
            location: room
            text: A.
            choices:
              - {id: on, label: On, time: 30, goto: b}
          - id: b
            location: room
            text: B.
            choices:
              - {id: back, label: Back, time: 30, goto: a}
        """,
    )
    (found,) = _warnings(root)
    assert found.startswith("cycle of scenes 'a' -> 'b' -> 'a' has no path to any ending")


def test_an_event_scene_that_returns_is_a_way_out(tmp_path: Path) -> None:
    root = write_story(
        tmp_path / "s",
        """
          - id: s
            location: room
            text: Start.
            choices:
              - {id: out, label: Out, goto: end}
          - id: interrupted
            location: here
            text: Something happens.
            choices:
              - {id: carry-on, label: Carry on, return: true}
              - {id: look, label: Look closer, goto: closer}
          - id: closer
            location: room
            text: Closer.
            choices:
              - {id: back, label: Back, goto: interrupted}
        """,
        events="- {id: noise, when: 'clock >= 1d09:00', once: true, scene: interrupted, return: true}\n",
    )
    assert _warnings(root) == []


def test_a_scene_leading_only_into_a_dead_loop_is_named(tmp_path: Path) -> None:
    root = write_story(
        tmp_path / "s",
        """
          - id: s
            location: room
            text: Start.
            choices:
              - {id: out, label: Out, goto: end}
              - {id: in, label: In, goto: porch}
          - id: porch
            location: room
            text: Porch.
            choices:
              - {id: on, label: On, goto: a}
          - id: a
            location: room
            text: A.
            choices:
              - {id: stay, label: Stay, goto: a}
        """,
    )
    found = _warnings(root)
    assert any(m.startswith("cycle of scenes 'a' -> 'a'") for m in found)
    assert any(m.startswith("scene 'porch' has no path to any ending") for m in found)


def test_the_bundled_story_has_no_scene_without_an_ending(bundled: Story) -> None:
    result = load(REPO / "story")
    assert not [d for d in result.diagnostics if d.rule in ("W-ENDLESS-CYCLE", "W-NO-ENDING-PATH")]


# -- diagnostics: codes, ends, suggestions -------------------------------------------------


def test_rule_codes_and_token_ends() -> None:
    assert rule_code("error", "unknown scene 'x' (did you mean 'y'?)") == "E-UNKNOWN-SCENE"
    assert rule_code("warning", "flag 'x' is declared but never used") == "W-UNUSED-FLAG"
    assert rule_code("error", "something nobody wrote a rule for") == "E-OTHER"
    d = Diagnostic("f.yaml", 2, 11, "error", "unknown scene 'a1-suply' (did you mean 'a1-supply'?)")
    assert d.suggestion == "a1-supply" and d.rule == "E-UNKNOWN-SCENE"
    ended = d.with_end(["scenes:", "    goto: a1-suply  # a comment"])
    assert (ended.end_line, ended.end_col) == (2, 19)
    plain = Diagnostic("f.yaml", 1, 7, "error", "bad condition: unexpected end").with_end(
        ["  if: flag(x) and  # c"]
    )
    assert plain.to_dict()["end_col"] == 18  # exclusive: just past "and"
    assert str(d) == "f.yaml:2:11: error: unknown scene 'a1-suply' (did you mean 'a1-supply'?)"


def test_a_yaml_syntax_error_has_a_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_story(tmp_path / "s", "  - id: s\n    location: room\n    text: [unclosed\n")
    assert main(["check", str(root), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    codes = [d["code"] for d in data["diagnostics"]]
    assert "E-YAML" in codes and not any(c.endswith("-OTHER") for c in codes)


# -- saves from choice ids ----------------------------------------------------------------


def test_save_from_choice_ids_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mini: Story
) -> None:
    out = tmp_path / "run.json"
    data = explore.explore(mini, seed=4).to_dict()
    path = " ".join(data["endings"]["street-end"]["path"])  # explore's path pastes as it is
    code = main(["save", "--story", str(FIXTURES / "mini"), "--seed", "4", "--choices", path, "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    run, replay = saves.verify(mini, out)
    assert replay.final.scene == "street-end" and run.seed == 4
    assert main(["replay", str(out), "--headless", "--verify", "--story", str(FIXTURES / "mini")]) == 0


def test_save_to_a_slot_and_explore_from_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flawed = str(FIXTURES / "flawed")
    folder = str(tmp_path / "saves")
    args = [
        "save",
        "--story",
        flawed,
        "--seed",
        "2",
        "--choices",
        "take-key",
        "--slot",
        "keyed",
        "--saves",
        folder,
    ]
    assert main(args) == 0
    assert main(args) == 1  # no clobbering without --force
    assert "exists (--force replaces it)" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    capsys.readouterr()
    assert main(["explore", flawed, "--from", "keyed", "--saves", folder, "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["softlocks"][0]["path"] == ["gate/go-cellar"]


def test_save_names_the_choice_that_failed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run.json"
    base = ["save", "--story", str(FIXTURES / "flawed"), "--seed", "0", "-o", str(out)]
    assert main([*base, "--choices", "take-key,go-cellar,climb"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [err]
    assert err.startswith(
        "hyosan save: choice 3 'climb': in scene 'cellar': choice 'climb' is not shown here"
    )
    assert "if: not flag(key-found)" in err and not out.exists()
    assert main([*base, "--choices", "take-key,maze-a/on"]) == 1
    assert "choice 2 'maze-a/on': the run is in scene 'gate', not 'maze-a'" in capsys.readouterr().err
    assert main([*base, "--choices", "gate/leave#7"]) == 1
    assert "has no outcome 7" in capsys.readouterr().err


# -- story tests from a checkpoint ----------------------------------------------------------


def _story_copy(tmp_path: Path) -> Path:
    root = tmp_path / "faults"
    shutil.copytree(FAULTS, root)
    (root / "tests" / "broken.yaml").unlink()
    return root


def test_a_test_starts_where_another_ends(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _story_copy(tmp_path)
    assert main(["test", str(root), "-v"]) == 0
    out = capsys.readouterr().out
    assert "test 'the store room traps you': ok" in out
    # the checkpoint is really used: without it, open-store leads elsewhere (no key, no trap)
    (root / "tests" / "paths.yaml").write_text(
        (root / "tests" / "paths.yaml").read_text().replace("choices: [take-key]", "choices: []")
    )
    (root / "tests" / "more.yaml").write_text(
        "tests:\n  - name: no key\n    from: the key is taken\n    choices: [open-store, back-out]\n"
        "    expect: {scene: gate}\n"
    )
    assert main(["test", str(root)]) == 1
    assert "test 'the key is taken'" in capsys.readouterr().out


def test_a_test_starts_from_a_save(tmp_path: Path, capsys: pytest.CaptureFixture[str], faults: Story) -> None:
    root = _story_copy(tmp_path)
    save = root / "tests" / "keyed.json"
    assert main(["save", "--story", str(root), "--seed", "5", "--choices", "take-key", "-o", str(save)]) == 0
    (root / "tests" / "from-save.yaml").write_text(
        textwrap.dedent(
            """\
            tests:
              - name: from the save
                save: keyed.json
                choices: [open-store]
                expect: {scene: store, flags: {key-found: true}}
              - name: chained
                from: from the save
                choices: []
                expect: {scene: store}
            """
        )
    )
    assert main(["test", str(root)]) == 0, capsys.readouterr().out
    capsys.readouterr()
    (root / "tests" / "from-save.yaml").write_text(
        "tests:\n  - name: missing\n    save: nowhere.json\n    choices: []\n"
    )
    assert main(["check", str(root)]) == 1
    assert "from-save.yaml:3:11: error: save: no save file nowhere.json" in capsys.readouterr().out


@pytest.fixture(scope="module")
def faults() -> Story:
    return load_or_raise(FAULTS)


def test_tests_that_start_from_each_other_in_a_circle_fail_cleanly(tmp_path: Path, faults: Story) -> None:
    folder = tmp_path / "s"
    (folder / "tests").mkdir(parents=True)
    (folder / "tests" / "t.yaml").write_text(
        "tests:\n  - {name: a, from: b, choices: []}\n  - {name: b, from: a, choices: []}\n"
    )
    outcome = storytest.run_all(faults, folder)
    assert len(outcome.failures) == 2 and "in a circle" in str(outcome.failures[0])


# -- graph ----------------------------------------------------------------------------------


def test_graph_only_draws_one_part_with_stubs(faults: Story) -> None:
    dot = graph.render(faults, "dot", "roof")
    assert '"roof-watch" [label="roof-watch"' in dot
    assert '"gate" [label="gate\\n(school)", shape=box, style="dashed"' in dot  # a stub: the way in
    assert '"store" ' not in dot  # not connected to the roof
    assert graph.select(faults, "scenes/main.yaml") == frozenset(faults.scenes)
    assert graph.select(faults, "roof-") == {"roof-watch", "roof-round"}
    assert graph.select(faults, "city") == {"street-end", "hurt-end", "brave-end"}
    with pytest.raises(ValueError, match="areas: city, school"):
        graph.select(faults, "nowhere")


def _fake_dot(tmp_path: Path, script: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    dot = bin_dir / "dot"
    dot.write_text("#!/bin/sh\n" + script)
    dot.chmod(0o755)
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"


def test_svg_falls_back_without_clusters_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", os.environ["PATH"])
    # like Graphviz 2.43 on a clustered graph: fails on clusters, draws a flat one
    _fake_dot(
        tmp_path,
        'out="$3"; input=$(cat)\n'
        'case "$input" in *cluster_*) echo "Error: trouble in init_rank" >&2; exit 1;; esac\n'
        'echo "<svg/>" > "$out"\n',
    )
    svg = tmp_path / "g.svg"
    assert main(["graph", str(FAULTS), "--svg", str(svg)]) == 0
    err = capsys.readouterr().err
    assert (
        "without location clusters (dot failed on the clustered layout: Error: trouble in init_rank)" in err
    )
    assert svg.read_text() == "<svg/>\n"


def test_svg_tells_the_writer_when_dot_only_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", os.environ["PATH"])
    _fake_dot(tmp_path, 'cat > /dev/null; echo "Warning: some label too long" >&2; echo "<svg/>" > "$3"\n')
    assert main(["graph", str(FAULTS), "--svg", str(tmp_path / "g.svg")]) == 0
    err = capsys.readouterr().err
    assert "dot only warned; the SVG is written and fine: Warning: some label too long" in err


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_svg_with_the_installed_graphviz(tmp_path: Path) -> None:
    svg = tmp_path / "story.svg"
    assert main(["graph", str(REPO / "story"), "--svg", str(svg)]) == 0
    assert "<svg" in svg.read_text()


# -- Ctrl+C ---------------------------------------------------------------------------------


def test_ctrl_c_ends_simulate_and_its_workers_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "game", "simulate", str(REPO / "story"), "--runs", "1000000", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=env,
        cwd=REPO,
    )
    try:
        _wait_for_workers(proc.pid, 2)
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl+C does: the whole group
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130
    assert err.strip() == "interrupted", err
    assert "Traceback" not in err


def _wait_for_workers(pid: int, n: int) -> None:
    """Until the process has n child processes (its pool's workers), or a while. Whenever
    the signal lands the outcome must be the same (workers ignore SIGINT from birth), so
    this only makes the test exercise the pool, and never fails it."""
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(_children(pid)) < n:
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()  # after "(name)": state, ppid, ...
        if len(fields) > 1 and fields[1] == str(pid):
            found.append(int(entry.name))
    return found


# -- explore's memory --------------------------------------------------------------------------


def test_waiting_states_keep_no_log_and_share_their_mappings(mini: Story) -> None:
    shared = explore._Shared()
    state = new_game(mini, seed=1)
    after, _ = choose(mini, state, next(iter(c.id for c in mini.scenes[state.scene].choices)))
    after = dataclasses.replace(after, log=(Event("noise", None, "A door bangs."),))
    a = shared.waiting(after)
    twin = shared.waiting(choose(mini, state, next(iter(c.id for c in mini.scenes[state.scene].choices)))[0])
    assert a.log == () and after.log != ()
    assert twin.members is a.members and twin.visits is a.visits
    assert a == type(after)(**{**{f: getattr(after, f) for f in after.__dataclass_fields__}, "log": ()})


def test_explore_from_a_save_does_not_count_the_saves_past(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(tmp_path / "saves")
    assert (
        main(
            ["save", "--story", str(FAULTS), "--seed", "1", "--choices", "climb-to-roof", "--slot", "roof"]
            + ["--saves", folder]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["explore", str(FAULTS), "--from", "roof", "--saves", folder, "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["complete"] and data["traps"][0]["scene"] == "roof-watch"
    assert "gate" in data["scenes_never_reached"]  # visited before the save, not by the search
    assert not [c for c in data["choices_never_available"] if c["scene"] == "gate"]


def test_ctrl_c_while_the_pool_starts_is_not_lost(monkeypatch: pytest.MonkeyPatch, mini: Story) -> None:
    import multiprocessing

    from game.tools import simulate

    real = multiprocessing.get_context

    class Context:
        def __init__(self, method: str) -> None:
            self.ctx = real(method)

        def Pool(self, *args: object, **kwargs: object) -> object:  # noqa: N802 (multiprocessing's name)
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C while the workers are being forked
            return self.ctx.Pool(*args, **kwargs)

    monkeypatch.setattr(multiprocessing, "get_context", Context)
    with pytest.raises(KeyboardInterrupt):
        simulate.simulate(mini, 5000, jobs=2)
