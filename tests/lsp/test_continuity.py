"""The continuity checker through the language server: on request, its findings arrive as
warnings beside the checker's diagnostics, each with a witness; a fast story follows saves."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsprotocol import types as t  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

from game.lsp import deep  # noqa: E402

from .client import Client  # noqa: E402

FIXTURE = Path(__file__).parent.parent / "fixtures" / "continuity"


def _continuity(found: list[t.Diagnostic]) -> list[t.Diagnostic]:
    return [d for d in found if d.source == deep.SOURCE]


async def test_continuity_on_request_then_on_save(client: Client, story: Path) -> None:
    folder = story.parent / "continuity"
    shutil.copytree(FIXTURE, folder)
    faults = folder / "scenes" / "faults.yaml"
    uri = client.open(faults)
    assert _continuity(await client.wait_for(uri)) == []  # the checker alone finds nothing here
    answer = await client.workspace_execute_command_async(
        t.ExecuteCommandParams(command=deep.COMMAND, arguments=[from_fs_path(str(folder)), 50])
    )
    assert answer["ok"] and answer["findings"] > 0 and answer["runs"] == 50
    found = _continuity(await client.wait_for(uri, lambda ds: _continuity(ds), timeout=120))
    assert all(d.severity == t.DiagnosticSeverity.Warning for d in found)
    hub = [d for d in found if "hub 'hall'" in d.message]
    assert hub and "hyosan save --seed" in hub[0].message
    # the hub scene's own line, as `hyosan continuity` prints it (1-based there)
    assert faults.read_text().splitlines()[hub[0].range.start.line].strip() == "- id: hall"

    # fast on this story, so a save runs it again: quiet the hub and it goes away
    text = faults.read_text().replace(
        "  - id: hall\n", "  - id: hall\n    quiet: {repeat: the hall is meant to be read again}\n", 1
    )
    faults.write_text(text)
    client.text_document_did_save(t.DidSaveTextDocumentParams(t.TextDocumentIdentifier(uri)))
    after = await client.wait_for(
        uri, lambda ds: not any("hub 'hall'" in d.message for d in ds), timeout=120
    )
    assert _continuity(after)  # the other findings stay
