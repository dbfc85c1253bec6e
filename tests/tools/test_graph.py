from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from game.engine.model import Story
from game.tools import graph
from tests.conftest import FIXTURES


def test_dot_clusters_by_location_and_marks_endings_edges_and_unreachable(flawed: Story) -> None:
    dot = graph.render(flawed, "dot")
    assert dot.startswith('digraph "Flawed" {')
    assert 'subgraph "cluster_area_school"' in dot
    assert 'subgraph "cluster_maze"' in dot and 'label="Maze"' in dot
    assert '"out-end" [label="out-end\\n[escape: Out]", shape=doubleoctagon' in dot
    assert '"shed" [label="shed\\n(unreachable)", fillcolor="#ffd0d0"' in dot
    assert '"gate" -> "maze-a" [label="enter-maze", style=solid' in dot
    assert '"gate" -> "treasure-end" [label="brave-door", style=dashed' in dot
    assert '"gate" -> "hurt-end" [label="leave (50%)", style=dotted' in dot
    assert dot.count("{") == dot.count("}")


def test_mermaid_numbers_nodes_and_classes_them(flawed: Story) -> None:
    text = graph.render(flawed, "mermaid")
    assert text.startswith("flowchart LR\n")
    ids = list(flawed.scenes)
    shed, treasure = f"s{ids.index('shed')}", f"s{ids.index('treasure-end')}"
    assert f"class {shed} unreachable" in text
    assert f'{treasure}(["treasure-end<br/>treasure: Treasure"])' in text
    assert '-.->|"brave-door"|' in text
    assert '==>|"leave (50%)"|' in text
    assert text.count("subgraph") == sum(1 for line in text.splitlines() if line.strip() == "end")


def test_events_are_drawn(mini: Story) -> None:
    dot = graph.render(mini, "dot")
    assert '"event:you-turn" -> "turned-end"' in dot
    assert "e0{" in graph.render(mini, "mermaid")


def test_cli_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "g.mmd"
    assert main(["graph", str(FIXTURES / "flawed"), "--format", "mermaid", "-o", str(out)]) == 0
    assert out.read_text().startswith("flowchart LR")


def test_svg_without_graphviz_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert main(["graph", str(FIXTURES / "flawed"), "--svg", str(tmp_path / "g.svg")]) == 1
    err = capsys.readouterr().err
    assert "Graphviz" in err and "not installed" in err
    assert not (tmp_path / "g.svg").exists()
