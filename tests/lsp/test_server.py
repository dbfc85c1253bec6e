"""The language server end to end: a real client over stdio, a story on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsprotocol import types as t  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

from game.engine.loader import load_story  # noqa: E402

from .client import Client  # noqa: E402
from .story import HALL  # noqa: E402


def _uri(path: Path) -> str:
    uri = from_fs_path(str(path))
    assert uri is not None
    return uri


def _at(text: str, needle: str, offset: int = 0) -> t.Position:
    """The position of the first `needle` in `text` (plus `offset` characters)."""
    before = text[: text.index(needle) + offset]
    return t.Position(before.count("\n"), len(before.rsplit("\n", 1)[-1]))


async def test_open_clean_file_publishes_no_problems(client: Client, story: Path) -> None:
    uri = client.open(story / "scenes" / "hall.yaml")
    assert await client.wait_for(uri) == []


async def test_unsaved_edit_is_checked_with_the_checkers_message_and_position(
    client: Client, story: Path
) -> None:
    path = story / "scenes" / "hall.yaml"
    uri = client.open(path)
    await client.wait_for(uri)
    broken = HALL.replace("goto: yard-end", "goto: yard-ned")
    client.replace(uri, 2, broken)
    found = await client.wait_for(uri, lambda ds: ds)
    assert [d.message for d in found] == ["unknown scene 'yard-ned' (did you mean 'yard-end'?)"]
    assert found[0].severity == t.DiagnosticSeverity.Error
    assert path.read_text() == HALL  # nothing written to disk
    # `hyosan check` on the same text, saved: the same message at the same place
    path.write_text(broken)
    (expected,) = load_story(story).diagnostics
    assert (found[0].range.start.line + 1, found[0].range.start.character + 1) == (
        expected.line,
        expected.col,
    )
    assert found[0].range.end.character - found[0].range.start.character == len("yard-ned")
    path.write_text(HALL)
    # the file it affects: yard-end is now never reached from hall's side, but still from yard
    client.replace(uri, 3, HALL)
    assert await client.wait_for(uri, lambda ds: not ds) == []


async def test_edit_in_one_file_reports_problems_in_another(client: Client, story: Path) -> None:
    hall = client.open(story / "scenes" / "hall.yaml")
    await client.wait_for(hall)
    client.replace(hall, 2, HALL.replace("id: hall", "id: hallway"))
    yard = _uri(story / "scenes" / "yard.yaml")
    found = await client.wait_for(yard, lambda ds: ds)
    assert "unknown scene 'hall' (did you mean 'hallway'?)" in [d.message for d in found]


async def test_complete_scene_after_goto(client: Client, story: Path) -> None:
    path = story / "scenes" / "hall.yaml"
    uri = client.open(path)
    text = HALL.replace("goto: yard-end", "goto: ya")
    client.replace(uri, 2, text)
    result = await client.text_document_completion_async(
        t.CompletionParams(
            text_document=t.TextDocumentIdentifier(uri), position=_at(text, "goto: ya", len("goto: ya"))
        )
    )
    assert isinstance(result, t.CompletionList)
    labels = {item.label: item for item in result.items}
    assert set(labels) == {"yard", "yard-end"}
    assert labels["yard"].detail == "The yard is empty. Trust {counter:trust}."
    resolved = await client.completion_item_resolve_async(labels["yard"])
    assert isinstance(resolved.documentation, t.MarkupContent)
    assert "at Yard, school (`yard`)" in resolved.documentation.value
    edit = labels["yard-end"].text_edit
    assert isinstance(edit, t.TextEdit) and edit.new_text == "yard-end"
    assert edit.range.start.character == edit.range.end.character - 2  # replaces "ya"


async def test_complete_flags_in_a_condition_and_members_in_a_template(client: Client, story: Path) -> None:
    uri = client.open(story / "scenes" / "hall.yaml")
    text = HALL.replace("if: flag(door-shut)", "if: flag(").replace("{ana} waits", "{a waits")
    client.replace(uri, 2, text)
    flags = await client.text_document_completion_async(
        t.CompletionParams(text_document=t.TextDocumentIdentifier(uri), position=_at(text, "flag(", 5))
    )
    assert isinstance(flags, t.CompletionList)
    assert [(i.label, i.detail) for i in flags.items] == [("door-shut", "The door is shut.")]
    members = await client.text_document_completion_async(
        t.CompletionParams(text_document=t.TextDocumentIdentifier(uri), position=_at(text, "{a", 2))
    )
    assert isinstance(members, t.CompletionList)
    assert "ana" in [i.label for i in members.items]


async def test_complete_and_hover_anyone(client: Client, story: Path) -> None:
    uri = client.open(story / "scenes" / "hall.yaml")
    text = HALL.replace("if: flag(door-shut)", "if: anyone(present and inj")
    client.replace(uri, 2, text)
    words = await client.text_document_completion_async(
        t.CompletionParams(text_document=t.TextDocumentIdentifier(uri), position=_at(text, "and inj", 7))
    )
    assert isinstance(words, t.CompletionList)
    assert [(i.label, i.detail) for i in words.items] == [("injured", "hurt (human or hambie)")]
    resolved = await client.completion_item_resolve_async(words.items[0])
    assert isinstance(resolved.documentation, t.MarkupContent)
    assert "**state** `injured`" in resolved.documentation.value
    text = HALL.replace("if: flag(door-shut)", "if: anyone(dead or zombie, player)")
    client.replace(uri, 2, text)
    for needle, offset, fragment in (
        ("anyone(", 2, "some cast member is so"),
        ("zombie,", 3, "**state** `zombie`"),
        ("player)", 1, "the player counts too"),
    ):
        hover = await client.text_document_hover_async(
            t.HoverParams(text_document=t.TextDocumentIdentifier(uri), position=_at(text, needle, offset))
        )
        assert hover is not None and isinstance(hover.contents, t.MarkupContent), needle
        assert fragment in hover.contents.value


async def test_definition_and_references_of_a_scene(client: Client, story: Path) -> None:
    yard = story / "scenes" / "yard.yaml"
    uri = client.open(yard)
    text = yard.read_text()
    found = await client.text_document_definition_async(
        t.DefinitionParams(text_document=t.TextDocumentIdentifier(uri), position=_at(text, "goto: hall", 7))
    )
    assert isinstance(found, list) and len(found) == 1
    assert found[0].uri == _uri(story / "scenes" / "hall.yaml")
    assert found[0].range == t.Range(t.Position(1, 8), t.Position(1, 12))
    refs = await client.text_document_references_async(
        t.ReferenceParams(
            text_document=t.TextDocumentIdentifier(uri),
            position=_at(text, "goto: yard-end", 7),
            context=t.ReferenceContext(include_declaration=True),
        )
    )
    assert refs is not None
    where = sorted((Path(r.uri).name, r.range.start.line) for r in refs)
    assert where == [("hall.yaml", 13), ("yard.yaml", 11), ("yard.yaml", 12)]


async def test_references_of_a_flag_and_hover(client: Client, story: Path) -> None:
    manifest = story / "story.yaml"
    uri = client.open(manifest)
    text = manifest.read_text()
    refs = await client.text_document_references_async(
        t.ReferenceParams(
            text_document=t.TextDocumentIdentifier(uri),
            position=_at(text, "door-shut", 1),
            context=t.ReferenceContext(include_declaration=False),
        )
    )
    assert refs is not None and len(refs) == 2
    hover = await client.text_document_hover_async(
        t.HoverParams(text_document=t.TextDocumentIdentifier(uri), position=_at(text, "door-shut", 1))
    )
    assert hover is not None and isinstance(hover.contents, t.MarkupContent)
    assert "The door is shut." in hover.contents.value
    assert "set in: `hall`" in hover.contents.value and "read in: `hall`" in hover.contents.value
    hall = story / "scenes" / "hall.yaml"
    scene = await client.text_document_hover_async(
        t.HoverParams(
            text_document=t.TextDocumentIdentifier(client.open(hall)), position=_at(HALL, "goto: yard\n", 7)
        )
    )
    assert scene is not None and isinstance(scene.contents, t.MarkupContent)
    assert (
        "at Yard, school (`yard`)" in scene.contents.value and "> The yard is empty." in scene.contents.value
    )


async def test_rename_scene_edits_both_files_and_adds_a_renames_entry(client: Client, story: Path) -> None:
    hall = story / "scenes" / "hall.yaml"
    uri = client.open(hall)
    edit = await client.text_document_rename_async(
        t.RenameParams(
            text_document=t.TextDocumentIdentifier(uri),
            position=_at(HALL, "id: hall", 5),
            new_name="corridor",
        )
    )
    assert edit is not None and edit.changes is not None
    texts = {Path(u).name: _apply(Path(_path(u)).read_text(), edits) for u, edits in edit.changes.items()}
    assert set(texts) == {"hall.yaml", "yard.yaml", "story.yaml"}
    assert "id: corridor" in texts["hall.yaml"] and "goto: corridor" in texts["yard.yaml"]
    assert "start: corridor" in texts["story.yaml"]
    assert texts["story.yaml"].endswith("renames:\n  scenes:\n    hall: corridor\n")
    # the edited story is clean for the real checker, renames entry included
    for name, text in texts.items():
        target = story / "story.yaml" if name == "story.yaml" else story / "scenes" / name
        target.write_text(text)
    result = load_story(story)
    assert result.ok and not result.diagnostics
    assert result.story is not None and result.story.scene_renames == {"hall": "corridor"}


async def test_rename_refuses_an_existing_id(client: Client, story: Path) -> None:
    from pygls.exceptions import JsonRpcException

    uri = client.open(story / "scenes" / "hall.yaml")
    with pytest.raises(JsonRpcException, match="already a scene 'yard'"):
        await client.text_document_rename_async(
            t.RenameParams(
                text_document=t.TextDocumentIdentifier(uri),
                position=_at(HALL, "id: hall", 5),
                new_name="yard",
            )
        )


async def test_rename_counter_everywhere(client: Client, story: Path) -> None:
    manifest = story / "story.yaml"
    uri = client.open(manifest)
    edit = await client.text_document_rename_async(
        t.RenameParams(
            text_document=t.TextDocumentIdentifier(uri),
            position=_at(manifest.read_text(), "trust:", 1),
            new_name="faith",
        )
    )
    assert edit is not None and edit.changes is not None
    yard = _apply(
        (story / "scenes" / "yard.yaml").read_text(), edit.changes[_uri(story / "scenes" / "yard.yaml")]
    )
    assert "{counter:faith}" in yard and "counter(faith) >= 1" in yard
    assert "renames" not in _apply(manifest.read_text(), edit.changes[uri])


async def test_document_and_workspace_symbols(client: Client, story: Path) -> None:
    uri = client.open(story / "scenes" / "yard.yaml")
    symbols = await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri))
    )
    assert symbols is not None
    assert [s.name for s in symbols] == ["yard", "yard-end"]
    first = symbols[0]
    assert isinstance(first, t.DocumentSymbol) and [c.name for c in first.children or []] == ["back", "out"]
    found = await client.workspace_symbol_async(t.WorkspaceSymbolParams(query="yard"))
    assert found is not None and {s.name for s in found} == {"yard", "yard-end"}


async def test_partial_results_when_the_file_does_not_parse(client: Client, story: Path) -> None:
    path = story / "scenes" / "hall.yaml"
    uri = client.open(path)
    broken = HALL + "  - id: [unclosed\n"
    client.replace(uri, 2, broken)
    found = await client.wait_for(uri, lambda ds: ds)
    assert found[0].message.startswith("YAML syntax:")
    result = await client.text_document_definition_async(
        t.DefinitionParams(
            text_document=t.TextDocumentIdentifier(uri), position=_at(broken, "goto: yard\n", 7)
        )
    )
    assert result and Path(_path(result[0].uri)).name == "yard.yaml"


def _path(uri: str) -> str:
    from pygls.uris import to_fs_path

    path = to_fs_path(uri)
    assert path is not None
    return path


def _apply(text: str, edits: list[t.TextEdit]) -> str:
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(p: t.Position) -> int:
        return offsets[p.line] + p.character if p.line < len(lines) else len(text)

    for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


async def test_definition_and_hover_of_a_fate_set(client: Client, story: Path) -> None:
    yard = story / "scenes" / "yard.yaml"
    uri = client.open(yard)
    await client.wait_for(uri)  # the index is built now, before the new file exists
    # a new file made in the editor, and the scene that names it edited, neither saved
    # (on a loaded machine the index used to be built after or before the file was on
    # disk, and the definition was found or not by luck)
    sets = story / "scenes" / "sets.yaml"
    client.open(sets, "scenes: []\nfate_sets:\n  kept:\n    ana: Ana kept the door.\n")
    text = yard.read_text().replace("kind: escape}", "kind: escape, fate_set: kept}")
    client.replace(uri, 2, text)
    at = _at(text, "fate_set: kept", 11)
    found = await client.text_document_definition_async(
        t.DefinitionParams(text_document=t.TextDocumentIdentifier(uri), position=at)
    )
    assert isinstance(found, list) and len(found) == 1
    assert found[0].uri == _uri(sets)
    assert found[0].range == t.Range(t.Position(2, 2), t.Position(2, 6))
    hover = await client.text_document_hover_async(
        t.HoverParams(text_document=t.TextDocumentIdentifier(uri), position=at)
    )
    assert hover is not None and isinstance(hover.contents, t.MarkupContent)
    assert "fate lines for 1 member" in hover.contents.value and "used by: `yard-end`" in hover.contents.value
