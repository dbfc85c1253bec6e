"""A real LSP client (pygls's own) talking to `python -m game lsp` over stdio, and a
small two-file story to point it at. Import it only after `pytest.importorskip("pygls")`."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from lsprotocol import types as t
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

MANIFEST = """\
format: 1
title: Two rooms
start: hall
cast:
  ana: {name: Ana, traits: [archer], with: true}
items:
  arrows: {name: Arrows, max: 5}
locations:
  room: {name: Room, area: school}
  yard: {name: Yard, area: school}
flags:
  door-shut: The door is shut.
counters:
  trust: {start: 0, about: How much Ana trusts you.}
"""

HALL = """\
scenes:
  - id: hall
    location: room
    text: |
      A long hall. {ana} waits by the door.
    choices:
      - id: shut
        label: Shut the door
        effects: [{set: door-shut}, {add: {trust: 1}}]
        goto: yard
      - id: wait
        label: Wait
        if: flag(door-shut)
        goto: yard-end
"""

YARD = """\
scenes:
  - id: yard
    location: yard
    text: The yard is empty. Trust {counter:trust}.
    choices:
      - id: back
        label: Go back
        goto: hall
      - id: out
        label: Leave
        if: counter(trust) >= 1
        goto: yard-end
  - id: yard-end
    location: yard
    text: You leave.
    ending: {title: Out, kind: escape}
"""


@pytest.fixture
def story(tmp_path: Path) -> Path:
    root = tmp_path / "two"
    (root / "scenes").mkdir(parents=True)
    (root / "story.yaml").write_text(MANIFEST)
    (root / "scenes" / "hall.yaml").write_text(HALL)
    (root / "scenes" / "yard.yaml").write_text(YARD)
    return root


class Client(LanguageClient):
    """pygls's client, remembering the diagnostics the server publishes."""

    def __init__(self) -> None:
        super().__init__("hyosan-tests", "1")
        self.diagnostics: dict[str, list[t.Diagnostic]] = {}
        self.published = asyncio.Condition()

        @self.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def on_diagnostics(_: object, params: t.PublishDiagnosticsParams) -> None:
            async with self.published:
                self.diagnostics[params.uri] = list(params.diagnostics)
                self.published.notify_all()

    async def wait_for(self, uri: str, check: object = None, timeout: float = 20) -> list[t.Diagnostic]:
        """The diagnostics for `uri`, once some arrive for which `check(diags)` holds."""

        def ready() -> bool:
            found = self.diagnostics.get(uri)
            return found is not None and (check is None or bool(check(found)))  # type: ignore[operator]

        async with self.published:
            await asyncio.wait_for(self.published.wait_for(ready), timeout)
        return self.diagnostics[uri]

    def open(self, path: Path, text: str | None = None) -> str:
        uri = from_fs_path(str(path))
        assert uri is not None
        self.text_document_did_open(
            t.DidOpenTextDocumentParams(
                t.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text or path.read_text())
            )
        )
        return uri

    def replace(self, uri: str, version: int, text: str) -> None:
        self.text_document_did_change(
            t.DidChangeTextDocumentParams(
                t.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [t.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )


@pytest.fixture
async def client(story: Path) -> AsyncIterator[Client]:
    c = Client()
    await c.start_io(sys.executable, "-m", "game", "lsp", cwd=str(story.parent))
    await c.initialize_async(
        t.InitializeParams(
            capabilities=t.ClientCapabilities(),
            root_uri=from_fs_path(str(story)),
            workspace_folders=[t.WorkspaceFolder(uri=from_fs_path(str(story)) or "", name="two")],
        )
    )
    c.initialized(t.InitializedParams())
    yield c
    await c.shutdown_async(None)
    c.exit(None)
    await c.stop()
