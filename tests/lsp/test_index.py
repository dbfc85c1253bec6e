"""The index, completion contexts and rename edits, without a server (no pygls needed)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from game.engine.expr import FUNCTIONS
from game.engine.loader import load_or_raise, load_story
from game.engine.quantifiers import WORDS
from game.lsp.complete import candidates, context
from game.lsp.describe import FUNCTION_DOCS, describe_at
from game.lsp.edits import RenameError, rename
from game.lsp.project import Project
from game.lsp.walk import Span, client_col, index_file, server_col

from .story import MANIFEST, write_story

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bundled() -> Project:
    return Project(str(REPO / "story")).build()


def test_every_span_of_the_bundled_story_covers_its_name(bundled: Project) -> None:
    checked = 0
    for path, index in bundled.files.items():
        lines = Path(path).read_text().split("\n")
        for entry in (*index.defs, *index.uses):
            s = entry.span
            assert lines[s.line][s.start : s.end] == entry.name, (path, entry)
            checked += 1
    assert checked > 10_000


def test_definitions_match_the_loaded_story(bundled: Project) -> None:
    story = load_or_raise(REPO / "story")
    assert set(bundled.names("scene")) == set(story.scenes)
    assert set(bundled.names("flag")) == set(story.flags)
    assert set(bundled.names("counter")) == set(story.counters)
    assert set(bundled.names("member")) == set(story.cast)
    assert set(bundled.names("item")) == set(story.items)
    assert set(bundled.names("location")) == set(story.locations)
    sets = load_story(REPO / "story").references.defined("fate-set")
    assert set(bundled.names("fate-set")) == set(sets) and sets  # the bundled story shares fate lines
    # every flag the story declares is used somewhere the index can see (the checker
    # warns about unused flags, and the bundled story has no warnings)
    used = {u.name for f in bundled.files.values() for u in f.uses if u.kind == "flag"}
    assert used == set(story.flags)


def test_uses_in_conditions_templates_and_effects_have_roles() -> None:
    text = (
        "scenes:\n"
        "  - id: a\n"
        "    location: room\n"
        '    text: "{ana} has {item:arrows}; {counter:trust} and {{ana}}"\n'
        "    choices:\n"
        "      - id: x\n"
        "        label: Go\n"
        '        if: "flag(door) and not present(ana) and counter(trust) > 1"\n'
        "        effects: [{set: [door, lit]}, {add: {trust: 1}}, {give: {arrows: 2}}, {bite: {who: ana}}]\n"
        "        goto: b\n"
    )
    index = index_file("/s/a.yaml", text, "scenes")
    lines = text.split("\n")
    for u in index.uses:
        assert lines[u.span.line][u.span.start : u.span.end] == u.name
    got = sorted((u.span.line, u.kind, u.name, u.role) for u in index.uses)
    assert got == [
        (2, "location", "room", ""),
        (3, "counter", "trust", "read"),
        (3, "item", "arrows", "read"),
        (3, "member", "ana", "read"),  # once: {{ana}} is a literal brace
        (7, "counter", "trust", "read"),
        (7, "flag", "door", "read"),
        (7, "member", "ana", "read"),
        (8, "counter", "trust", "write"),
        (8, "flag", "door", "write"),
        (8, "flag", "lit", "write"),
        (8, "item", "arrows", "write"),
        (8, "member", "ana", ""),
        (9, "scene", "b", ""),
    ]
    # the condition's `ana` is the argument of present(), not an earlier word
    (cond_ana,) = [u for u in index.uses if u.span.line == 7 and u.name == "ana"]
    assert cond_ana.span.start == lines[7].index("present(ana)") + len("present(")
    assert all(u.scene == "a" for u in index.uses)


def test_a_parting_in_words_still_names_its_member() -> None:
    text = (
        "scenes:\n"
        "  - id: a\n"
        "    location: room\n"
        "    text: Hi.\n"
        "    choices:\n"
        "      - id: x\n"
        "        label: Go\n"
        '        effects: [{leave: {who: ana, how: "went home"}}, {separate: bo}]\n'
        "        goto: a\n"
    )
    index = index_file("/s/a.yaml", text, "scenes")
    assert sorted(u.name for u in index.uses if u.kind == "member") == ["ana", "bo"]


def test_an_outcome_if_names_its_flag_and_member() -> None:
    # renaming a flag or a member must reach an outcome's `if:` as it reaches a modifier's
    text = (
        "scenes:\n"
        "  - id: a\n"
        "    location: room\n"
        "    text: Hi.\n"
        "    choices:\n"
        "      - id: x\n"
        "        label: Go\n"
        "        roll:\n"
        '          - {chance: 1, if: "flag(door) and not is(bo, hambie)", goto: a}\n'
    )
    index = index_file("/s/a.yaml", text, "scenes")
    assert [(u.kind, u.name) for u in index.uses if u.kind in ("flag", "member")] == [("flag", "door"), ("member", "bo")]


def test_pronoun_history_and_inline_if_templates_name_their_members() -> None:
    # the loader counts these; the editor must see them to rename a member or a place
    text = (
        "scenes:\n"
        "  - id: a\n"
        "    location: room\n"
        "    text: |\n"
        "      {ana} rubs {their:ana} eyes. {fate:bo} {their:who}\n"
        "      {if present(bo) and at(yard) then Bo is {if flag(door) then in | out} | Nobody}.\n"
        "    choices:\n"
        "      - id: x\n"
        '        label: "{if has(arrows) then Shoot {ana} | Run}"\n'
        "        goto: a\n"
    )
    index = index_file("/s/a.yaml", text, "scenes")
    lines = text.split("\n")
    for u in index.uses:
        assert lines[u.span.line][u.span.start : u.span.end] == u.name
    got = sorted((u.span.line, u.kind, u.name) for u in index.uses if u.kind != "scene")
    assert got == [
        (2, "location", "room"),
        (4, "member", "ana"),
        (4, "member", "ana"),
        (4, "member", "bo"),
        (5, "flag", "door"),
        (5, "member", "bo"),
        (5, "place", "yard"),
        (8, "item", "arrows"),
        (8, "member", "ana"),
    ]


def test_names_read_by_an_inline_if_in_text_and_labels_are_uses() -> None:
    text = (
        "scenes:\n"
        "  - id: hall\n"
        "    location: hall\n"
        "    text: |\n"
        "      You wait{if flag(door-shut) then , the door shut | }.\n"
        "      {if present(on-jo) and item(rope) > 0 then She has rope. | {if visited(yard)\n"
        "      then Nobody does. | Nothing.}}\n"
        "    choices:\n"
        "      - id: go\n"
        '        label: "Go{if flag(door-shut) then , quietly |}"\n'
        "        goto: yard\n"
    )
    index = index_file("/s/a.yaml", text, "scenes")
    lines = text.split("\n")
    reads = [(u.kind, u.name) for u in index.uses if u.role == "read"]
    assert reads.count(("flag", "door-shut")) == 2
    assert ("member", "on-jo") in reads and ("item", "rope") in reads and ("scene", "yard") in reads
    for u in index.uses:
        if u.role == "read":  # each span covers its own name, on the line it is on
            assert lines[u.span.line][u.span.start : u.span.end] == u.name


def test_a_file_that_does_not_parse_keeps_its_last_index(tmp_path: Path) -> None:
    project = Project(str(write_story(tmp_path))).build()
    path = str(tmp_path / "two" / "scenes" / "hall.yaml")
    before = project.files[path]
    assert project.update(path, "scenes:\n  - id: [unclosed\n") is before
    assert "hall" in project.names("scene")


def test_columns_in_utf16_and_utf8() -> None:
    line = "text: 😀 {ana}"
    col = line.index("ana")
    assert client_col(line, col, "utf-16") == col + 1  # the emoji is two UTF-16 units
    assert client_col(line, col, "utf-8") == col + 3
    assert server_col(line, col + 1, "utf-16") == col


@pytest.mark.parametrize(
    ("prefix", "what", "word"),
    [
        ("        goto: s1", "scene", "s1"),
        ("  - {id: back, label: Back, goto: ", "scene", ""),
        ("    if: flag(door", "flag", "door"),
        ("    if: is(ana, ", "status", ""),
        ("    when: at(sch", "place", "sch"),
        ("    if: present(ha-ri) and fl", "expression", "fl"),
        ("        effects: [{give: {arr", "item", "arr"),
        ("        effects: [{add: {trust: 1, fa", "counter", "fa"),
        ("    text: Then {o", "template", "o"),
        ("    text: {item:ar", "item", "ar"),
        ("    location: cl", "location", "cl"),
        ("    on: bit", "happening", "bit"),
        ("      - kill: ", "member", ""),
        ("      - set: [a, b", "flag", "b"),
        ("    text: Nothing to offer here", "", ""),
        ("    if: anyone(", "quality", ""),
        ("    if: flag(a) and anyone(present and inj", "quality", "inj"),
        ("    if: count(not de", "quality", "de"),
        ("    if: anyone(bitten, pl", "player", "pl"),
        ("    if: anyone(bitten, player, ", "", ""),
    ],
)
def test_completion_context(prefix: str, what: str, word: str) -> None:
    assert context(prefix, [], 0)[:2] == (what, word)


def test_completion_context_from_the_parent_key() -> None:
    lines = ["    effects:", "      - give:", "          arr"]
    assert context(lines[2], lines, 2)[:2] == ("item", "arr")
    lines = ["    effects:", "      - set:", "          - do"]
    assert context(lines[2], lines, 2)[:2] == ("flag", "do")


def test_candidates_are_capped_and_say_so(tmp_path: Path) -> None:
    root = write_story(tmp_path)
    many = "scenes:\n" + "".join(
        f"  - id: room-{i}\n    location: room\n    text: Room {i}.\n    ending: {{title: R, kind: r}}\n"
        for i in range(300)
    )
    (root / "scenes" / "many.yaml").write_text(many)
    project = Project(str(root)).build()
    found, more = candidates(project, "scene", "")
    assert len(found) == 200 and more
    found, more = candidates(project, "scene", "room-29")
    assert [c.label for c in found][:2] == ["room-29", "room-290"] and not more
    assert found[0].detail == "Room 29."


def _apply(text: str, edits: list[tuple[Span, str]]) -> str:
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for span, new in sorted(edits, reverse=True):
        at = starts[span.line] + span.start if span.line < len(lines) else len(text)
        text = text[:at] + new + text[at + span.end - span.start :]
    return text


@pytest.mark.parametrize(
    "renames",
    [
        "",
        "renames:\n  scenes:\n    old-hall: hall\n",
        "renames:\n  scenes: {old-hall: hall}\n",
        "renames:\n  choices:\n    hall/old: shut\n",
        "renames: {choices: {hall/old: shut}}\n",
        "renames:\n  scenes: {}\n",
    ],
)
def test_rename_scene_writes_a_renames_entry_the_loader_reads(tmp_path: Path, renames: str) -> None:
    root = write_story(tmp_path)
    manifest = MANIFEST + renames
    (root / "story.yaml").write_text(manifest)
    before = load_or_raise(root).scene_renames
    project = Project(str(root)).build()
    edits = rename(project, "scene", "hall", "corridor", manifest)
    for path, spans in edits.items():
        Path(path).write_text(_apply(Path(path).read_text(), spans))
    result = load_story(root)
    assert result.ok and not result.diagnostics, result.diagnostics
    assert result.story is not None
    expected = {old: ("corridor" if new == "hall" else new) for old, new in before.items()}
    assert result.story.scene_renames == {**expected, "hall": "corridor"}
    assert "corridor" in result.story.scenes and "hall" not in result.story.scenes


def test_rename_scene_in_a_manifest_without_a_final_newline(tmp_path: Path) -> None:
    root = write_story(tmp_path)
    manifest = MANIFEST + "renames:"
    (root / "story.yaml").write_text(manifest)
    project = Project(str(root)).build()
    for path, spans in rename(project, "scene", "yard", "garden", manifest).items():
        Path(path).write_text(_apply(Path(path).read_text(), spans))
    story = load_or_raise(root)
    assert story.scene_renames == {"yard": "garden"}


def test_rename_refusals(tmp_path: Path) -> None:
    root = write_story(tmp_path)
    (root / "story.yaml").write_text(MANIFEST + "renames:\n  scenes: {old-hall: hall}\n")
    project = Project(str(root)).build()
    with pytest.raises(RenameError, match="not an id"):
        rename(project, "scene", "hall", "Big Hall", "")
    with pytest.raises(RenameError, match="already a scene 'yard'"):
        rename(project, "scene", "hall", "yard", "")
    with pytest.raises(RenameError, match="old scene id"):
        rename(project, "scene", "yard", "old-hall", "")
    with pytest.raises(RenameError, match="not a member"):
        rename(project, "member", "ana", "anna", "")


def test_memory_pronoun_forms_and_inline_conditions_are_uses() -> None:
    text = (
        "scenes:\n"
        "  - id: a\n"
        "    location: room\n"
        "    text: >-\n"
        "      {fate:ana} {They:ben} left; {if flag(door) and present(ana) then {ben} stays |\n"
        "      nobody} and {if counter(trust) > 1 then yes}.\n"
        "    choices:\n"
        "      - id: x\n"
        "        label: Go\n"
        "        goto: a\n"
    )
    index = index_file("/s/a.yaml", text, "scenes")
    lines = text.split("\n")
    for u in index.uses:
        assert lines[u.span.line][u.span.start : u.span.end] == u.name
    got = sorted((u.span.line, u.kind, u.name) for u in index.uses if u.kind != "location")
    assert got == [
        (4, "flag", "door"),
        (4, "member", "ana"),  # {fate:ana}
        (4, "member", "ana"),  # present(ana) inside {if ... then}
        (4, "member", "ben"),  # {They:ben}
        (4, "member", "ben"),  # {ben}
        (5, "counter", "trust"),  # on the folded scalar's second line
        (9, "scene", "a"),
    ]


def test_bundled_story_copy_indexes_like_the_original(tmp_path: Path, bundled: Project) -> None:
    copy = tmp_path / "story"
    shutil.copytree(REPO / "story", copy)
    other = Project(str(copy)).build()
    assert {k: set(v) for k, v in other.defs.items()} == {k: set(v) for k, v in bundled.defs.items()}


def test_member_forms_and_inline_conditions_in_templates_are_uses() -> None:
    # `{fate:ana}` and `{them:ana}` name a member; `{if flag(door) then A | B}` reads a flag
    text = (
        "scenes:\n"
        "  - id: a\n"
        "    location: room\n"
        '    text: "{fate:ana} Ask {them:bo}. {if flag(door) then Open. | Shut.} {time}"\n'
    )
    index = index_file("/s/a.yaml", text, "scenes")
    lines = text.split("\n")
    for u in index.uses:
        assert lines[u.span.line][u.span.start : u.span.end] == u.name
    got = sorted((u.kind, u.name) for u in index.uses if u.span.line == 3)
    assert got == [("flag", "door"), ("member", "ana"), ("member", "bo")]


def test_the_index_sees_every_use_the_loader_sees(bundled: Project) -> None:
    """The editor's index against the loader's public one (`LoadResult.references`):
    the same names used the same number of times in each file."""
    from collections import Counter

    from game.lsp.index import load_references

    refs = load_references(bundled.root)
    skip = ("trait", "status")
    theirs = Counter(
        (kind, name, os.path.relpath(pos.path, bundled.root))
        for kind, name, pos in refs.uses
        if kind not in skip and name not in ("player", "who")
    )
    ours = Counter(
        (u.kind, u.name, os.path.relpath(path, bundled.root))
        for path, index in bundled.files.items()
        if not os.path.relpath(path, bundled.root).startswith("tests")
        for u in index.uses
    )
    assert ours == theirs
    for kind, table in refs.definitions.items():
        assert set(bundled.names(kind)) == set(table), kind


def test_quantifier_words_are_offered_with_what_they_mean(tmp_path: Path) -> None:
    project = Project(str(write_story(tmp_path))).build()
    words, _ = candidates(project, "quality", "")
    labels = [c.label for c in words]
    assert set(WORDS) | {"and", "or", "not"} == set(labels)
    dead = next(c for c in words if c.label == "dead")
    assert dead.detail == "dead" and "anyone(...)" in dead.doc
    assert [c.label for c in candidates(project, "quality", "pre")[0]] == ["present"]
    assert [c.label for c in candidates(project, "player", "p")[0]] == ["player"]
    calls = {c.label: c for c in candidates(project, "expression", "")[0] if c.kind == "function"}
    assert calls["anyone"].detail == "anyone(state[, player]) -> bool"
    assert calls["count"].detail == "count(state[, player]) -> num"
    assert calls["is"].detail == "is(member, status) -> bool"
    assert "dead or zombie" in calls["anyone"].doc


def test_every_function_is_explained() -> None:
    assert set(FUNCTION_DOCS) == set(FUNCTIONS)
    assert all(FUNCTION_DOCS.values())


@pytest.mark.parametrize(
    ("line", "col", "fragment", "span"),
    [
        ('    if: "anyone(dead or zombie)"', 10, "**function** `anyone(state[, player]) -> bool`", (9, 15)),
        ('    if: "anyone(dead or zombie)"', 16, "**state** `dead`", (16, 20)),
        ('    if: "anyone(dead or zombie)"', 25, "**state** `zombie`", (24, 30)),
        ('    if: "count((with and injured), player) > 1"', 36, "the player counts too", (35, 41)),
        ("    if: is(ana, dead) and count(dead) > 1", 17, "", None),  # a status of is(): not here
        ("    if: is(ana, dead)", 8, "**function** `is(member, status) -> bool`", (8, 10)),
        ("    text: The dead are anyone now.", 14, "", None),
    ],
)
def test_hover_over_the_condition_language(line: str, col: int, fragment: str, span: object) -> None:
    found = describe_at(line, col)
    if not fragment:
        assert found is None
        return
    assert found is not None
    text, start, end = found
    assert fragment in text and (start, end) == span
