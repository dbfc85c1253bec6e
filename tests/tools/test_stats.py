"""`hyosan stats`: scenes, choices, endings and words, each sentence counted once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main
from game.engine.model import Story
from game.tools.stats import prose, sentences, story_stats
from tests.storybuild import load, write_story

SCENES = """\
- id: s
  location: room
  text:
    - The lights are out. You wait by the door.
    - text: "{if flag(door) then The door is shut. | The door is open.}"
    - text: The lights are out.
      else: "{seq Nobody comes. | Still nobody.}"
  choices:
    - {id: go, label: Go out, goto: t}
    - {id: stay, label: Stay put, goto: end}
- id: t
  location: street
  text: "{they:ana} walks{s:ana} ahead. The lights are out!"
  choices:
    - {id: on, label: Go out, goto: end}
"""


@pytest.fixture
def story(tmp_path: Path) -> Story:
    result = load(write_story(tmp_path, SCENES))
    assert result.story is not None, result.diagnostics
    return result.story


def test_markup_is_not_prose() -> None:
    assert prose("{if flag(door) then Shut. | Open.}").split() == ["Shut.", "Open."]
    assert prose("{seq One. | Two.}").split() == ["One.", "Two."]
    assert prose("{They:ana} run{s:ana}.").split() == ["They", "run."]
    assert list(sentences('"Wait." She goes. Why?  Yes!')) == [("wait",), ("she", "goes"), ("why",), ("yes",)]


def test_each_sentence_counts_once(story: Story) -> None:
    stats = story_stats(story)
    assert (stats.scenes, stats.choices, stats.endings) == (3, 3, 1)
    # s: "the lights are out" (4) "you wait by the door" (5); "the door is shut" (4)
    # "the door is open" (4); "the lights are out" again; "nobody comes" (2) "still
    # nobody" (2); labels "go out" (2) "stay put" (2); t: "they walks ahead" (3)
    # "the lights are out" again; label "go out" again; end: "the end" (2); title "end"
    # (1); and the engine's six default fate lines (2 + 6 + 2 + 2 + 4 + 8 words)
    assert stats.words == 4 + 5 + 4 + 4 + 4 + 2 + 2 + 2 + 2 + 3 + 4 + 2 + 2 + 1 + 24
    assert stats.unique_words == stats.words - 4 - 4 - 2
    assert stats.sentences == 14 + 6 and stats.unique_sentences == 11 + 6


def test_cli_json_and_a_broken_story(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], story: Story
) -> None:
    assert main(["stats", story.root, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unique_words"] == story_stats(story).unique_words
    (tmp_path / "broken").mkdir()
    assert main(["stats", str(tmp_path / "broken")]) == 1
    assert "broken" in capsys.readouterr().err
