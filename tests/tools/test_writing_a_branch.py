"""docs/writing-a-branch.md runs as written: every `$ hyosan ...` command in it (but
`play`, which is interactive) exits 0 from the repository root, and the output lines
shown right under a command appear in its output. Numbers are compared by shape only
(the story grows; the doc's counts are the story's as it shipped with the doc)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from game.cli import main
from tests.conftest import REPO

DOC = REPO / "docs" / "writing-a-branch.md"


def _commands() -> list[tuple[str, list[str]]]:
    """(command line, the output lines shown under it) for each `$ hyosan` line."""
    found: list[tuple[str, list[str]]] = []
    fence = ""  # the open fence's language, "" outside a block
    shown: list[str] | None = None  # the output lines of the block's last command
    for line in DOC.read_text().splitlines():
        if line.startswith("```"):
            fence = "" if fence else (line[3:] or "text")
            shown = None
            continue
        if fence != "text":
            continue
        if line.startswith("$ "):
            for part in line[2:].split("&&"):
                found.append((part.split("  #")[0].strip(), []))
            shown = found[-1][1]
        elif shown is not None and line.strip():
            shown.append(line)
    return found


def _shape(line: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\?\d[\d,]*", r"\\d[\\d,]*", re.escape(line)))


def test_the_doc_has_the_workflow() -> None:
    words = [cmd.split()[1] for cmd, _ in _commands()]
    for command in ("check", "graph", "simulate", "save", "explore", "replay", "test", "play"):
        assert command in words


@pytest.mark.slow
def test_every_command_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    saves = tmp_path / "saves"
    monkeypatch.setenv("HYOSAN_SAVES", str(saves))
    done: set[str] = set()
    for command, shown in _commands():
        argv = shlex.split(command.replace("/tmp/", f"{tmp_path}/"))
        assert argv[0] == "hyosan"
        if argv[1] == "play" or command in done:
            continue
        if "--svg" in argv and shutil.which("dot") is None:
            continue  # needs Graphviz; test_graph and test_author_tools cover both cases
        done.add(command)
        code = main(argv[1:])
        out = capsys.readouterr()
        assert code == 0, f"{command}: exit {code}\n{out.err}"
        text = out.out + out.err
        for line in shown:
            expected = line.replace("/tmp/", f"{tmp_path}/").replace("wrote saves/", f"wrote {saves}/")
            assert _shape(expected).search(text), f"{command}: {line!r} not in\n{text}"
