"""The checker: each kind of mistake gives one positioned diagnostic, never an exception."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from game.engine.loader import load_story
from tests.storybuild import load, write_story

GOOD = """\
- id: s
  location: room
  text: Start.
  choices:
    - {id: a, label: A, goto: end}
"""


def messages(root: Path) -> list[str]:
    return [
        f"{Path(d.path).name}:{d.line}:{d.col}: {d.severity}: {d.message}" for d in load(root).diagnostics
    ]


def scenes_file(root: Path, body: str) -> None:
    (root / "scenes.yaml").write_text(body)


def test_good_story_is_clean(tmp_path: Path) -> None:
    write_story(tmp_path, GOOD)
    result = load(tmp_path)
    assert result.ok, messages(tmp_path)
    assert [d for d in result.diagnostics if d.severity == "error"] == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "scenes:\n  - id: s\n    location: room\n    text: [unclosed\n",
            "scenes.yaml:5:1: error: YAML syntax",
        ),
        (
            "scenes:\n  - id: s\n    id: t\n    location: room\n    text: x\n    choices: [{id: a, label: A, goto: end}]\n",
            "scenes.yaml:3:5: error: duplicate key 'id' (first at line 2, column 5)",
        ),
        (
            "scenes:\n  - id: s\n    location: room\n    txt: x\n    choices: [{id: a, label: A, goto: end}]\n",
            "scenes.yaml:4:5: error: unknown field 'txt' in a scene (did you mean 'text'?)",
        ),
        (
            "scenes:\n  - id: s\n    location: room\n    text: x\n    choices: [{id: a, label: 42, goto: end}]\n",
            "error: choice.label must be text, got a number (quote it",
        ),
        (
            "scenes:\n  - id: s\n    location: room\n    text: x\n    choices: [{id: a, label: A, goto: ned}]\n",
            "error: unknown scene 'ned' (did you mean 'end'?)",
        ),
        (
            "scenes:\n  - id: s\n    location: rom\n    text: x\n    choices: [{id: a, label: A, goto: end}]\n",
            "scenes.yaml:3:15: error: unknown location 'rom' (did you mean 'room'?)",
        ),
        (
            "scenes:\n  - id: s\n    location: room\n    text: x\n    choices: [{id: a, label: A, goto: end, if: 'flag(dor)'}]\n",
            "error: unknown flag 'dor' (did you mean 'door'?)",
        ),
        (
            "scenes:\n  - id: s\n    location: room\n    text: x\n    choices: [{id: a, label: A, goto: end, if: 'present(ann)'}]\n",
            "error: unknown cast member 'ann' (did you mean 'ana'?)",
        ),
        (
            "scenes:\n  - id: s\n    location: room\n    text: x\n    choices: [{id: a, label: A, goto: end, effects: [{give: {arows: 1}}]}]\n",
            "error: unknown item 'arows' (did you mean 'arrows'?)",
        ),
        (
            "scenes:\n  - id: s\n    location: room\n    text: x\n    choices: [{id: a, label: A, goto: end, if: 'flag(door) and'}]\n",
            "error: bad condition: expected a value, found the end of the condition",
        ),
        (
            "scenes:\n  - id: s\n    location: room\n    text: x\n",
            "scenes.yaml:2:5: error: scene 's' is not an ending and has no choices: no way out",
        ),
        (
            "scenes:\n  - id: s\n    location: room\n    text: x\n    choices: [{id: a, label: A, goto: end}]\n"
            "  - id: s\n    location: room\n    text: y\n    choices: [{id: a, label: A, goto: end}]\n",
            "scenes.yaml:6:5: error: duplicate scene id 's'",
        ),
        (
            "scenes:\n  - id: s\n    location: room\n    text: x\n    choices: [{id: a, label: A, goto: end, effects: [{bight: ana}]}]\n",
            "error: unknown effect 'bight' (did you mean 'bite'?)",
        ),
        (
            "scenes:\n  - id: s\n    location: room\n    text: 'Hi {nobody}'\n    choices: [{id: a, label: A, goto: end}]\n",
            "error: unknown cast member 'nobody'",
        ),
    ],
)
def test_each_mistake_is_reported(tmp_path: Path, body: str, expected: str) -> None:
    write_story(tmp_path, GOOD)
    end = "  - id: end\n    location: street\n    text: The end.\n    ending: {title: End, kind: end}\n"
    scenes_file(tmp_path, body + ("" if "YAML" in expected else end))
    found = messages(tmp_path)
    assert any(expected in m for m in found), found


def test_missing_start_and_manifest(tmp_path: Path) -> None:
    write_story(tmp_path, GOOD, start="nowhere")
    assert any("unknown scene 'nowhere'" in m for m in messages(tmp_path))
    empty = tmp_path / "empty"
    empty.mkdir()
    result = load_story(empty)
    assert [d.message for d in result.diagnostics] == ["no manifest: a story folder needs a story.yaml"]


def test_warnings_unreachable_and_flags(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        GOOD
        + """\
- id: lost
  location: room
  text: Nobody comes here.
  choices: [{id: a, label: A, goto: end, effects: [{set: door}]}]
- id: lost-end
  location: room
  text: Never.
  ending: {title: Never, kind: end}
""",
        extra="",
    )
    found = messages(tmp_path)
    assert any("warning: scene 'lost' is unreachable from the start 's'" in m for m in found)
    assert any("warning: ending 'lost-end' is never reached" in m for m in found)
    assert any("warning: flag 'door' is set but never read" in m for m in found)


def test_every_unused_or_one_sided_flag_and_counter_is_warned_about(tmp_path: Path) -> None:
    write_story(tmp_path, GOOD)
    scenes_file(
        tmp_path,
        """\
flags:
  unused: Nobody sets or reads it.
  wished: Read, never set.
  used: Set and read.
counters:
  tally:
  spent:
  fine:
scenes:
  - id: t
    location: room
    text: x
    choices:
      - {id: a, label: A, goto: end, if: "flag(wished) and flag(used) and counter(tally) > 0 and counter(fine) > 1"}
      - {id: b, label: B, goto: end, effects: [{set: used}, {add: {spent: 1, fine: 1}}]}
""",
    )
    found = [m for m in messages(tmp_path) if m.startswith("scenes.yaml") and ": warning: " in m]
    assert found == [
        "scenes.yaml:2:3: warning: flag 'unused' is declared but never used",
        "scenes.yaml:14:47: warning: flag 'wished' is read but never set",
        "scenes.yaml:14:82: warning: counter 'tally' is read but never changed",
        "scenes.yaml:15:67: warning: counter 'spent' is changed but never read",
    ]


def test_diagnostics_are_sorted(tmp_path: Path) -> None:
    write_story(tmp_path, GOOD)
    scenes_file(
        tmp_path,
        "scenes:\n  - id: s\n    location: rom\n    text: x\n    choices: [{id: a, label: A, goto: nowhere}]\n",
    )
    diags = load(tmp_path).diagnostics
    assert diags == sorted(diags)


# -- stories from strangers ------------------------------------------------------------


def hostile(tmp_path: Path, content: bytes) -> list[str]:
    write_story(tmp_path, GOOD)
    (tmp_path / "evil.yaml").write_bytes(content)
    # refused before anything is expanded or run (no timing here: a loaded machine is
    # slow; the messages below say the refusal came first)
    found = [m for m in messages(tmp_path) if m.startswith("evil.yaml")]
    return found


def test_python_tag_is_refused(tmp_path: Path) -> None:
    found = hostile(tmp_path, b"scenes: !!python/object/apply:os.system ['touch /tmp/pwned-hyosan']\n")
    assert len(found) == 1 and "tag" in found[0] and "not allowed" in found[0]
    assert not Path("/tmp/pwned-hyosan").exists()


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    found = hostile(tmp_path, ("\n".join(lines) + "\n").encode())
    assert len(found) == 1 and "aliases" in found[0]


def test_huge_file_is_refused_without_reading(tmp_path: Path) -> None:
    write_story(tmp_path, GOOD)
    big = tmp_path / "evil.yaml"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    found = [m for m in messages(tmp_path) if m.startswith("evil.yaml")]
    assert found == ["evil.yaml:1:1: error: file is 50.0 MB; a story file may be at most 8 MB"]


def test_non_utf8_is_refused(tmp_path: Path) -> None:
    found = hostile(tmp_path, b"scenes:\n  - id: caf\xe9\n")
    assert found == ["evil.yaml:2:12: error: not UTF-8: byte 0xe9 cannot be decoded"]


def test_symlink_out_of_folder_is_refused(tmp_path: Path) -> None:
    story = tmp_path / "story"
    write_story(story, GOOD)
    secret = tmp_path / "secret.yaml"
    secret.write_text("scenes: []\n")
    os.symlink(secret, story / "link.yaml")
    found = messages(story)
    assert any(m.startswith("link.yaml:1:1: error: symlink leads out of the story folder") for m in found)


def test_yaml_11_booleans_stay_text(tmp_path: Path) -> None:
    write_story(tmp_path, GOOD)
    scenes_file(
        tmp_path,
        "scenes:\n  - id: s\n    location: room\n    text: x\n    choices: [{id: a, label: No, goto: end}]\n"
        "  - id: end\n    location: street\n    text: The end.\n    ending: {title: Yes, kind: end}\n",
    )
    result = load(tmp_path)
    assert result.ok and result.story is not None
    assert result.story.scenes["s"].choices[0].label.source == "No"


def test_pure_python_fallback_reads_the_same(tmp_path: Path) -> None:
    from game.engine.yamlpos import PurePosLoader, read_yaml
    from tests.conftest import FIXTURES

    for path in sorted((FIXTURES / "mini").rglob("*.yaml")):
        fast, fast_problems = read_yaml(str(path))
        pure, pure_problems = read_yaml(str(path), PurePosLoader)
        assert fast == pure and fast_problems == pure_problems == []
        assert fast.kpos == pure.kpos and fast.vpos == pure.vpos
    (tmp_path / "dup.yaml").write_text("a: 1\non: 2\na: 3\n")
    data, problems = read_yaml(str(tmp_path / "dup.yaml"), PurePosLoader)
    assert data == {"a": 1, "on": 2}  # `on` stays text (YAML 1.2 booleans only)
    assert [p.message for p in problems] == ["duplicate key 'a' (first at line 1, column 1)"]


def test_a_character_yaml_refuses_is_one_line_at_its_place_with_either_loader(tmp_path: Path) -> None:
    from game.engine.yamlpos import PosLoader, PurePosLoader, read_yaml

    path = tmp_path / "nul.yaml"
    path.write_bytes(b"scenes:\n  - id: s\n    text: \"a\x00b\"\n")
    for loader in (PosLoader, PurePosLoader):
        data, problems = read_yaml(str(path), loader)
        assert data is None
        assert [(p.line, p.col, p.message) for p in problems] == [
            (3, 13, "YAML: character U+0000 is not allowed in a story file")
        ]
